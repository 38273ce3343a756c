//! Reading evaluation data. A cycle (all programmes of one year) or a programme (all its years) is
//! read with one query per table, so pages cost a fixed number of queries at any size.

use crate::db::Db;
use crate::db::flag::{self, Flag};
use crate::evaluation::stage::Stage;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PolicyPlan {
    pub id: i64,
    pub title: String,
    pub first_year: i64,
    pub last_year: i64,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub is_demo: bool,
}

/// 政策 / 施策 / 基本事業, by `level` (policy | measure | basic).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PolicyNode {
    pub id: i64,
    pub plan_id: i64,
    pub parent_id: Option<i64>,
    pub level: String,
    pub position: i64,
    pub number: String,
    pub title: String,
    pub goal: String,
}

/// 事務事業 — a programme as kept in the master.
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
pub struct Programme {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub department_id: i64,
    pub policy_node_id: Option<i64>,
    pub legal_basis: String,
    pub first_year: i64,
    pub last_year: Option<i64>,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub is_new: bool,
    pub kind: String,
    pub method: String,
    pub target: String,
    pub intent: String,
    pub means: String,
    pub status: String,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub is_demo: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Cycle {
    pub id: i64,
    pub fiscal_year: i64,
    pub committee_id: Option<i64>,
    pub sheets_due: String,
    pub hearings_from: String,
    pub hearings_to: String,
    pub publish_on: String,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub published: bool,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub is_demo: bool,
}

/// 事務事業評価シート. `contact_name` / `contact_phone` are internal: public pages never read them
/// (public reads use [`PUBLIC_SHEET`], which leaves them out).
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
pub struct Sheet {
    pub id: i64,
    pub cycle_id: i64,
    pub programme_id: i64,
    pub stage: Stage,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub external: bool,
    pub issues: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub stated_total: Option<i64>,
    pub submitted_at: Option<String>,
    pub updated_at: String,
    /// When the department's 所属長 approved the submitted sheet for the HQ (see `stages::awaiting`).
    pub manager_approved_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CostRow {
    pub sheet_id: i64,
    pub col: String,
    pub source: String,
    pub amount: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StaffRow {
    pub sheet_id: i64,
    pub col: String,
    pub category: String,
    pub fte: f64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UnitCost {
    pub fiscal_year: i64,
    pub category: String,
    pub unit_cost: i64,
}

/// A stage's verdict. Who decided stays in the table and is never read for pages.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Verdict {
    pub sheet_id: i64,
    pub stage: Stage,
    pub operator: String,
    pub direction: String,
    pub reason: String,
    pub improvement: String,
    pub decided_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Score {
    pub sheet_id: i64,
    pub stage: Stage,
    pub criterion: String,
    pub score: String,
    pub reason: String,
}

/// An indicator of a programme (対象 target / 活動 activity / 成果 outcome) or of a 施策 (outcome).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Indicator {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub kind: String,
    pub name: String,
    pub unit: String,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub higher_is_better: bool,
    pub position: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct IndicatorValue {
    pub indicator_id: i64,
    pub fiscal_year: i64,
    pub target: Option<f64>,
    pub actual: Option<f64>,
}

pub const PROGRAMME_COLUMNS: &str = "id, code, name, department_id, policy_node_id, legal_basis, first_year, last_year, is_new, kind, method, target, intent, means, status, is_demo";
pub const CYCLE_COLUMNS: &str = "id, fiscal_year, committee_id, sheets_due, hearings_from, hearings_to, publish_on, published, is_demo";
/// Sheet columns for public reads: the contact fields come back empty.
pub const PUBLIC_SHEET: &str = "id, cycle_id, programme_id, stage, external, issues, '' AS contact_name, '' AS contact_phone, stated_total, submitted_at, updated_at, manager_approved_at";
pub const STAFF_SHEET: &str = "id, cycle_id, programme_id, stage, external, issues, contact_name, contact_phone, stated_total, submitted_at, updated_at, manager_approved_at";

/// Which sheets a bulk read covers: one cycle's, or one programme's across the years.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Cycle(i64),
    Programme(i64),
}

impl Scope {
    pub(super) fn sheet_filter(self) -> &'static str {
        match self {
            Scope::Cycle(_) => "cycle_id = $2",
            Scope::Programme(_) => "programme_id = $2",
        }
    }
    pub(super) fn id(self) -> i64 {
        match self {
            Scope::Cycle(id) | Scope::Programme(id) => id,
        }
    }
    /// Rows of a child table whose sheet is in scope.
    pub(super) fn child_sql(self, columns: &str, table: &str) -> String {
        format!(
            "SELECT {columns} FROM {table} WHERE organization_id = $1 AND sheet_id IN \
             (SELECT id FROM eval_sheets WHERE organization_id = $1 AND {})",
            self.sheet_filter()
        )
    }
}

pub async fn policy_plans(db: &Db, org: i64) -> sqlx::Result<Vec<PolicyPlan>> {
    sqlx::query_as("SELECT id, title, first_year, last_year, is_demo FROM policy_plans WHERE organization_id = $1 ORDER BY first_year DESC")
        .bind(org)
        .fetch_all(db)
        .await
}

/// Every node of every comprehensive plan of the organization (a few hundred rows at most).
pub async fn policy_nodes(db: &Db, org: i64) -> sqlx::Result<Vec<PolicyNode>> {
    sqlx::query_as("SELECT id, plan_id, parent_id, level, position, number, title, goal FROM policy_nodes WHERE organization_id = $1 ORDER BY plan_id, position")
        .bind(org)
        .fetch_all(db)
        .await
}

pub async fn programmes(db: &Db, org: i64) -> sqlx::Result<Vec<Programme>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE organization_id = $1 ORDER BY code"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// Programmes with a sheet in a published year.
pub async fn published_programmes(
    db: &Db,
    org: i64,
) -> sqlx::Result<std::collections::HashSet<i64>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT s.programme_id FROM eval_sheets s JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id \
         WHERE s.organization_id = $1 AND c.published = 1",
    )
    .bind(org)
    .fetch_all(db)
    .await?;
    Ok(ids.into_iter().collect())
}

pub async fn programme(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Programme>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn cycles(db: &Db, org: i64) -> sqlx::Result<Vec<Cycle>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CYCLE_COLUMNS} FROM eval_cycles WHERE organization_id = $1 ORDER BY fiscal_year DESC"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

pub async fn cycle(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Cycle>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CYCLE_COLUMNS} FROM eval_cycles WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Every sheet of the years not yet published, with internal fields (staff work lists): one query,
/// without the cost lines a work list does not show.
pub async fn open_sheets(db: &Db, org: i64) -> sqlx::Result<Vec<Sheet>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {STAFF_SHEET} FROM eval_sheets WHERE organization_id = $1 AND cycle_id IN \
         (SELECT id FROM eval_cycles WHERE organization_id = $1 AND published = 0)"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// A sheet with its internal fields (staff pages only).
pub async fn sheet(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Sheet>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {STAFF_SHEET} FROM eval_sheets WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn unit_costs(db: &Db, org: i64) -> sqlx::Result<Vec<UnitCost>> {
    sqlx::query_as("SELECT fiscal_year, category, unit_cost FROM personnel_unit_costs WHERE organization_id = $1 ORDER BY fiscal_year, category")
        .bind(org)
        .fetch_all(db)
        .await
}

/// Indicators of one owner kind, optionally of one owner, with all their values.
pub async fn indicators(
    db: &Db,
    org: i64,
    owner_kind: &str,
    owner: Option<i64>,
) -> sqlx::Result<(Vec<Indicator>, Vec<IndicatorValue>)> {
    let (filter, id) = match owner {
        Some(id) => ("AND owner_id = $3", id),
        None => ("AND $3 = $3", 0),
    };
    let inds = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, owner_kind, owner_id, kind, name, unit, higher_is_better, position FROM eval_indicators \
         WHERE organization_id = $1 AND owner_kind = $2 {filter} ORDER BY owner_id, position, id"
    )))
    .bind(org)
    .bind(owner_kind)
    .bind(id)
    .fetch_all(db)
    .await?;
    let values = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT indicator_id, fiscal_year, target, actual FROM eval_indicator_values WHERE organization_id = $1 AND indicator_id IN \
         (SELECT id FROM eval_indicators WHERE organization_id = $1 AND owner_kind = $2 {filter}) ORDER BY fiscal_year"
    )))
    .bind(org)
    .bind(owner_kind)
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok((inds, values))
}
