//! What a case ends as besides an answer: merged into another case as a duplicate (重複の統合), and
//! — for a publishable kind, an answered case whose submitter agreed — published as the redacted
//! text and answer staff write (公開).

use super::CLOSED;
use super::store;
use super::work::{finish, invalid, set_status, staff_step, type_of};
use crate::app::App;
use crate::audit::Actor;
use crate::error::AppResult;
use crate::policy::Principal;
use crate::validation::FieldErrors;

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
    if case.merged_into.is_none() {
        // A merged case is counted once, as the case it joined.
        super::tallies::count_case(&mut tx, org, &case, -1).await?;
    }
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
