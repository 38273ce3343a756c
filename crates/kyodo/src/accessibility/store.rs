//! Test runs and manual checks in the database, per organization.

use super::criteria;
pub use super::report::ManualCheck;
use super::report::SuiteResults;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::AppResult;
use crate::validation::FieldErrors;
use serde::Deserialize;

/// Stores a suite run for the organization; the report shows the newest by test date.
pub async fn save_run(app: &App, org: i64, actor: &Actor, run: &SuiteResults) -> AppResult<i64> {
    let id = new_id();
    let json = serde_json::to_string(run).map_err(anyhow::Error::from)?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO a11y_test_runs (organization_id, id, tested_on, imported_at, results) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(org)
    .bind(id)
    .bind(&run.tested_on)
    .bind(now())
    .bind(&json)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({
        "tested_on": run.tested_on,
        "pages": run.pages.len(),
        "checks": run.checks.len(),
    });
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "accessibility.import",
            target_type: "a11y_test_run",
            target_id: id.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(id)
}

/// The newest run, if any was imported.
pub async fn latest_run(db: &Db, org: i64) -> AppResult<Option<SuiteResults>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT results FROM a11y_test_runs WHERE organization_id = $1 ORDER BY tested_on DESC, imported_at DESC LIMIT 1",
    )
    .bind(org)
    .fetch_optional(db)
    .await?;
    match row {
        Some((json,)) => Ok(Some(
            serde_json::from_str(&json).map_err(anyhow::Error::from)?,
        )),
        None => Ok(None),
    }
}

pub async fn manual_checks(db: &Db, org: i64) -> sqlx::Result<Vec<ManualCheck>> {
    sqlx::query_as(
        "SELECT criterion, result, method, checked_on FROM a11y_manual_checks WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// The HQ's form for one manual check.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ManualForm {
    pub criterion: String,
    pub result: String,
    pub method: String,
    pub checked_on: String,
}

/// Records (or replaces) the manual check of one criterion; every field checked beside itself.
pub async fn record_manual(app: &App, org: i64, user: i64, f: &ManualForm) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    if criteria::find(f.criterion.trim()).is_none() {
        errs.add("criterion", "field.bad_choice");
    }
    if !matches!(f.result.as_str(), "pass" | "na" | "fail") {
        errs.add("result", "field.bad_choice");
    }
    let method = errs.text("method", &f.method, 200);
    let checked_on = errs.date("checked_on", &f.checked_on);
    errs.into_result()?;
    let checked_on = checked_on
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let criterion = f.criterion.trim();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO a11y_manual_checks (organization_id, criterion, result, method, checked_on, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (organization_id, criterion) DO UPDATE SET \
         result = excluded.result, method = excluded.method, checked_on = excluded.checked_on, \
         recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
    )
    .bind(org)
    .bind(criterion)
    .bind(&f.result)
    .bind(&method)
    .bind(&checked_on)
    .bind(user)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(user),
        Change {
            action: "accessibility.manual_check",
            target_type: "wcag_criterion",
            target_id: criterion.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "result": f.result, "method": method, "checked_on": checked_on,
            })),
        },
    )
    .await?;
    Ok(())
}
