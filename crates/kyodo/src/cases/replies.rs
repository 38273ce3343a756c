//! 定型文 — reply templates of a kind of case. The HQ keeps them with the kind's settings; staff
//! start an answer from one (no script needed: the case page opened with `?template=` has the
//! answer box filled), then edit it before sending.

use super::store::{self, Case};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReplyTemplate {
    pub id: i64,
    pub title: String,
    pub body: String,
}

impl ReplyTemplate {
    /// The body for `case`: {整理番号} and {件名} replaced by its number and subject.
    pub fn for_case(&self, case: &Case) -> String {
        self.body
            .replace("{整理番号}", &case.number)
            .replace("{件名}", &case.subject)
    }
}

/// A kind's templates, in the order they were added.
pub async fn of_type(db: &Db, org: i64, type_id: i64) -> sqlx::Result<Vec<ReplyTemplate>> {
    sqlx::query_as(
        "SELECT id, title, body FROM case_reply_templates WHERE organization_id = $1 AND type_id = $2 ORDER BY id",
    )
    .bind(org)
    .bind(type_id)
    .fetch_all(db)
    .await
}

/// Adds a template to a kind: a title (≤ 60 characters) and a body (≤ 4,000), both required.
pub async fn add(
    app: &App,
    org: i64,
    actor: i64,
    type_id: i64,
    title: &str,
    body: &str,
) -> AppResult<i64> {
    store::case_type(&app.db, org, type_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let title = errs.text("template_title", title, 60);
    let body = errs.long_text("template_body", body, 4000);
    if body.trim().is_empty() {
        errs.add("template_body", "field.required");
    }
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO case_reply_templates (organization_id, id, type_id, title, body) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(org)
    .bind(id)
    .bind(type_id)
    .bind(&title)
    .bind(&body)
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "cases.template_add",
            target_type: "case_type",
            target_id: type_id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "template": id, "title": title })),
        },
    )
    .await?;
    Ok(id)
}

/// Removes one of a kind's templates.
pub async fn remove(app: &App, org: i64, actor: i64, type_id: i64, id: i64) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "DELETE FROM case_reply_templates WHERE organization_id = $1 AND type_id = $2 AND id = $3",
    )
    .bind(org)
    .bind(type_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "cases.template_remove",
            target_type: "case_type",
            target_id: type_id.to_string(),
            before: Some(serde_json::json!({ "template": id })),
            after: None,
        },
    )
    .await?;
    Ok(())
}
