//! Correcting and removing nodes of the comprehensive plan (政策・施策・基本事業). A node keeps its
//! level and place; its number, title and goal can be corrected. A node is removed only while
//! nothing refers to it — lower nodes, programmes, outcome indicators, directions or survey items —
//! so no evaluation already made loses its 施策.

use super::store::{self, PolicyNode};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

/// The node with this id, if the organization has it.
pub async fn get(app: &App, org: i64, id: i64) -> AppResult<PolicyNode> {
    store::policy_nodes(&app.db, org)
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or(AppError::NotFound)
}

async fn audit(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    actor: i64,
    action: &str,
    before: &PolicyNode,
    after: Option<serde_json::Value>,
) -> sqlx::Result<()> {
    audit::append(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action,
            target_type: "policy_node",
            target_id: before.id.to_string(),
            before: Some(serde_json::json!({
                "number": before.number, "title": before.title, "goal": before.goal,
            })),
            after,
        },
    )
    .await
    .map(|_| ())
}

/// Corrects a node's number (unique in its plan), title and goal.
pub async fn update(
    app: &App,
    org: i64,
    actor: i64,
    id: i64,
    number: &str,
    title: &str,
    goal: &str,
) -> AppResult<()> {
    let nodes = store::policy_nodes(&app.db, org).await?;
    let node = nodes
        .iter()
        .find(|n| n.id == id)
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let number = errs.text("number", number, 20);
    if nodes
        .iter()
        .any(|n| n.plan_id == node.plan_id && n.id != id && n.number == number)
    {
        errs.add("number", "eval.number_taken");
    }
    let title = errs.text("title", title, 200);
    let goal = errs.long_text("goal", goal, 2000);
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "UPDATE policy_nodes SET number = $3, title = $4, goal = $5 WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(&number)
    .bind(&title)
    .bind(&goal)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"number": number, "title": title, "goal": goal});
    audit(
        &mut tx,
        org,
        actor,
        "eval.policy_node_update",
        node,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What still refers to a node, as the catalogue key of the first such use (none: removable).
async fn first_use(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    id: i64,
) -> sqlx::Result<Option<&'static str>> {
    const USES: [(&str, &str); 6] = [
        (
            "SELECT COUNT(*) FROM policy_nodes WHERE organization_id = $1 AND parent_id = $2",
            "eval.node_has_children",
        ),
        (
            "SELECT COUNT(*) FROM programmes WHERE organization_id = $1 AND policy_node_id = $2",
            "eval.node_has_programmes",
        ),
        (
            "SELECT COUNT(*) FROM eval_indicators WHERE organization_id = $1 AND owner_kind = 'policy' AND owner_id = $2",
            "eval.node_has_indicators",
        ),
        (
            "SELECT COUNT(*) FROM policy_directions WHERE organization_id = $1 AND node_id = $2",
            "eval.node_has_directions",
        ),
        (
            "SELECT COUNT(*) FROM survey_questions WHERE organization_id = $1 AND policy_node_id = $2",
            "eval.node_bound_to_survey",
        ),
        (
            "SELECT COUNT(*) FROM follow_up_opinions WHERE organization_id = $1 AND subject = 'policy' AND subject_id = $2",
            "eval.node_has_opinions",
        ),
    ];
    for (sql, key) in USES {
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(org)
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        if n > 0 {
            return Ok(Some(key));
        }
    }
    Ok(None)
}

/// Removes a node nothing refers to; otherwise says what still uses it (field `delete`).
pub async fn delete(app: &App, org: i64, actor: i64, id: i64) -> AppResult<i64> {
    let node = get(app, org, id).await?;
    let mut tx = app.begin_write().await?;
    if let Some(key) = first_use(&mut tx, org, id).await? {
        tx.rollback().await?;
        let mut errs = FieldErrors::default();
        errs.add("delete", key);
        return Err(AppError::Invalid(errs));
    }
    sqlx::query("DELETE FROM policy_nodes WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, org, actor, "eval.policy_node_delete", &node, None).await?;
    tx.commit().await?;
    Ok(node.plan_id)
}
