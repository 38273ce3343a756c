//! The column mapping of budget files an organization imports (which header holds 款, a value
//! for a 会計 the file has no column for, the unit): saved with each successful import and offered
//! again on the form, so next year's file of the same layout imports without mapping again.

pub use kyodo_decode::finance::budget::columns::Mapping;

use crate::db::Db;

/// The mapping saved last, or the usual names when none was (or it no longer reads).
pub async fn saved(db: &Db, org: i64) -> sqlx::Result<Mapping> {
    let json: Option<String> = sqlx::query_scalar(
        "SELECT mapping_json FROM fin_import_mappings WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_optional(db)
    .await?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// Replaces the organization's mapping in the import's transaction (one statement, so two
/// instances saving at once both succeed and the later one stays).
pub async fn save(tx: &mut crate::db::write::WriteTx, org: i64, m: &Mapping) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO fin_import_mappings (organization_id, mapping_json, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id) DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at",
    )
    .bind(org)
    .bind(serde_json::to_string(m)?)
    .bind(crate::db::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
