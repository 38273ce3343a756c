//! 添付資料 — files attached to a progress report (meeting minutes, photos, spreadsheets), checked
//! and stored through [`crate::files`]; the database row records name, type, size and SHA-256. A file becomes public once a report version at or after the one it was added to is published.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::files;
use crate::validation::FieldErrors;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub report_id: i64,
    pub version: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: String,
}

/// Adds a file to the report of `node` and `period` (creating nothing else: the report must exist).
pub async fn add(
    app: &App,
    org: i64,
    actor: i64,
    report: i64,
    filename: &str,
    bytes: &[u8],
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let checked = files::check(&mut errs, "file", filename, bytes);
    errs.into_result()?;
    let Some(checked) = checked else {
        return Err(AppError::BadRequest("error.bad_form"));
    };
    let (version,): (i64,) = sqlx::query_as(
        "SELECT current_version FROM progress_reports WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(report)
    .fetch_optional(&app.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let id = new_id();
    files::store(app, org, id, bytes).await?;
    let (name, sha) = (checked.name, checked.sha256);
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO report_attachments (organization_id, id, report_id, version, filename, content_type, size_bytes, sha256, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(org)
    .bind(id)
    .bind(report)
    .bind(version + 1)
    .bind(&name)
    .bind(checked.content_type)
    .bind(bytes.len() as i64)
    .bind(&sha)
    .bind(actor)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::append(&mut tx, org, &Actor::user(actor), Change {
        action: "report.attach",
        target_type: "report_attachment",
        target_id: id.to_string(),
        before: None,
        after: Some(serde_json::json!({"report": report, "filename": name, "size": bytes.len(), "sha256": sha})),
    })
    .await?;
    if let Err(e) = tx.commit().await {
        files::remove(app, org, id).await;
        return Err(e.into());
    }
    Ok(id)
}

const COLUMNS: &str = "a.id, a.report_id, a.version, a.filename, a.content_type, a.size_bytes, a.sha256, a.created_at FROM report_attachments a";

pub async fn of_report(db: &Db, org: i64, report: i64) -> sqlx::Result<Vec<Attachment>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE a.organization_id = $1 AND a.report_id = $2 ORDER BY a.created_at"
    )))
    .bind(org)
    .bind(report)
    .fetch_all(db)
    .await
}

/// Public files of a node's published reports.
pub async fn published_of_node(db: &Db, org: i64, node: i64) -> sqlx::Result<Vec<Attachment>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} JOIN progress_reports r ON r.organization_id = a.organization_id AND r.id = a.report_id \
         WHERE a.organization_id = $1 AND r.node_id = $2 AND r.published_version IS NOT NULL AND a.version <= r.published_version ORDER BY a.created_at"
    )))
    .bind(org)
    .bind(node)
    .fetch_all(db)
    .await
}

/// The file, with whether it is public and the node it belongs to.
pub async fn open(app: &App, org: i64, id: i64) -> AppResult<(Attachment, bool, i64, Vec<u8>)> {
    let row: Option<(i64, Option<i64>, i64)> = sqlx::query_as(
        "SELECT a.version, r.published_version, r.node_id FROM report_attachments a JOIN progress_reports r ON r.organization_id = a.organization_id AND r.id = a.report_id \
         WHERE a.organization_id = $1 AND a.id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(&app.db)
    .await?;
    let (version, published, node) = row.ok_or(AppError::NotFound)?;
    let att: Attachment = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE a.organization_id = $1 AND a.id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_one(&app.db)
    .await?;
    let bytes = files::read(app, org, id).await?;
    Ok((att, published.is_some_and(|p| version <= p), node, bytes))
}
