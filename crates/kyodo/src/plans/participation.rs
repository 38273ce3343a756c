//! 市民参加 — citizens and committees co-managing progress: 市民評価 (a 1–5 rating per item and year),
//! comments with moderation and the city's official answer, and 委員意見 with the city's response.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Serialize;

/// Organization setting: are comments checked `before` or `after` they appear?
pub const MODERATION_KEY: &str = "comment_moderation";

pub async fn moderation_mode(db: &Db, org: i64) -> sqlx::Result<String> {
    let mode = crate::accounts::org_settings::get(db, org, MODERATION_KEY).await?;
    Ok(mode
        .filter(|v| v == "after")
        .unwrap_or_else(|| "before".into()))
}

pub async fn set_moderation_mode(app: &App, org: i64, actor: i64, mode: &str) -> AppResult<()> {
    if !matches!(mode, "before" | "after") {
        let mut e = FieldErrors::default();
        e.add("mode", "field.bad_choice");
        return Err(AppError::Invalid(e));
    }
    crate::accounts::org_settings::set(app, org, actor, MODERATION_KEY, mode, "mode").await
}

/// Records (or replaces) a citizen's rating of an item for a fiscal year that has a published report.
pub async fn rate(
    app: &App,
    org: i64,
    user: i64,
    node: i64,
    year: i64,
    score: i64,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    if !(1..=5).contains(&score) {
        errs.add("score", "field.bad_choice");
    }
    let published: Option<(i64,)> = sqlx::query_as(
        "SELECT r.id FROM progress_reports r JOIN reporting_periods p ON p.organization_id = r.organization_id AND p.id = r.period_id \
         WHERE r.organization_id = $1 AND r.node_id = $2 AND p.fiscal_year = $3 AND r.published_version IS NOT NULL",
    )
    .bind(org)
    .bind(node)
    .bind(year)
    .fetch_optional(&app.db)
    .await?;
    if published.is_none() {
        errs.add("year", "field.bad_choice");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO citizen_ratings (organization_id, node_id, fiscal_year, user_id, score, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (organization_id, node_id, fiscal_year, user_id) DO UPDATE SET score = excluded.score, created_at = excluded.created_at",
    )
    .bind(org)
    .bind(node)
    .bind(year)
    .bind(user)
    .bind(score)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(user),
        Change {
            action: "plan.rate",
            target_type: "plan_node",
            target_id: node.to_string(),
            before: None,
            after: Some(serde_json::json!({ "fiscal_year": year, "score": score })),
        },
    )
    .await?;
    Ok(())
}

/// (node, fiscal year, score, count) for every rated item of a plan.
pub async fn rating_counts(
    db: &Db,
    org: i64,
    plan: i64,
) -> sqlx::Result<Vec<(i64, i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT c.node_id, c.fiscal_year, c.score, COUNT(*) FROM citizen_ratings c \
         JOIN plan_nodes n ON n.organization_id = c.organization_id AND n.id = c.node_id \
         WHERE c.organization_id = $1 AND n.plan_id = $2 GROUP BY c.node_id, c.fiscal_year, c.score",
    )
    .bind(org)
    .bind(plan)
    .fetch_all(db)
    .await
}

/// A comment as shown. `author` is the commenter's display name (citizens chose it to be public);
/// staff names never appear here.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    pub node_id: i64,
    pub author: String,
    pub body: String,
    pub status: String,
    pub moderation_reason: String,
    pub flags: i64,
    pub answer: String,
    pub created_at: String,
}

const COMMENT_COLUMNS: &str = "c.id, c.node_id, u.display_name AS author, c.body, c.status, c.moderation_reason, c.flags, c.answer, c.created_at \
     FROM citizen_comments c JOIN users u ON u.organization_id = c.organization_id AND u.id = c.user_id";

/// An item's published comments in the order written: all of them, or the newest `latest`.
pub async fn published_comments(
    db: &Db,
    org: i64,
    node: i64,
    latest: Option<i64>,
) -> sqlx::Result<Vec<Comment>> {
    let mut comments: Vec<Comment> = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COMMENT_COLUMNS} WHERE c.organization_id = $1 AND c.node_id = $2 AND c.status = 'published' ORDER BY c.created_at DESC, c.id DESC LIMIT $3")))
        .bind(org)
        .bind(node)
        .bind(latest.unwrap_or(i64::MAX))
        .fetch_all(db)
        .await?;
    comments.reverse();
    Ok(comments)
}

/// How many comments of an item are published.
pub async fn published_comment_count(db: &Db, org: i64, node: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM citizen_comments WHERE organization_id = $1 AND node_id = $2 AND status = 'published'")
        .bind(org)
        .bind(node)
        .fetch_one(db)
        .await
}

/// The moderation queue: pending comments and published ones readers reported.
pub async fn moderation_queue(db: &Db, org: i64) -> sqlx::Result<Vec<Comment>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COMMENT_COLUMNS} WHERE c.organization_id = $1 AND (c.status = 'pending' OR (c.status = 'published' AND c.flags > 0)) \
         ORDER BY c.created_at LIMIT 500"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// A citizen's comment; pending or published at once depending on the organization's setting.
pub async fn comment(
    app: &App,
    org: i64,
    user: i64,
    node: i64,
    body: &str,
) -> AppResult<&'static str> {
    let mut errs = FieldErrors::default();
    let body = errs.long_text("body", body, 2000);
    if body.is_empty() {
        errs.add("body", "field.required");
    }
    errs.into_result()?;
    let status = if moderation_mode(&app.db, org).await? == "after" {
        "published"
    } else {
        "pending"
    };
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO citizen_comments (organization_id, id, node_id, user_id, body, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(org)
        .bind(id)
        .bind(node)
        .bind(user)
        .bind(&body)
        .bind(status)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(user),
        Change {
            action: "comment.create",
            target_type: "citizen_comment",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "node": node, "status": status })),
        },
    )
    .await?;
    Ok(status)
}

/// A reader reports a published comment; it joins the moderation queue.
pub async fn flag(app: &App, org: i64, user: i64, comment: i64) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let n = sqlx::query("UPDATE citizen_comments SET flags = flags + 1 WHERE organization_id = $1 AND id = $2 AND status = 'published'")
        .bind(org)
        .bind(comment)
        .execute(&mut *tx)
        .await?;
    if n.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(user),
        Change {
            action: "comment.flag",
            target_type: "citizen_comment",
            target_id: comment.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// The HQ publishes or hides a comment (a reason is required to hide) and may answer it officially.
pub async fn moderate(
    app: &App,
    org: i64,
    actor: i64,
    comment: i64,
    action: &str,
    reason: &str,
    answer: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let reason = errs.long_text("reason", reason, 500);
    let answer = errs.long_text("answer", answer, 2000);
    let status = match action {
        "publish" => "published",
        "hide" => {
            if reason.is_empty() {
                errs.add("reason", "comment.reason_required");
            }
            "hidden"
        }
        _ => {
            errs.add("action", "field.bad_choice");
            "pending"
        }
    };
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    let before: Option<(String, String)> = sqlx::query_as(
        "SELECT status, answer FROM citizen_comments WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(comment)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((old_status, old_answer)) = before else {
        return Err(AppError::NotFound);
    };
    sqlx::query("UPDATE citizen_comments SET status = $1, moderation_reason = $2, answer = $3, flags = 0 WHERE organization_id = $4 AND id = $5")
        .bind(status)
        .bind(&reason)
        .bind(&answer)
        .bind(org)
        .bind(comment)
        .execute(&mut *tx)
        .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "comment.moderate",
            target_type: "citizen_comment",
            target_id: comment.to_string(),
            before: Some(serde_json::json!({ "status": old_status, "answer": old_answer })),
            after: Some(
                serde_json::json!({ "status": status, "reason": reason, "answer": answer }),
            ),
        },
    )
    .await?;
    Ok(())
}
