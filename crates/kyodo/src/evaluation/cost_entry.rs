//! A sheet's costs (千円 by funding source) and staff-years (人工 by staff category), per cost
//! column: checked here for the sheet form and for the API's push of settled figures (a finance
//! system's `write:evaluation` token), so both refuse the same values with the same messages on
//! the same field names (`cost-<column>-<source>`, `fte-<column>-<category>`).

use super::sheet_form::SheetForm;
use super::stage::Stage;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes::{self, Code};
use crate::db::write::WriteTx;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Principal};
use crate::validation::FieldErrors;

/// FTE above this on one line is a typing error, not a programme.
const MAX_FTE: f64 = 1_000.0;
/// 千円: a trillion yen.
pub const MAX_AMOUNT: i64 = 1_000_000_000;

pub fn cost_field(col: &str, source: &str) -> String {
    format!("cost-{col}-{source}")
}
pub fn fte_field(col: &str, category: &str) -> String {
    format!("fte-{col}-{category}")
}

/// The checked rows of some cost columns.
#[derive(Debug, Default)]
pub struct CostRows {
    pub columns: Vec<&'static str>,
    /// (column, funding source, 千円)
    pub costs: Vec<(&'static str, String, i64)>,
    /// (column, staff category, staff-years)
    pub staffing: Vec<(&'static str, String, f64)>,
}

/// Checks the form's amounts in `columns` (each a `costs::COLUMNS` name).
pub fn check(
    errs: &mut FieldErrors,
    form: &SheetForm,
    all_codes: &[Code],
    columns: &[&'static str],
) -> CostRows {
    let mut rows = CostRows {
        columns: columns.to_vec(),
        ..Default::default()
    };
    for col in columns {
        for src in codes::of_list(all_codes, codes::FUNDING_SOURCE) {
            let f = cost_field(col, &src.code);
            match errs.amount(&f, form.cost(col, &src.code)) {
                Some(v) if !(0..=MAX_AMOUNT).contains(&v) => errs.add(&f, "eval.amount_range"),
                Some(v) => rows.costs.push((col, src.code.clone(), v)),
                None => {}
            }
        }
        for cat in codes::of_list(all_codes, codes::STAFF_CATEGORY) {
            let f = fte_field(col, &cat.code);
            match errs.number(&f, form.staff_years(col, &cat.code)) {
                Some(v) if !(0.0..=MAX_FTE).contains(&v) => errs.add(&f, "eval.fte_range"),
                Some(v) => rows.staffing.push((col, cat.code.clone(), v)),
                None => {}
            }
        }
    }
    rows
}

/// Replaces the stored rows of the checked columns (others are kept).
pub async fn write(tx: &mut WriteTx, org: i64, sheet_id: i64, rows: &CostRows) -> sqlx::Result<()> {
    for col in &rows.columns {
        for table in ["eval_costs", "eval_staffing"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE organization_id = $1 AND sheet_id = $2 AND col = $3"
            )))
            .bind(org)
            .bind(sheet_id)
            .bind(*col)
            .execute(&mut **tx)
            .await?;
        }
    }
    for (col, source, amount) in &rows.costs {
        sqlx::query("INSERT INTO eval_costs (organization_id, sheet_id, col, source, amount) VALUES ($1, $2, $3, $4, $5)")
            .bind(org).bind(sheet_id).bind(*col).bind(source).bind(amount)
            .execute(&mut **tx).await?;
    }
    for (col, category, fte) in &rows.staffing {
        sqlx::query("INSERT INTO eval_staffing (organization_id, sheet_id, col, category, fte) VALUES ($1, $2, $3, $4, $5)")
            .bind(org).bind(sheet_id).bind(*col).bind(category).bind(fte)
            .execute(&mut **tx).await?;
    }
    Ok(())
}

/// The API's push: the columns in `form` replace those stored, on a sheet still in draft that
/// `p` may edit (as the sheet form allows). Audited as `actor` (the token).
pub async fn push(
    app: &App,
    org: i64,
    p: &Principal,
    actor: &Actor,
    sheet_id: i64,
    form: &SheetForm,
    columns: &[&'static str],
) -> AppResult<CostRows> {
    let (sheet, programme) = super::sheets::load(app, org, sheet_id).await?;
    if !policy::can_edit_department_data(p, programme.department_id) {
        return Err(AppError::Forbidden);
    }
    if sheet.stage != Stage::Draft {
        return Err(AppError::BadRequest("eval.sheet_locked"));
    }
    let all_codes = codes::all(&app.db, org).await?;
    let mut errs = FieldErrors::default();
    let rows = check(&mut errs, form, &all_codes, columns);
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    // Only a draft is written: a submit that landed first wins.
    let done = sqlx::query(
        "UPDATE eval_sheets SET updated_at = $1 WHERE organization_id = $2 AND id = $3 AND stage = 'draft'",
    )
    .bind(crate::db::now())
    .bind(org)
    .bind(sheet_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest("eval.sheet_locked"));
    }
    write(&mut tx, org, sheet_id, &rows).await?;
    let change = Change {
        action: "eval.sheet_costs",
        target_type: "eval_sheet",
        target_id: sheet_id.to_string(),
        before: None,
        after: Some(serde_json::json!({
            "programme": programme.code, "columns": rows.columns,
            "costs": rows.costs.len(), "staffing": rows.staffing.len(),
        })),
    };
    audit::record_and_commit(tx, org, actor, change).await?;
    Ok(rows)
}
