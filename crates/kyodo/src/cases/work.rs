//! What happens to a case after it arrives: staff change its status, write internal notes, ask
//! the submitter for more (差戻し), transfer it to another department, answer it, merge a
//! duplicate, and publish a redacted answer; the submitter replies or withdraws. Each step locks
//! the case's row, checks who may take it, adds an event and an audit entry in one transaction,
//! and queues any mail to the submitter inside it (sent after the commit, retried).

use super::store::{self, Case, CaseType};
use super::{ANSWERED, CLOSED, IN_PROGRESS, RETURNED, STAFF_SETS, WITHDRAWN, is_open};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::write::WriteTx;
use crate::error::{AppError, AppResult};
use crate::policy::{Principal, can_work_case};
use crate::validation::FieldErrors;

/// The case with its row locked for this transaction (PostgreSQL: FOR UPDATE by an UPDATE; SQLite:
/// the write transaction already excludes others).
async fn locked(tx: &mut WriteTx, org: i64, id: i64) -> AppResult<Case> {
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

async fn type_of(app: &App, org: i64, case: &Case) -> AppResult<CaseType> {
    store::case_type(&app.db, org, case.type_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Opens the staff member's step on a case they may work on.
async fn staff_step(app: &App, org: i64, p: &Principal, id: i64) -> AppResult<(WriteTx, Case)> {
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

async fn finish(
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

async fn set_status(
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
fn message_text(errs: &mut FieldErrors, field: &str, raw: &str) -> String {
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
        &Actor::user(p.user_id),
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
    let mut tx = app.begin_write().await?;
    let mut changed = 0;
    for id in ids {
        let case = locked(&mut tx, org, *id).await?;
        let ty = type_of(app, org, &case).await?;
        if !can_work_case(
            p,
            ty.audience == super::audience::RESTRICTED,
            case.department_id,
        ) {
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

fn invalid(field: &str, key: &'static str) -> AppError {
    let mut errs = FieldErrors::default();
    errs.add(field, key);
    AppError::Invalid(errs)
}

/// An internal note (内部メモ): staff only, never shown to the submitter or the public.
pub async fn note(app: &App, org: i64, p: &Principal, id: i64, body: &str) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let body = message_text(&mut errs, "note", body);
    errs.into_result()?;
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    store::add_event(&mut tx, org, id, Some(p.user_id), "note", None, None, &body).await?;
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.note",
        &case,
        serde_json::json!({}),
    )
    .await
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

/// 転送: to another department, with the reason (kept as an internal event).
pub async fn transfer(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    department: i64,
    reason: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let reason = errs.text("reason", reason, 400);
    if crate::accounts::departments::get(&app.db, org, department)
        .await?
        .is_none()
    {
        errs.add("department", "field.bad_choice");
    }
    errs.into_result()?;
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    if case.department_id == Some(department) {
        return Err(invalid("department", "case.same_department"));
    }
    sqlx::query("UPDATE cases SET department_id = $3, assignee_id = NULL WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(department)
        .execute(&mut *tx)
        .await?;
    store::add_event(
        &mut tx,
        org,
        id,
        Some(p.user_id),
        "transfer",
        None,
        Some(department),
        &reason,
    )
    .await?;
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.transfer",
        &case,
        serde_json::json!({ "department": department }),
    )
    .await
}

/// 担当者: takes the case (the staff member themselves) or gives it back (`None`).
pub async fn assign(app: &App, org: i64, p: &Principal, id: i64, to: Option<i64>) -> AppResult<()> {
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    sqlx::query("UPDATE cases SET assignee_id = $3 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    store::add_event(&mut tx, org, id, Some(p.user_id), "assign", None, None, "").await?;
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.assign",
        &case,
        serde_json::json!({ "assignee": to }),
    )
    .await
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
    sqlx::query(
        "UPDATE cases SET answer = $3, answered_at = $4 WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(&text)
    .bind(crate::db::now())
    .execute(&mut *tx)
    .await?;
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

/// 重複の統合: the case is closed as a duplicate of `into` (same type, still there).
pub async fn merge(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    into_number: &str,
) -> AppResult<()> {
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    let target: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, type_id FROM cases WHERE organization_id = $1 AND number = $2")
            .bind(org)
            .bind(super::lookup::normalise_number(into_number))
            .fetch_optional(&mut *tx)
            .await?;
    let Some((into, _)) = target.filter(|(t, ty)| *t != id && *ty == case.type_id) else {
        return Err(invalid("into", "case.no_such_case"));
    };
    sqlx::query("UPDATE cases SET merged_into = $3 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(into)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO case_links (organization_id, case_id, target_type, target_id) VALUES ($1, $2, 'case', $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .bind(into)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    store::add_event(
        &mut tx,
        org,
        id,
        Some(p.user_id),
        "merge",
        None,
        None,
        into_number.trim(),
    )
    .await?;
    if case.status != CLOSED {
        set_status(&mut tx, org, &case, Some(p.user_id), CLOSED, "").await?;
    }
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.merge",
        &case,
        serde_json::json!({ "into": into }),
    )
    .await
}

/// 公開: the redacted question and answer the public sees. Only for a publishable type, an
/// answered case, and a submitter who agreed; empty texts take it down again.
pub async fn publish(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    text: &str,
    answer: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let text = errs.long_text("public_text", text, 4000);
    let answer = errs.long_text("public_answer", answer, 4000);
    errs.into_result()?;
    let (tx, case) = staff_step(app, org, p, id).await?;
    let ty = type_of(app, org, &case).await?;
    if !ty.publishable || !case.publish_consent || case.answered_at.is_none() {
        return Err(invalid("public_text", "case.not_publishable"));
    }
    let mut tx = tx;
    let when = (!text.is_empty() && !answer.is_empty()).then(crate::db::now);
    sqlx::query(
        "UPDATE cases SET public_text = $3, public_answer = $4, published_at = $5 WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(when.as_ref().map(|_| &text))
    .bind(when.as_ref().map(|_| &answer))
    .bind(&when)
    .execute(&mut *tx)
    .await?;
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.publish",
        &case,
        serde_json::json!({ "published": when.is_some() }),
    )
    .await
}

/// The submitter's reply (to a 差戻し or otherwise); a returned case goes back to 対応中.
pub async fn reply(app: &App, org: i64, id: i64, body: &str) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let body = message_text(&mut errs, "reply", body);
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    let case = locked(&mut tx, org, id).await?;
    if !is_open(&case.status) {
        return Err(invalid("reply", "case.already_closed"));
    }
    store::add_event(&mut tx, org, id, None, "from_submitter", None, None, &body).await?;
    if case.status == RETURNED {
        set_status(&mut tx, org, &case, None, IN_PROGRESS, "").await?;
    }
    finish(
        tx,
        org,
        &Actor::guest(),
        "cases.reply",
        &case,
        serde_json::json!({}),
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
