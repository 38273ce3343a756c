//! An organization's own settings (`org_settings`: key → value), read with a default and written
//! with an audit entry. Each area names its keys where it uses them.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::AppResult;

/// The value of `key`, if the organization has set it.
pub async fn get(db: &Db, org: i64, key: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM org_settings WHERE organization_id = $1 AND key = $2")
            .bind(org)
            .bind(key)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(v,)| v))
}

/// Sets `key` to `value` and audits it as `settings.<key>`, the value under `audit_field`.
pub async fn set(
    app: &App,
    org: i64,
    actor: i64,
    key: &str,
    value: &str,
    audit_field: &str,
) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO org_settings (organization_id, key, value) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id, key) DO UPDATE SET value = excluded.value",
    )
    .bind(org)
    .bind(key)
    .bind(value)
    .execute(&mut *tx)
    .await?;
    let action = format!("settings.{key}");
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: &action,
            target_type: "organization",
            target_id: org.to_string(),
            before: None,
            after: Some(serde_json::json!({ audit_field: value })),
        },
    )
    .await?;
    Ok(())
}

/// The organization's whole-number settings under `prefix` (e.g. `councils.`), key without the
/// prefix; values that are not numbers are left out (their defaults apply).
pub async fn numbers(db: &Db, org: i64, prefix: &str) -> sqlx::Result<Vec<(String, i64)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM org_settings WHERE organization_id = $1 AND key LIKE $2",
    )
    .bind(org)
    .bind(format!("{prefix}%"))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, v)| {
            let n = v.trim().parse::<i64>().ok()?;
            Some((k.strip_prefix(prefix)?.to_string(), n))
        })
        .collect())
}
