//! 添付資料 — files attached to a progress report (meeting minutes, photos, spreadsheets). Stored
//! under `<data dir>/attachments/<organization>/<id>`; the database row records name, type, size and
//! SHA-256. A file becomes public once a report version at or after the one it was added to is published.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

pub const MAX_BYTES: usize = 1536 * 1024;

/// Allowed extensions and the content type served for them (never the one the browser sent).
const TYPES: [(&str, &str); 9] = [
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("csv", "text/csv; charset=utf-8"),
    ("txt", "text/plain; charset=utf-8"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
];

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

fn path(app: &App, org: i64, id: i64) -> PathBuf {
    app.config
        .data_dir
        .join("attachments")
        .join(org.to_string())
        .join(id.to_string())
}

/// The file's name without directories or control characters, at most 100 characters.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    base.chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(100)
        .collect::<String>()
        .trim()
        .to_string()
}

pub fn content_type_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    TYPES.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
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
    let name = clean_name(filename);
    let content_type = content_type_of(&name);
    if name.is_empty() || bytes.is_empty() {
        errs.add("file", "attachment.missing");
    } else if content_type.is_none() {
        errs.add("file", "attachment.bad_type");
    } else if bytes.len() > MAX_BYTES {
        errs.add("file", "attachment.too_large");
    }
    errs.into_result()?;
    let (version,): (i64,) = sqlx::query_as(
        "SELECT current_version FROM progress_reports WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(report)
    .fetch_optional(&app.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let id = new_id();
    let target = path(app, org, id);
    let dir = target.parent().map(PathBuf::from).unwrap_or_default();
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(anyhow::Error::from)?;
    // Written under a temporary name and renamed, so a crash never leaves a half file under a real id.
    let tmp = dir.join(format!(".{id}.part"));
    tokio::fs::write(&tmp, bytes)
        .await
        .map_err(anyhow::Error::from)?;
    tokio::fs::rename(&tmp, &target)
        .await
        .map_err(anyhow::Error::from)?;
    let sha = hex::encode(Sha256::digest(bytes));
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
    .bind(content_type.unwrap_or("application/octet-stream"))
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
        let _ = tokio::fs::remove_file(&target).await;
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
    let bytes = tokio::fs::read(path(app, org, id))
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok((att, published.is_some_and(|p| version <= p), node, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types_are_decided_by_the_server() {
        assert_eq!(clean_name("C:\\Users\\x\\会議録.pdf"), "会議録.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b\u{0}.txt"), "ab.txt");
        assert_eq!(content_type_of("会議録.PDF"), Some("application/pdf"));
        assert_eq!(content_type_of("x.html"), None);
        assert_eq!(content_type_of("x.svg"), None, "SVG can carry scripts");
        assert_eq!(content_type_of("noext"), None);
    }
}
