//! An adviser's comments on what they are assigned to: kept for the HQ, published when the HQ
//! decides (under the adviser's name, or as 外部有識者 when the adviser asked not to be named).

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    pub assignment_id: i64,
    pub body: String,
    pub created_at: String,
    pub published_at: Option<String>,
}

const COLUMNS: &str =
    "c.id, c.assignment_id, c.body, c.created_at, c.published_at FROM adviser_comments c";

pub async fn of_assignment(db: &Db, org: i64, assignment: i64) -> sqlx::Result<Vec<Comment>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE c.organization_id = $1 AND c.assignment_id = $2 ORDER BY c.created_at DESC, c.id DESC"
    )))
    .bind(org)
    .bind(assignment)
    .fetch_all(db)
    .await
}

/// Every comment of the organization, newest first (the HQ's list); `published_only` for the public.
pub async fn all(db: &Db, org: i64, published_only: bool) -> sqlx::Result<Vec<Comment>> {
    let filter = if published_only {
        " AND c.published_at IS NOT NULL"
    } else {
        ""
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE c.organization_id = $1{filter} ORDER BY c.created_at DESC, c.id DESC LIMIT 500"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// A comment by the adviser of `assignment` (the caller has checked they may open it).
pub async fn add(app: &App, org: i64, user: i64, assignment: i64, body: &str) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let body = errs.long_text("body", body, 8000);
    if body.is_empty() {
        errs.add("body", "field.required");
    }
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO adviser_comments (organization_id, id, assignment_id, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(org)
    .bind(id)
    .bind(assignment)
    .bind(&body)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: "advisers.comment",
        target_type: "adviser_assignment",
        target_id: assignment.to_string(),
        before: None,
        after: Some(serde_json::json!({ "comment": id, "body": body })),
    };
    audit::record_and_commit(tx, org, &Actor::user(user), change).await?;
    Ok(id)
}

/// Publishes a comment or takes it back.
pub async fn publish(app: &App, org: i64, actor: i64, id: i64, on: bool) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "UPDATE adviser_comments SET published_at = $3 WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(on.then(now))
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let change = Change {
        action: if on {
            "advisers.publish"
        } else {
            "advisers.unpublish"
        },
        target_type: "adviser_comment",
        target_id: id.to_string(),
        before: None,
        after: None,
    };
    audit::record_and_commit(tx, org, &Actor::user(actor), change).await?;
    Ok(())
}
