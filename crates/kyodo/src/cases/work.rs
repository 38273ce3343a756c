//! What happens to a case after it arrives: staff change its status, write internal notes, ask
//! the submitter for more (差戻し), transfer it to another department, answer it, merge a
//! duplicate, and publish a redacted answer; the submitter replies or withdraws. Each step locks
//! the case's row, checks who may take it, adds an event and an audit entry in one transaction,
//! and queues any mail to the submitter inside it (sent after the commit, retried).

use super::store::{self, Case, CaseType};
use super::{ANSWERED, RETURNED, STAFF_SETS, is_open};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::write::WriteTx;
use crate::error::{AppError, AppResult};
use crate::policy::{Principal, can_work_case};
use crate::validation::FieldErrors;

/// The case with its row locked for this transaction (PostgreSQL: FOR UPDATE by an UPDATE; SQLite:
/// the write transaction already excludes others).
pub(super) async fn locked(tx: &mut WriteTx, org: i64, id: i64) -> AppResult<Case> {
    sqlx::query("UPDATE cases SET status = status WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let case: Option<Case> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM cases WHERE organization_id = $1 AND id = $2",
        store::CASE_COLUMNS
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    case.ok_or(AppError::NotFound)
}

pub(super) async fn type_of(app: &App, org: i64, case: &Case) -> AppResult<CaseType> {
    store::case_type(&app.db, org, case.type_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Opens the staff member's step on a case they may work on.
pub(super) async fn staff_step(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
) -> AppResult<(WriteTx, Case)> {
    let mut tx = app.begin_write().await?;
    let case = locked(&mut tx, org, id).await?;
    let ty = type_of(app, org, &case).await?;
    if !can_work_case(
        p,
        ty.audience == super::audience::RESTRICTED,
        case.department_id,
    ) {
        return Err(AppError::Forbidden);
    }
    Ok((tx, case))
}

pub(super) async fn finish(
    tx: WriteTx,
    org: i64,
    actor: &Actor,
    action: &str,
    case: &Case,
    after: serde_json::Value,
) -> AppResult<()> {
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action,
            target_type: "case",
            target_id: case.id.to_string(),
            before: Some(serde_json::json!({ "status": case.status })),
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

pub(super) async fn set_status(
    tx: &mut WriteTx,
    org: i64,
    case: &Case,
    actor: Option<i64>,
    to: &str,
    body: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE cases SET status = $3 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(case.id)
        .bind(to)
        .execute(&mut **tx)
        .await?;
    store::add_event(
        tx,
        org,
        case.id,
        actor,
        "status",
        Some((&case.status, to)),
        None,
        body,
    )
    .await?;
    Ok(())
}

/// The submitter's address for mail: the guest's, or the account's.
async fn submitter_email(tx: &mut WriteTx, org: i64, case: &Case) -> AppResult<String> {
    if !case.email.is_empty() {
        return Ok(case.email.clone());
    }
    let Some(user) = case.submitter_id else {
        return Ok(String::new());
    };
    let row: Option<(String,)> =
        sqlx::query_as("SELECT email FROM users WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(user)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|r| r.0).unwrap_or_default())
}

async fn tell_submitter(
    app: &App,
    tx: &mut WriteTx,
    org: i64,
    case: &Case,
    what: &str,
) -> AppResult<()> {
    let to = submitter_email(tx, org, case).await?;
    if to.is_empty() {
        return Ok(());
    }
    let base = crate::accounts::service::base_url(app, org).await?;
    let body = format!(
        "整理番号 / Number: {}\n\n{what}\n\n申請状況の確認 / Check its status:\n{base}/cases/status\n",
        case.number
    );
    app.mailer
        .enqueue(tx, org, &to, &format!("{} / Kyodo", case.number), &body)
        .await?;
    Ok(())
}

/// A required text of up to 4,000 characters (messages, notes, answers).
pub(super) fn message_text(errs: &mut FieldErrors, field: &str, raw: &str) -> String {
    let text = errs.long_text(field, raw, 4000);
    if text.is_empty() {
        errs.add(field, "field.required");
    }
    text
}

/// Sets a status staff may set directly (確認中, 対応中, 完了, 却下), with an optional comment.
pub async fn change_status(
    app: &App,
    org: i64,
    p: &Principal,
    actor: &Actor,
    id: i64,
    to: &str,
    comment: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    if !STAFF_SETS.contains(&to) {
        errs.add("status", "field.bad_choice");
    }
    let comment = errs.optional_text("comment", comment, 400);
    errs.into_result()?;
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    if !is_open(&case.status) && case.status != ANSWERED {
        return Err(invalid("status", "case.already_closed"));
    }
    set_status(&mut tx, org, &case, Some(p.user_id), to, &comment).await?;
    finish(
        tx,
        org,
        actor,
        "cases.status",
        &case,
        serde_json::json!({ "status": to }),
    )
    .await?;
    app.mailer.wake();
    Ok(())
}

/// The same status for several cases at once (一括変更); each must be one the staff member may
/// work on, or nothing changes.
pub async fn change_many(
    app: &App,
    org: i64,
    p: &Principal,
    ids: &[i64],
    to: &str,
) -> AppResult<usize> {
    if !STAFF_SETS.contains(&to) {
        return Err(invalid("status", "field.bad_choice"));
    }
    if ids.is_empty() || ids.len() > 200 {
        return Err(invalid("ids", "case.choose_cases"));
    }
    // The kinds read once, not once per case.
    let types = store::types(&app.db, org).await?;
    let mut tx = app.begin_write().await?;
    let mut changed = 0;
    for id in ids {
        let case = locked(&mut tx, org, *id).await?;
        let restricted = types
            .iter()
            .find(|t| t.id == case.type_id)
            .is_none_or(|t| t.audience == super::audience::RESTRICTED);
        if !can_work_case(p, restricted, case.department_id) {
            return Err(AppError::Forbidden);
        }
        if is_open(&case.status) && case.status != to {
            set_status(&mut tx, org, &case, Some(p.user_id), to, "").await?;
            changed += 1;
        }
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(p.user_id),
        Change {
            action: "cases.status_many",
            target_type: "case",
            target_id: ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            before: None,
            after: Some(serde_json::json!({ "status": to, "changed": changed })),
        },
    )
    .await?;
    Ok(changed)
}

pub(super) fn invalid(field: &str, key: &'static str) -> AppError {
    let mut errs = FieldErrors::default();
    errs.add(field, key);
    AppError::Invalid(errs)
}

/// An internal note (内部メモ): staff only, never shown to the submitter or the public.
pub async fn note(
    app: &App,
    org: i64,
    p: &Principal,
    actor: &Actor,
    id: i64,
    body: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let body = message_text(&mut errs, "note", body);
    errs.into_result()?;
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    store::add_event(&mut tx, org, id, Some(p.user_id), "note", None, None, &body).await?;
    finish(tx, org, actor, "cases.note", &case, serde_json::json!({})).await
}

/// A message to the submitter; `ask` also sets 差戻し (more information needed).
pub async fn message(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    body: &str,
    ask: bool,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let body = message_text(&mut errs, "message", body);
    errs.into_result()?;
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    if !is_open(&case.status) {
        return Err(invalid("message", "case.already_closed"));
    }
    store::add_event(
        &mut tx,
        org,
        id,
        Some(p.user_id),
        "to_submitter",
        None,
        None,
        &body,
    )
    .await?;
    if ask && case.status != RETURNED {
        set_status(&mut tx, org, &case, Some(p.user_id), RETURNED, "").await?;
    }
    tell_submitter(app, &mut tx, org, &case, &body).await?;
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.message",
        &case,
        serde_json::json!({ "ask": ask }),
    )
    .await?;
    app.mailer.wake();
    Ok(())
}

/// 回答: the city's answer; the case becomes 回答済 and the submitter is told.
pub async fn answer(app: &App, org: i64, p: &Principal, id: i64, text: &str) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let text = message_text(&mut errs, "answer", text);
    errs.into_result()?;
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    if !is_open(&case.status) {
        return Err(invalid("answer", "case.already_closed"));
    }
    let answered_at = crate::db::now();
    sqlx::query(
        "UPDATE cases SET answer = $3, answered_at = $4 WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(&text)
    .bind(&answered_at)
    .execute(&mut *tx)
    .await?;
    if case.merged_into.is_none() {
        use super::tallies::{Counted, answered, days_to_answer};
        let counted = Counted::from(&case);
        if let Some(days) = case
            .answered_at
            .as_deref()
            .and_then(|a| days_to_answer(&case.received_at, a))
        {
            answered(&mut tx, org, &counted, days, -1).await?;
        }
        if let Some(days) = days_to_answer(&case.received_at, &answered_at) {
            answered(&mut tx, org, &counted, days, 1).await?;
        }
    }
    store::add_event(
        &mut tx,
        org,
        id,
        Some(p.user_id),
        "answer",
        None,
        None,
        &text,
    )
    .await?;
    set_status(&mut tx, org, &case, Some(p.user_id), ANSWERED, "").await?;
    tell_submitter(app, &mut tx, org, &case, &text).await?;
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.answer",
        &case,
        serde_json::json!({ "status": ANSWERED }),
    )
    .await?;
    app.mailer.wake();
    Ok(())
}
