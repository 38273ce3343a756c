//! The programme master (事務事業): create and edit programmes, and merge or split them with the
//! history kept (S-2.3.6 統合・分割). A merged or split programme ends the year before; its sheets
//! and lineage stay, and each successor's page links back to it.

use super::store::{self, Programme};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes::{self, Code};
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use std::collections::BTreeMap;

/// Programme fields as typed: code, name, department_id, policy_node_id, legal_basis, first_year,
/// last_year, is_new, kind, method, target, intent, means.
pub type Fields = BTreeMap<String, String>;

struct Checked {
    code: String,
    name: String,
    department_id: i64,
    policy_node_id: Option<i64>,
    legal_basis: String,
    first_year: i64,
    last_year: Option<i64>,
    is_new: bool,
    kind: String,
    method: String,
    target: String,
    intent: String,
    means: String,
}

fn year(errs: &mut FieldErrors, field: &str, raw: &str, required: bool) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        if required {
            errs.add(field, "field.required");
        }
        return None;
    }
    match raw.parse::<i64>() {
        Ok(y) if (1900..=2200).contains(&y) => Some(y),
        _ => {
            errs.add(field, "eval.bad_year");
            None
        }
    }
}

async fn check(
    app: &App,
    org: i64,
    f: &Fields,
    all_codes: &[Code],
    except: Option<i64>,
) -> AppResult<Checked> {
    let get = |k: &str| f.get(k).map(|v| v.trim()).unwrap_or("");
    let mut errs = FieldErrors::default();
    let code = errs.text("code", get("code"), 40);
    if !code.is_empty()
        && !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errs.add("code", "eval.bad_code");
    }
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM programmes WHERE organization_id = $1 AND code = $2")
            .bind(org)
            .bind(&code)
            .fetch_optional(&app.db)
            .await?;
    if taken.is_some() && taken != except {
        errs.add("code", "eval.code_taken");
    }
    let name = errs.text("name", get("name"), 200);
    let department_id = match get("department_id").parse::<i64>() {
        Ok(d)
            if crate::accounts::departments::get(&app.db, org, d)
                .await?
                .is_some() =>
        {
            d
        }
        _ => {
            errs.add("department_id", "field.bad_choice");
            0
        }
    };
    let policy_node_id = match get("policy_node_id") {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n)
                if store::policy_nodes(&app.db, org)
                    .await?
                    .iter()
                    .any(|x| x.id == n) =>
            {
                Some(n)
            }
            _ => {
                errs.add("policy_node_id", "field.bad_choice");
                None
            }
        },
    };
    let first_year = year(&mut errs, "first_year", get("first_year"), true).unwrap_or_default();
    let last_year = year(&mut errs, "last_year", get("last_year"), false);
    if last_year.is_some_and(|l| l < first_year) {
        errs.add("last_year", "eval.years_order");
    }
    let mut coded = |field: &str, list: &str| {
        let v = get(field);
        if !v.is_empty() && !codes::of_list(all_codes, list).any(|c| c.code == v) {
            errs.add(field, "field.bad_choice");
        }
        v.to_string()
    };
    let kind = coded("kind", codes::PROGRAMME_TYPE);
    let method = coded("method", codes::IMPL_METHOD);
    let legal_basis = errs.optional_text("legal_basis", get("legal_basis"), 200);
    let target = errs.long_text("target", get("target"), 2000);
    let intent = errs.long_text("intent", get("intent"), 2000);
    let means = errs.long_text("means", get("means"), 2000);
    errs.into_result()?;
    Ok(Checked {
        code,
        name,
        department_id,
        policy_node_id,
        legal_basis,
        first_year,
        last_year,
        is_new: get("is_new") == "1",
        kind,
        method,
        target,
        intent,
        means,
    })
}

/// Creates a programme; returns its id.
pub async fn create(
    app: &App,
    org: i64,
    actor: i64,
    f: &Fields,
    all_codes: &[Code],
) -> AppResult<i64> {
    let c = check(app, org, f, all_codes, None).await?;
    let id = new_id();
    let mut tx = app.db.begin().await?;
    sqlx::query(
        "INSERT INTO programmes (organization_id, id, code, name, department_id, policy_node_id, legal_basis, first_year, last_year, is_new, kind, method, target, intent, means, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(org)
    .bind(id)
    .bind(&c.code)
    .bind(&c.name)
    .bind(c.department_id)
    .bind(c.policy_node_id)
    .bind(&c.legal_basis)
    .bind(c.first_year)
    .bind(c.last_year)
    .bind(i64::from(c.is_new))
    .bind(&c.kind)
    .bind(&c.method)
    .bind(&c.target)
    .bind(&c.intent)
    .bind(&c.means)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        org,
        &Actor::user(actor),
        Change {
            action: "eval.programme_create",
            target_type: "programme",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({"code": c.code, "name": c.name})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    app: &App,
    org: i64,
    actor: i64,
    id: i64,
    f: &Fields,
    all_codes: &[Code],
) -> AppResult<()> {
    let before = store::programme(&app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = check(app, org, f, all_codes, Some(id)).await?;
    let mut tx = app.db.begin().await?;
    sqlx::query(
        "UPDATE programmes SET code = $1, name = $2, department_id = $3, policy_node_id = $4, legal_basis = $5, first_year = $6, last_year = $7, \
         is_new = $8, kind = $9, method = $10, target = $11, intent = $12, means = $13 WHERE organization_id = $14 AND id = $15",
    )
    .bind(&c.code)
    .bind(&c.name)
    .bind(c.department_id)
    .bind(c.policy_node_id)
    .bind(&c.legal_basis)
    .bind(c.first_year)
    .bind(c.last_year)
    .bind(i64::from(c.is_new))
    .bind(&c.kind)
    .bind(&c.method)
    .bind(&c.target)
    .bind(&c.intent)
    .bind(&c.means)
    .bind(org)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::append(&mut tx, org, &Actor::user(actor), Change {
        action: "eval.programme_update",
        target_type: "programme",
        target_id: id.to_string(),
        before: Some(serde_json::json!({"code": before.code, "name": before.name, "department": before.department_id})),
        after: Some(serde_json::json!({"code": c.code, "name": c.name, "department": c.department_id})),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends `from` after `year − 1` as `kind` (merge | split) into `to`, keeping the lineage.
#[allow(
    clippy::too_many_arguments,
    reason = "a programme row: its columns as the form gives them"
)]
async fn succeed(
    app: &App,
    org: i64,
    actor: i64,
    kind: &str,
    from: &Programme,
    to: &[i64],
    year: i64,
    note: &str,
) -> AppResult<()> {
    let mut tx = app.db.begin().await?;
    let at = now();
    let done = sqlx::query("UPDATE programmes SET status = $1, last_year = $2 WHERE organization_id = $3 AND id = $4 AND status = 'active'")
        .bind(if kind == "merge" { "merged" } else { "split" })
        .bind(year - 1)
        .bind(org)
        .bind(from.id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest("eval.not_active"));
    }
    for t in to {
        sqlx::query("INSERT INTO programme_lineage (organization_id, id, kind, from_id, to_id, fiscal_year, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(org)
            .bind(new_id())
            .bind(kind)
            .bind(from.id)
            .bind(t)
            .bind(year)
            .bind(note)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
    }
    audit::append(
        &mut tx,
        org,
        &Actor::user(actor),
        Change {
            action: if kind == "merge" {
                "eval.programme_merge"
            } else {
                "eval.programme_split"
            },
            target_type: "programme",
            target_id: from.id.to_string(),
            before: None,
            after: Some(serde_json::json!({"into": to, "fiscal_year": year})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 統合: `from` is merged into the existing programme `into` from fiscal year `year`.
pub async fn merge(
    app: &App,
    org: i64,
    actor: i64,
    from: i64,
    raw_into: &str,
    raw_year: &str,
    note: &str,
) -> AppResult<()> {
    let from = store::programme(&app.db, org, from)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let into = match raw_into.parse::<i64>() {
        Ok(i)
            if i != from.id
                && store::programme(&app.db, org, i)
                    .await?
                    .is_some_and(|p| p.status == "active") =>
        {
            i
        }
        _ => {
            errs.add("into", "field.bad_choice");
            0
        }
    };
    let y = year(&mut errs, "merge_year", raw_year, true).unwrap_or_default();
    let note = errs.long_text("merge_note", note, 1000);
    errs.into_result()?;
    succeed(app, org, actor, "merge", &from, &[into], y, &note).await
}

/// 分割: `from` is split into new programmes (one `code name` per line) from fiscal year `year`,
/// each inheriting the department, position, method and purpose.
pub async fn split(
    app: &App,
    org: i64,
    actor: i64,
    from: i64,
    lines: &str,
    raw_year: &str,
    all_codes: &[Code],
) -> AppResult<Vec<i64>> {
    let p = store::programme(&app.db, org, from)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let y = year(&mut errs, "split_year", raw_year, true).unwrap_or_default();
    let parts: Vec<(String, String)> = lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (c, n) = l.split_once([' ', '\u{3000}', '\t']).unwrap_or((l, ""));
            (c.trim().to_string(), n.trim().to_string())
        })
        .collect();
    if parts.len() < 2 || parts.iter().any(|(c, n)| c.is_empty() || n.is_empty()) {
        errs.add("split_into", "eval.split_lines");
    }
    // Every successor code is checked before the first is created.
    let existing: Vec<String> = store::programmes(&app.db, org)
        .await?
        .into_iter()
        .map(|p| p.code)
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    if parts
        .iter()
        .any(|(c, _)| existing.contains(c) || !seen.insert(c.clone()))
    {
        errs.add("split_into", "eval.split_code_taken");
    }
    errs.into_result()?;
    let mut ids = Vec::new();
    for (code, name) in &parts {
        let mut f = Fields::new();
        for (k, v) in [
            ("code", code.clone()),
            ("name", name.clone()),
            ("department_id", p.department_id.to_string()),
            (
                "policy_node_id",
                p.policy_node_id.map(|n| n.to_string()).unwrap_or_default(),
            ),
            ("legal_basis", p.legal_basis.clone()),
            ("first_year", y.to_string()),
            ("kind", p.kind.clone()),
            ("method", p.method.clone()),
            ("target", p.target.clone()),
            ("intent", p.intent.clone()),
            ("means", p.means.clone()),
        ] {
            f.insert(k.into(), v);
        }
        match create(app, org, actor, &f, all_codes).await {
            Ok(id) => ids.push(id),
            Err(AppError::Invalid(_)) => {
                let mut errs = FieldErrors::default();
                errs.add("split_into", "eval.split_code_taken");
                return Err(AppError::Invalid(errs));
            }
            Err(e) => return Err(e),
        }
    }
    succeed(app, org, actor, "split", &p, &ids, y, "").await?;
    Ok(ids)
}

/// A programme's 統合・分割 history, oldest first: (`merge:to` | `merge:from` | `split:to` |
/// `split:from`, the other programme's id, its code and name).
pub async fn lineage(
    db: &crate::db::Db,
    org: i64,
    id: i64,
) -> sqlx::Result<Vec<(String, i64, String)>> {
    sqlx::query_as(
        "SELECT l.kind || CASE WHEN l.from_id = $2 THEN ':to' ELSE ':from' END, o.id, o.code || ' ' || o.name FROM programme_lineage l \
         JOIN programmes o ON o.organization_id = l.organization_id AND o.id = CASE WHEN l.from_id = $2 THEN l.to_id ELSE l.from_id END \
         WHERE l.organization_id = $1 AND (l.from_id = $2 OR l.to_id = $2) ORDER BY l.created_at",
    )
    .bind(org)
    .bind(id)
    .fetch_all(db)
    .await
}
