//! 所属長承認 — whether a department's progress reports and evaluation sheets pass its manager
//! (所属長, the `dept_manager` role) before they reach the reform HQ. Most cities route a
//! department's report through its head, so the step is on unless an organization turns it off.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::AppResult;

/// Organization setting (`org_settings`): `on` (the default) or `off`.
pub const KEY: &str = "manager_approval";

/// Does department data wait for its manager before the HQ?
pub async fn required(db: &Db, org: i64) -> sqlx::Result<bool> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM org_settings WHERE organization_id = $1 AND key = $2")
            .bind(org)
            .bind(KEY)
            .fetch_optional(db)
            .await?;
    Ok(row.is_none_or(|(v,)| v != "off"))
}

pub async fn set(app: &App, org: i64, actor: i64, on: bool) -> AppResult<()> {
    let value = if on { "on" } else { "off" };
    let mut tx = app.db.begin().await?;
    sqlx::query(
        "INSERT INTO org_settings (organization_id, key, value) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id, key) DO UPDATE SET value = excluded.value",
    )
    .bind(org)
    .bind(KEY)
    .bind(value)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        org,
        &Actor::user(actor),
        Change {
            action: "settings.manager_approval",
            target_type: "organization",
            target_id: org.to_string(),
            before: None,
            after: Some(serde_json::json!({ "manager_approval": value })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
