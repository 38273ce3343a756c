//! 所属長承認 — whether a department's progress reports and evaluation sheets pass its manager
//! (所属長, the `dept_manager` role) before they reach the reform HQ. Most cities route a
//! department's report through its head, so the step is on unless an organization turns it off.

use crate::app::App;
use crate::db::Db;
use crate::error::AppResult;

/// Organization setting (`org_settings`): `on` (the default) or `off`.
pub const KEY: &str = "manager_approval";

/// Does department data wait for its manager before the HQ?
pub async fn required(db: &Db, org: i64) -> sqlx::Result<bool> {
    Ok(super::org_settings::get(db, org, KEY).await?.as_deref() != Some("off"))
}

pub async fn set(app: &App, org: i64, actor: i64, on: bool) -> AppResult<()> {
    let value = if on { "on" } else { "off" };
    super::org_settings::set(app, org, actor, KEY, value, KEY).await
}
