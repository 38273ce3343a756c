//! 指定管理者 — the designated manager's monthly report (users, revenue, incidents, complaints),
//! entered by the department's staff, and the department's yearly monitoring evaluation (a rating
//! from the code list `facility_monitoring` and a comment). Both are public on the facility's page
//! beside the use computed from the bookings.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes;
use crate::db::{Db, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MonthlyReport {
    pub month: String,
    pub users: i64,
    pub revenue: i64,
    pub incidents: String,
    pub complaints: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    pub month: String,
    pub users: String,
    pub revenue: String,
    pub incidents: String,
    pub complaints: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EvaluationForm {
    pub fiscal_year: String,
    pub rating: String,
    pub comment: String,
}

pub(super) async fn designated(app: &App, org: i64, facility: i64) -> AppResult<()> {
    let f = super::facilities::get(&app.db, org, facility)
        .await?
        .ok_or(AppError::NotFound)?;
    if f.manager_kind != "designated" {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Reports of a fiscal year (April–March), by month.
pub async fn reports(
    db: &Db,
    org: i64,
    facility: i64,
    fy: i32,
) -> sqlx::Result<Vec<MonthlyReport>> {
    sqlx::query_as(
        "SELECT month, users, revenue, incidents, complaints FROM rsv_manager_reports \
         WHERE organization_id = $1 AND facility_id = $2 AND month >= $3 AND month <= $4 ORDER BY month",
    )
    .bind(org)
    .bind(facility)
    .bind(format!("{fy}-04"))
    .bind(format!("{}-03", fy + 1))
    .fetch_all(db)
    .await
}

/// (rating code, comment) of a fiscal year's evaluation.
pub async fn evaluation(
    db: &Db,
    org: i64,
    facility: i64,
    fy: i32,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT rating, comment FROM rsv_monitoring WHERE organization_id = $1 AND facility_id = $2 AND fiscal_year = $3",
    )
    .bind(org)
    .bind(facility)
    .bind(i64::from(fy))
    .fetch_optional(db)
    .await
}

/// Saves (or corrects) a month's report.
pub async fn save_report(
    app: &App,
    org: i64,
    staff: i64,
    facility: i64,
    f: &ReportForm,
) -> AppResult<()> {
    designated(app, org, facility).await?;
    let mut errs = FieldErrors::default();
    let month = f.month.trim();
    if chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_err() {
        errs.add("month", "rsv.bad_month");
    }
    let count = |errs: &mut FieldErrors, field: &str, raw: &str| match errs.amount(field, raw) {
        Some(v) if v < 0 => {
            errs.add(field, "mgr.negative");
            0
        }
        Some(v) => v,
        None => {
            errs.add(field, "field.required");
            0
        }
    };
    let users = count(&mut errs, "users", &f.users);
    let revenue = count(&mut errs, "revenue", &f.revenue);
    let incidents = errs.long_text("incidents", &f.incidents, 2000);
    let complaints = errs.long_text("complaints", &f.complaints, 2000);
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO rsv_manager_reports (organization_id, facility_id, month, users, revenue, incidents, complaints, submitted_by, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (organization_id, facility_id, month) DO UPDATE SET \
         users = excluded.users, revenue = excluded.revenue, incidents = excluded.incidents, complaints = excluded.complaints, \
         submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at",
    )
    .bind(org)
    .bind(facility)
    .bind(month)
    .bind(users)
    .bind(revenue)
    .bind(&incidents)
    .bind(&complaints)
    .bind(staff)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.manager_report",
            target_type: "facility",
            target_id: facility.to_string(),
            before: None,
            after: Some(serde_json::json!({ "month": month, "users": users, "revenue": revenue })),
        },
    )
    .await?;
    Ok(())
}

/// Saves the department's yearly evaluation.
pub async fn save_evaluation(
    app: &App,
    org: i64,
    staff: i64,
    facility: i64,
    f: &EvaluationForm,
) -> AppResult<()> {
    designated(app, org, facility).await?;
    let mut errs = FieldErrors::default();
    let fy = f
        .fiscal_year
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if fy.is_none() {
        errs.add("fiscal_year", "field.bad_choice");
    }
    let all = codes::all(&app.db, org).await?;
    if !codes::of_list(&all, codes::FACILITY_MONITORING).any(|c| c.code == f.rating.trim()) {
        errs.add("rating", "field.bad_choice");
    }
    let comment = errs.long_text("comment", &f.comment, 4000);
    if comment.trim().is_empty() {
        errs.add("comment", "field.required");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO rsv_monitoring (organization_id, facility_id, fiscal_year, rating, comment, evaluated_by, evaluated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (organization_id, facility_id, fiscal_year) DO UPDATE SET \
         rating = excluded.rating, comment = excluded.comment, evaluated_by = excluded.evaluated_by, evaluated_at = excluded.evaluated_at",
    )
    .bind(org)
    .bind(facility)
    .bind(fy)
    .bind(f.rating.trim())
    .bind(&comment)
    .bind(staff)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.monitoring",
            target_type: "facility",
            target_id: facility.to_string(),
            before: None,
            after: Some(serde_json::json!({ "fiscal_year": fy, "rating": f.rating.trim() })),
        },
    )
    .await?;
    Ok(())
}
