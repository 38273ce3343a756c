//! The programme list of a year, one row per sheet, summed by the database. The public list shows
//! 1,000 programmes × a year; loading every cost line (8 per sheet) through the driver cost ~90 ms a
//! page, a single aggregated query a fraction of that. The sums follow `costs::columns` exactly
//! (tested against it on both backends): 事業費 = Σ amounts, 人件費 = round(Σ FTE × the latest
//! unit cost at or before the year).

use crate::db::Db;
use crate::evaluation::stage::Stage;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ListRow {
    pub sheet_id: i64,
    pub programme_id: i64,
    pub stage: Stage,
    pub settled_cost: i64,
    pub settled_personnel: Option<f64>,
    pub budget_cost: i64,
    pub budget_personnel: Option<f64>,
    /// The most advanced verdict's direction ('' while none).
    pub direction: Option<String>,
}

impl ListRow {
    /// The year's total cost: settled when there is one, else the budget (as `year::year_cost`).
    pub fn cost(&self) -> i64 {
        let total =
            |cost: i64, personnel: Option<f64>| cost + personnel.unwrap_or(0.0).round() as i64;
        match total(self.settled_cost, self.settled_personnel) {
            0 => total(self.budget_cost, self.budget_personnel),
            t => t,
        }
    }
}

/// SQL for the direction of sheet `s`'s most advanced verdict (final, external, second, first);
/// NULL while none has one. The SQL twin of `SheetData::latest_verdict`.
pub const LATEST_DIRECTION: &str = "(SELECT v.direction FROM eval_verdicts v WHERE v.organization_id = s.organization_id \
     AND v.sheet_id = s.id AND v.direction <> '' \
     ORDER BY CASE v.stage WHEN 'final' THEN 0 WHEN 'external' THEN 1 WHEN 'second' THEN 2 ELSE 3 END LIMIT 1)";

fn cost(col: &str) -> String {
    format!(
        "CAST(COALESCE((SELECT SUM(c.amount) FROM eval_costs c WHERE c.organization_id = s.organization_id AND c.sheet_id = s.id AND c.col = '{col}'), 0) AS BIGINT)"
    )
}

fn personnel(col: &str) -> String {
    format!(
        "(SELECT SUM(st.fte * (SELECT u.unit_cost FROM personnel_unit_costs u WHERE u.organization_id = st.organization_id \
         AND u.category = st.category AND u.fiscal_year <= $3 ORDER BY u.fiscal_year DESC LIMIT 1)) \
         FROM eval_staffing st WHERE st.organization_id = s.organization_id AND st.sheet_id = s.id AND st.col = '{col}')"
    )
}

pub async fn rows(db: &Db, org: i64, cycle: i64, fiscal_year: i64) -> sqlx::Result<Vec<ListRow>> {
    let sql = format!(
        "SELECT s.id AS sheet_id, s.programme_id, s.stage, {} AS settled_cost, {} AS settled_personnel, {} AS budget_cost, {} AS budget_personnel, {LATEST_DIRECTION} AS direction \
         FROM eval_sheets s WHERE s.organization_id = $1 AND s.cycle_id = $2",
        cost("settled"),
        personnel("settled"),
        cost("budget"),
        personnel("budget")
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(org)
        .bind(cycle)
        .bind(fiscal_year)
        .fetch_all(db)
        .await
}
