//! The programme master (事務事業): create and edit programmes, and merge or split them with the
//! history kept (S-2.3.6 統合・分割). A merged or split programme ends the year before; its sheets
//! and lineage stay, and each successor's page links back to it.

use super::store::{self};
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

pub(super) fn year(errs: &mut FieldErrors, field: &str, raw: &str, required: bool) -> Option<i64> {
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
    let mut tx = app.begin_write().await?;
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
    audit::record_and_commit(
        tx,
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
    let mut tx = app.begin_write().await?;
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
    audit::record_and_commit(tx, org, &Actor::user(actor), Change {
        action: "eval.programme_update",
        target_type: "programme",
        target_id: id.to_string(),
        before: Some(serde_json::json!({"code": before.code, "name": before.name, "department": before.department_id})),
        after: Some(serde_json::json!({"code": c.code, "name": c.name, "department": c.department_id})),
    })
    .await?;
    Ok(())
}
