//! The register of bodies (審議会等): name, type, legal basis, purpose, department, term,
//! maximum members, whether meetings are public, and the reason when it has no 公募 members.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Body {
    pub id: i64,
    pub name: String,
    /// ordinance (附属機関) | guideline (要綱設置)
    pub kind: String,
    pub basis: String,
    pub purpose: String,
    pub department_id: Option<i64>,
    pub term_years: i64,
    pub max_members: i64,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub meetings_public: bool,
    pub no_public_reason: String,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub is_demo: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BodyForm {
    pub name: String,
    pub kind: String,
    pub basis: String,
    pub purpose: String,
    pub department_id: String,
    pub term_years: String,
    pub max_members: String,
    /// "1": meetings are public.
    pub meetings_public: String,
    pub no_public_reason: String,
}

const COLUMNS: &str = "id, name, kind, basis, purpose, department_id, term_years, max_members, meetings_public, \
     no_public_reason, is_demo";

pub async fn list(db: &Db, org: i64) -> sqlx::Result<Vec<Body>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cn_bodies WHERE organization_id = $1 ORDER BY name"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Body>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cn_bodies WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A whole number in a range, typed as people type it (full-width digits too).
fn count(
    errs: &mut FieldErrors,
    field: &str,
    raw: &str,
    range: std::ops::RangeInclusive<i64>,
) -> i64 {
    match kyodo_jp::numbers::parse_amount(raw) {
        Ok(Some(n)) if range.contains(&n) => n,
        Ok(None) => {
            errs.add(field, "field.required");
            0
        }
        _ => {
            errs.add(field, "cn.bad_count");
            0
        }
    }
}

/// Adds a body to the register.
pub async fn create(app: &App, org: i64, actor: i64, f: &BodyForm) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let name = errs.text("name", &f.name, 200);
    let kind = f.kind.trim();
    if !matches!(kind, "ordinance" | "guideline") {
        errs.add("kind", "field.bad_choice");
    }
    let basis = errs.optional_text("basis", &f.basis, 200);
    let purpose = errs.long_text("purpose", &f.purpose, 2000);
    let department_id = crate::accounts::departments::chosen(
        &app.db,
        org,
        &mut errs,
        "department_id",
        &f.department_id,
    )
    .await?;
    let term_years = count(&mut errs, "term_years", &f.term_years, 1..=10);
    let max_members = count(&mut errs, "max_members", &f.max_members, 1..=200);
    let no_public_reason = errs.optional_text("no_public_reason", &f.no_public_reason, 500);
    let taken: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cn_bodies WHERE organization_id = $1 AND name = $2",
    )
    .bind(org)
    .bind(&name)
    .fetch_one(&app.db)
    .await?;
    if taken > 0 {
        errs.add("name", "cn.name_taken");
    }
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO cn_bodies (organization_id, id, name, kind, basis, purpose, department_id, term_years, max_members, \
         meetings_public, no_public_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(org)
    .bind(id)
    .bind(&name)
    .bind(kind)
    .bind(&basis)
    .bind(&purpose)
    .bind(department_id)
    .bind(term_years)
    .bind(max_members)
    .bind(i64::from(f.meetings_public == "1"))
    .bind(&no_public_reason)
    .execute(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            let mut errs = FieldErrors::default();
            errs.add("name", "cn.name_taken");
            AppError::Invalid(errs)
        }
        e => e.into(),
    })?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "councils.create",
            target_type: "council",
            target_id: id.to_string(),
            before: None,
            after: Some(
                serde_json::json!({ "name": name, "kind": kind, "max_members": max_members }),
            ),
        },
    )
    .await?;
    Ok(id)
}
