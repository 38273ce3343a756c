//! 所属長承認 of an evaluation sheet: when the organization asks for it, a submitted sheet (stage
//! `first`) waits for its department's manager, who passes it on to the HQ's 二次評価 or returns it
//! to the department. The HQ cannot stand in for the manager (see `policy::can_approve_department_data`).

use super::stage::Awaiting;
use super::{sheets, stages};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Principal};

/// May `p` act as 所属長 on this sheet now (the page's buttons)?
pub async fn may_act(app: &App, org: i64, p: &Principal, sheet_id: i64) -> AppResult<bool> {
    let (sheet, programme) = sheets::load(app, org, sheet_id).await?;
    let manager_step = crate::accounts::approval::required(&app.db, org).await?;
    Ok(
        stages::awaiting(&sheet, manager_step) == Some(Awaiting::Manager)
            && policy::can_approve_department_data(p, programme.department_id),
    )
}

/// The manager approves the sheet for the HQ.
pub async fn approve(app: &App, org: i64, p: &Principal, sheet_id: i64) -> AppResult<()> {
    if !may_act(app, org, p, sheet_id).await? {
        return Err(AppError::Forbidden);
    }
    let at = now();
    let mut tx = app.begin_write().await?;
    // Only a sheet still waiting: a colleague's approval or a return in between wins.
    let done = sqlx::query(
        "UPDATE eval_sheets SET manager_approved_at = $1, manager_approved_by = $2, updated_at = $1 \
         WHERE organization_id = $3 AND id = $4 AND stage = 'first' AND manager_approved_at IS NULL",
    )
    .bind(&at)
    .bind(p.user_id)
    .bind(org)
    .bind(sheet_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest("eval.sheet_locked"));
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(p.user_id),
        Change {
            action: "eval.manager_approve",
            target_type: "eval_sheet",
            target_id: sheet_id.to_string(),
            before: Some(serde_json::json!({"stage": "first"})),
            after: Some(serde_json::json!({"stage": "first", "manager_approved": true})),
        },
    )
    .await?;
    Ok(())
}

/// The manager returns the sheet to the department as a draft.
pub async fn return_to_department(
    app: &App,
    org: i64,
    p: &Principal,
    sheet_id: i64,
) -> AppResult<()> {
    if !may_act(app, org, p, sheet_id).await? {
        return Err(AppError::Forbidden);
    }
    stages::return_to_department(app, org, p.user_id, sheet_id).await
}
