//! 統合・分割 — a programme merged into another or split into new ones from a fiscal year, with the
//! lineage kept so every page can show where a programme came from and went.

use super::programmes::{Fields, create, year};
use super::store::{self, Programme};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes::Code;
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

/// One programme carried on by others: `from` ends after `year − 1` as `kind` (merge | split)
/// into `to`.
struct Succession<'a> {
    kind: &'a str,
    from: &'a Programme,
    to: &'a [i64],
    year: i64,
    note: &'a str,
}

/// Records a succession, keeping the lineage.
async fn succeed(app: &App, org: i64, actor: i64, s: Succession<'_>) -> AppResult<()> {
    let Succession {
        kind,
        from,
        to,
        year,
        note,
    } = s;
    let mut tx = app.begin_write().await?;
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
    audit::record_and_commit(
        tx,
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
    let s = Succession {
        kind: "merge",
        from: &from,
        to: &[into],
        year: y,
        note: &note,
    };
    succeed(app, org, actor, s).await
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
    let s = Succession {
        kind: "split",
        from: &p,
        to: &ids,
        year: y,
        note: "",
    };
    succeed(app, org, actor, s).await?;
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
