//! What the submitter does after sending, from the status page (number and key checked there):
//! reply (to a 差戻し or otherwise, with a file if asked for one) and withdraw (取下げ) while the
//! case is open.

use super::work::{finish, invalid, locked, message_text, set_status};
use super::{IN_PROGRESS, RETURNED, WITHDRAWN, files, is_open, store};
use crate::app::App;
use crate::audit::Actor;
use crate::error::AppResult;
use crate::files::Incoming;
use crate::validation::FieldErrors;

/// The submitter's reply (to a 差戻し or otherwise), with a file if one was sent (the document a
/// 差戻し asked for); a returned case goes back to 対応中.
pub async fn reply(
    app: &App,
    org: i64,
    id: i64,
    body: &str,
    file: Option<Incoming>,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let body = message_text(&mut errs, "reply", body);
    let ready: Vec<_> = file
        .and_then(|f| files::from_reply(f, &mut errs))
        .into_iter()
        .collect();
    errs.into_result()?;
    let file_ids = files::write(app, org, &ready).await?;
    let stored = reply_stored(app, org, id, &body, &ready, &file_ids).await;
    if stored.is_err() {
        files::forget(app, org, &file_ids).await;
    }
    stored
}

async fn reply_stored(
    app: &App,
    org: i64,
    id: i64,
    body: &str,
    ready: &[files::Ready],
    file_ids: &[i64],
) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let case = locked(&mut tx, org, id).await?;
    if !is_open(&case.status) {
        return Err(invalid("reply", "case.already_closed"));
    }
    store::add_event(&mut tx, org, id, None, "from_submitter", None, None, body).await?;
    files::record(&mut tx, org, id, ready, file_ids, case.submitter_id).await?;
    if case.status == RETURNED {
        set_status(&mut tx, org, &case, None, IN_PROGRESS, "").await?;
    }
    finish(
        tx,
        org,
        &Actor::guest(),
        "cases.reply",
        &case,
        serde_json::json!({ "files": file_ids }),
    )
    .await
}

/// 取下げ: the submitter withdraws a case still open.
pub async fn withdraw(app: &App, org: i64, id: i64) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let case = locked(&mut tx, org, id).await?;
    if !is_open(&case.status) {
        return Err(invalid("withdraw", "case.already_closed"));
    }
    set_status(&mut tx, org, &case, None, WITHDRAWN, "").await?;
    finish(
        tx,
        org,
        &Actor::guest(),
        "cases.withdraw",
        &case,
        serde_json::json!({ "status": WITHDRAWN }),
    )
    .await
}
