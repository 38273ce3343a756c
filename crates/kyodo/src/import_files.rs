//! Uploaded files kept for a multi-step import (upload once; choose the sheet, map columns,
//! preview, apply; download the report). Stored in the database so every instance can continue an
//! import another began; a file is only ever read back by its organization, for the same purpose
//! and target, and is removed a day after upload.

use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// How long an upload is kept.
const KEEP_HOURS: i64 = 24;

pub struct ImportFile {
    pub id: i64,
    pub user_id: i64,
    pub target_id: i64,
    pub file_name: String,
    pub content: Vec<u8>,
    /// What the applied import did (JSON), once applied.
    pub report_json: Option<String>,
}

/// Keeps an upload and returns its id. Uploads older than a day are removed on the way.
pub async fn keep(
    db: &Db,
    org: i64,
    user: i64,
    purpose: &str,
    target: i64,
    file_name: &str,
    content: &[u8],
) -> AppResult<i64> {
    let cutoff = crate::db::timestamp(chrono::Utc::now() - chrono::Duration::hours(KEEP_HOURS));
    sqlx::query("DELETE FROM import_files WHERE organization_id = $1 AND created_at < $2")
        .bind(org)
        .bind(cutoff)
        .execute(db)
        .await?;
    let id = new_id();
    let name: String = file_name.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO import_files (organization_id, id, user_id, purpose, target_id, file_name, content_base64, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(org)
    .bind(id)
    .bind(user)
    .bind(purpose)
    .bind(target)
    .bind(name)
    .bind(STANDARD.encode(content))
    .bind(now())
    .execute(db)
    .await?;
    Ok(id)
}

/// The upload `id` of the organization for `purpose`, or not found.
pub async fn open(db: &Db, org: i64, purpose: &str, id: i64) -> AppResult<ImportFile> {
    let row: Option<(i64, i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT user_id, target_id, file_name, content_base64, report_json FROM import_files \
         WHERE organization_id = $1 AND id = $2 AND purpose = $3",
    )
    .bind(org)
    .bind(id)
    .bind(purpose)
    .fetch_optional(db)
    .await?;
    let (user_id, target_id, file_name, b64, report_json) = row.ok_or(AppError::NotFound)?;
    let content = STANDARD
        .decode(b64)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(ImportFile {
        id,
        user_id,
        target_id,
        file_name,
        content,
        report_json,
    })
}

/// Records what the applied import did (inside the import's transaction).
pub async fn set_report(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    id: i64,
    report_json: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE import_files SET report_json = $1 WHERE organization_id = $2 AND id = $3")
        .bind(report_json)
        .bind(org)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
