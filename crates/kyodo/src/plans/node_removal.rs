//! Removing a node that has no history yet; one with history is discontinued instead (変更・中止).

use super::editing::audited;
use crate::app::App;
use crate::error::{AppError, AppResult};
use serde_json::json;

/// Deletes a node that has nothing hanging on it yet (no children, reports, indicators, effects,
/// comments, ratings, opinions or change requests); anything with history is discontinued instead.
pub async fn delete_node(app: &App, org: i64, actor: i64, node: i64) -> AppResult<i64> {
    let plan = super::store::plan_of_node(&app.db, org, node, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let (used,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM plan_nodes WHERE organization_id = $1 AND parent_id = $2) \
         + (SELECT COUNT(*) FROM progress_reports WHERE organization_id = $1 AND node_id = $2) \
         + (SELECT COUNT(*) FROM indicators WHERE organization_id = $1 AND node_id = $2) \
         + (SELECT COUNT(*) FROM fiscal_effects WHERE organization_id = $1 AND node_id = $2) \
         + (SELECT COUNT(*) FROM citizen_comments WHERE organization_id = $1 AND node_id = $2) \
         + (SELECT COUNT(*) FROM citizen_ratings WHERE organization_id = $1 AND node_id = $2) \
         + (SELECT COUNT(*) FROM follow_up_opinions WHERE organization_id = $1 AND subject = 'item' AND subject_id = $2) \
         + (SELECT COUNT(*) FROM change_requests WHERE organization_id = $1 AND node_id = $2)",
    )
    .bind(org)
    .bind(node)
    .fetch_one(&app.db)
    .await?;
    if used > 0 {
        return Err(AppError::BadRequest("plan_edit.node_in_use"));
    }
    let mut tx = audited(
        app,
        org,
        actor,
        "plan.node_delete",
        "plan_node",
        node,
        json!({"plan": plan}),
    )
    .await?;
    sqlx::query("DELETE FROM plan_schedule WHERE organization_id = $1 AND node_id = $2")
        .bind(org)
        .bind(node)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM plan_node_departments WHERE organization_id = $1 AND node_id = $2")
        .bind(org)
        .bind(node)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM plan_nodes WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(node)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(plan)
}
