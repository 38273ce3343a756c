//! The city's column mapping for workbook imports, saved per organization so the next year's file
//! imports without mapping again.

use super::import::Mapping;
use crate::db::Db;
use crate::error::{AppError, AppResult};

/// The saved mapping, or the default headers when none was saved (or it no longer parses).
pub async fn saved(db: &Db, org: i64) -> AppResult<Mapping> {
    let json: Option<String> = sqlx::query_scalar(
        "SELECT mapping_json FROM eval_import_mappings WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_optional(db)
    .await?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// Replaces the organization's mapping: one statement, so two imports saving theirs at the same
/// moment (two instances on PostgreSQL) both succeed and the later one stays.
pub async fn save(db: &Db, org: i64, m: &Mapping) -> AppResult<()> {
    let json = serde_json::to_string(m).map_err(|e| AppError::Internal(e.into()))?;
    sqlx::query(
        "INSERT INTO eval_import_mappings (organization_id, mapping_json, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id) DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at",
    )
    .bind(org)
    .bind(json)
    .bind(crate::db::now())
    .execute(db)
    .await?;
    Ok(())
}
