//! Reading plans: each function is one query for the whole plan, so a page costs a fixed number
//! of queries however many items the plan has (no N+1).

use crate::db::Db;
use crate::db::flag::{self, Flag};
use crate::plans::reports::ReportStatus;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Plan {
    pub id: i64,
    pub title: String,
    pub goal: String,
    pub first_year: i64,
    pub last_year: i64,
    pub status: String,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub is_demo: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Node {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub position: i64,
    pub number: String,
    pub seed_ref: String,
    pub title: String,
    pub body: String,
    pub issues: String,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub trackable: bool,
    /// 1 when the item was discontinued (中止) by an approved change request.
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub cancelled: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Indicator {
    pub id: i64,
    pub node_id: i64,
    pub name: String,
    pub unit: String,
    pub baseline_year: Option<i64>,
    pub baseline_value: Option<f64>,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub higher_is_better: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct IndicatorValue {
    pub indicator_id: i64,
    pub fiscal_year: i64,
    pub target: Option<f64>,
    pub actual: Option<f64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Effect {
    pub id: i64,
    pub node_id: i64,
    pub fiscal_year: i64,
    pub kind: String,
    pub account: String,
    pub planned: i64,
    pub actual: Option<i64>,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub recurring: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Period {
    pub id: i64,
    pub fiscal_year: i64,
    pub label: String,
    pub due_on: String,
}

/// A published report version, as the public sees it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PublishedReport {
    pub report_id: i64,
    pub node_id: i64,
    pub fiscal_year: i64,
    pub period_label: String,
    pub progress: String,
    pub rating: String,
    pub did: String,
    pub evaluation: String,
    pub next_steps: String,
    pub published_at: String,
}

pub async fn plans(db: &Db, org: i64) -> sqlx::Result<Vec<Plan>> {
    sqlx::query_as("SELECT id, title, goal, first_year, last_year, status, is_demo FROM plans WHERE organization_id = $1 ORDER BY first_year DESC, id")
        .bind(org).fetch_all(db).await
}

/// The items (trackable nodes) of every plan the public may see, for the sitemap.
pub async fn published_item_ids(db: &Db, org: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT n.id FROM plan_nodes n JOIN plans p ON p.organization_id = n.organization_id AND p.id = n.plan_id \
         WHERE n.organization_id = $1 AND p.status <> 'draft' AND n.trackable = 1 ORDER BY n.id",
    )
    .bind(org).fetch_all(db).await
}

pub async fn plan(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Plan>> {
    sqlx::query_as("SELECT id, title, goal, first_year, last_year, status, is_demo FROM plans WHERE organization_id = $1 AND id = $2")
        .bind(org).bind(id).fetch_optional(db).await
}

pub async fn nodes(db: &Db, org: i64, plan_id: i64) -> sqlx::Result<Vec<Node>> {
    sqlx::query_as(
        "SELECT id, parent_id, depth, position, number, seed_ref, title, body, issues, trackable, cancelled FROM plan_nodes \
         WHERE organization_id = $1 AND plan_id = $2 ORDER BY depth, position",
    )
    .bind(org).bind(plan_id).fetch_all(db).await
}

pub async fn node(db: &Db, org: i64, plan_id: i64, id: i64) -> sqlx::Result<Option<Node>> {
    sqlx::query_as(
        "SELECT id, parent_id, depth, position, number, seed_ref, title, body, issues, trackable, cancelled FROM plan_nodes \
         WHERE organization_id = $1 AND plan_id = $2 AND id = $3",
    )
    .bind(org).bind(plan_id).bind(id).fetch_optional(db).await
}

/// (node, department id, department name) for every node of the plan.
pub async fn node_departments(
    db: &Db,
    org: i64,
    plan_id: i64,
) -> sqlx::Result<Vec<(i64, i64, String, String)>> {
    sqlx::query_as(
        "SELECT nd.node_id, d.id, d.name, d.name_en FROM plan_node_departments nd \
         JOIN plan_nodes n ON n.organization_id = nd.organization_id AND n.id = nd.node_id \
         JOIN departments d ON d.organization_id = nd.organization_id AND d.id = nd.department_id \
         WHERE nd.organization_id = $1 AND n.plan_id = $2 ORDER BY d.code",
    )
    .bind(org)
    .bind(plan_id)
    .fetch_all(db)
    .await
}

/// (node, fiscal year, step code).
pub async fn schedule(db: &Db, org: i64, plan_id: i64) -> sqlx::Result<Vec<(i64, i64, String)>> {
    sqlx::query_as(
        "SELECT s.node_id, s.fiscal_year, s.step FROM plan_schedule s \
         JOIN plan_nodes n ON n.organization_id = s.organization_id AND n.id = s.node_id \
         WHERE s.organization_id = $1 AND n.plan_id = $2",
    )
    .bind(org)
    .bind(plan_id)
    .fetch_all(db)
    .await
}

pub async fn indicators(db: &Db, org: i64, plan_id: i64) -> sqlx::Result<Vec<Indicator>> {
    sqlx::query_as(
        "SELECT i.id, i.node_id, i.name, i.unit, i.baseline_year, i.baseline_value, i.higher_is_better FROM indicators i \
         JOIN plan_nodes n ON n.organization_id = i.organization_id AND n.id = i.node_id \
         WHERE i.organization_id = $1 AND n.plan_id = $2 ORDER BY i.node_id, i.position",
    )
    .bind(org).bind(plan_id).fetch_all(db).await
}

pub async fn indicator_values(
    db: &Db,
    org: i64,
    plan_id: i64,
) -> sqlx::Result<Vec<IndicatorValue>> {
    sqlx::query_as(
        "SELECT v.indicator_id, v.fiscal_year, v.target, v.actual FROM indicator_values v \
         JOIN indicators i ON i.organization_id = v.organization_id AND i.id = v.indicator_id \
         JOIN plan_nodes n ON n.organization_id = i.organization_id AND n.id = i.node_id \
         WHERE v.organization_id = $1 AND n.plan_id = $2 ORDER BY v.indicator_id, v.fiscal_year",
    )
    .bind(org)
    .bind(plan_id)
    .fetch_all(db)
    .await
}

pub async fn effects(db: &Db, org: i64, plan_id: i64) -> sqlx::Result<Vec<Effect>> {
    sqlx::query_as(
        "SELECT e.id, e.node_id, e.fiscal_year, e.kind, e.account, e.planned, e.actual, e.recurring FROM fiscal_effects e \
         JOIN plan_nodes n ON n.organization_id = e.organization_id AND n.id = e.node_id \
         WHERE e.organization_id = $1 AND n.plan_id = $2 ORDER BY e.node_id, e.fiscal_year, e.kind, e.account",
    )
    .bind(org).bind(plan_id).fetch_all(db).await
}

pub async fn periods(db: &Db, org: i64, plan_id: i64) -> sqlx::Result<Vec<Period>> {
    sqlx::query_as("SELECT id, fiscal_year, label, due_on FROM reporting_periods WHERE organization_id = $1 AND plan_id = $2 ORDER BY fiscal_year, due_on")
        .bind(org).bind(plan_id).fetch_all(db).await
}

/// Every published report version of the plan, oldest period first.
pub async fn published_reports(
    db: &Db,
    org: i64,
    plan_id: i64,
) -> sqlx::Result<Vec<PublishedReport>> {
    sqlx::query_as(
        "SELECT r.id AS report_id, r.node_id, p.fiscal_year, p.label AS period_label, v.progress, v.rating, v.did, \
         v.evaluation, v.next_steps, r.updated_at AS published_at \
         FROM progress_reports r \
         JOIN reporting_periods p ON p.organization_id = r.organization_id AND p.id = r.period_id \
         JOIN progress_report_versions v ON v.organization_id = r.organization_id AND v.report_id = r.id AND v.version = r.published_version \
         WHERE r.organization_id = $1 AND p.plan_id = $2 AND r.published_version IS NOT NULL \
         ORDER BY p.fiscal_year, p.due_on",
    )
    .bind(org).bind(plan_id).fetch_all(db).await
}

/// (node, period, status) of every report of the organization, or of one node.
pub async fn report_statuses(
    db: &Db,
    org: i64,
    node: Option<i64>,
) -> sqlx::Result<Vec<(i64, i64, ReportStatus)>> {
    sqlx::query_as("SELECT node_id, period_id, status FROM progress_reports WHERE organization_id = $1 AND ($2 IS NULL OR node_id = $2)")
        .bind(org).bind(node).fetch_all(db).await
}

/// The plan a node belongs to (`trackable_only`: action items only).
pub async fn plan_of_node(
    db: &Db,
    org: i64,
    node: i64,
    trackable_only: bool,
) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT plan_id, trackable FROM plan_nodes WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(node)
    .fetch_optional(db)
    .await?;
    Ok(row
        .filter(|(_, t)| !trackable_only || *t != 0)
        .map(|(p, _)| p))
}

/// (id, number, title) of every node of the organization, for lists that name items.
pub async fn node_titles(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, String, String)>> {
    sqlx::query_as("SELECT id, number, title FROM plan_nodes WHERE organization_id = $1")
        .bind(org)
        .fetch_all(db)
        .await
}

/// Is `node` an action item whose progress (and fiscal effect) is tracked? `None`: no such node.
pub async fn is_trackable(db: &Db, org: i64, node: i64) -> sqlx::Result<Option<bool>> {
    let row: Option<i64> = sqlx::query_scalar(
        "SELECT trackable FROM plan_nodes WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(node)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|t| t == 1))
}

/// (id, number, title) of the given nodes, by number.
pub async fn nodes_by_id(
    db: &Db,
    org: i64,
    ids: &[i64],
) -> sqlx::Result<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, number, title FROM plan_nodes WHERE organization_id = $1 AND id IN ({list}) ORDER BY number"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

pub async fn node_of_comment(db: &Db, org: i64, comment: i64) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT node_id FROM citizen_comments WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(comment)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| r.0))
}

pub async fn node_of_effect(db: &Db, org: i64, effect: i64) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT node_id FROM fiscal_effects WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(effect)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|r| r.0))
}

/// (node, plan's first year, last year) of an indicator.
pub async fn indicator_scope(
    db: &Db,
    org: i64,
    indicator: i64,
) -> sqlx::Result<Option<(i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT i.node_id, pl.first_year, pl.last_year FROM indicators i JOIN plan_nodes n ON n.organization_id = i.organization_id AND n.id = i.node_id \
         JOIN plans pl ON pl.organization_id = n.organization_id AND pl.id = n.plan_id WHERE i.organization_id = $1 AND i.id = $2",
    )
    .bind(org).bind(indicator).fetch_optional(db).await
}

pub async fn plan_of_period(db: &Db, org: i64, period: i64) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT plan_id FROM reporting_periods WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(period)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Does the node have a published report for the period?
pub async fn has_published_report(db: &Db, org: i64, node: i64, period: i64) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM progress_reports WHERE organization_id = $1 AND node_id = $2 AND period_id = $3 AND published_version IS NOT NULL",
    )
    .bind(org).bind(node).bind(period).fetch_optional(db).await?;
    Ok(row.is_some())
}

/// Action items of published plans a verdict can be linked to: (node, number and title).
pub async fn trackable_items(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT n.id, n.number || ' ' || n.title FROM plan_nodes n JOIN plans p ON p.organization_id = n.organization_id AND p.id = n.plan_id \
         WHERE n.organization_id = $1 AND n.trackable = 1 AND p.status <> 'draft' ORDER BY p.first_year DESC, n.depth, n.position LIMIT 500",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// The upper nodes (depth 0 and 1) of every plan, which a survey pair can be bound to:
/// (node, number, title).
pub async fn upper_nodes(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, String, String)>> {
    sqlx::query_as(
        "SELECT n.id, n.number, n.title FROM plan_nodes n JOIN plans p ON p.organization_id = n.organization_id AND p.id = n.plan_id \
         WHERE n.organization_id = $1 AND n.depth <= 1 ORDER BY p.id, n.number",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// A published progress report as news: its item, period and when it was published.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportNews {
    pub node_id: i64,
    pub plan_id: i64,
    pub title: String,
    pub period_label: String,
    pub published_at: String,
}

/// The newest published progress reports of the organization (any plan; the caller keeps those of
/// plans its reader may see).
pub async fn recent_published_reports(
    db: &Db,
    org: i64,
    limit: i64,
) -> sqlx::Result<Vec<ReportNews>> {
    sqlx::query_as(
        "SELECT r.node_id, n.plan_id, n.title, p.label AS period_label, r.updated_at AS published_at \
         FROM progress_reports r \
         JOIN plan_nodes n ON n.organization_id = r.organization_id AND n.id = r.node_id \
         JOIN reporting_periods p ON p.organization_id = r.organization_id AND p.id = r.period_id \
         WHERE r.organization_id = $1 AND r.published_version IS NOT NULL \
         ORDER BY r.updated_at DESC, r.id DESC LIMIT $2",
    )
    .bind(org)
    .bind(limit)
    .fetch_all(db)
    .await
}
