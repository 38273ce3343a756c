//! The review steps of a progress report, one route each: the department's 所属長 confirms, the
//! reform HQ approves and publishes, either returns it with a reason.

use crate::error::AppResult;
use crate::plans::reports::{self, Step};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::pages::plans::reports::{editor, load};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviewForm {
    period: String,
    comment: String,
}

/// A review step on the report of the period: the 所属長 confirms, the reform HQ approves or
/// publishes; either returns (with a comment). Who may take which step is `reports::may_review`,
/// checked in `reports::review`.
async fn review(st: WebState, ctx: Ctx, id: i64, f: ReviewForm, step: Step) -> AppResult<Response> {
    let l = load(&st, &ctx, id, &f.period).await?;
    let p = ctx.require_user()?;
    let mut errs = FieldErrors::default();
    let comment = errs.long_text("comment", &f.comment, 2000);
    if step == Step::Return && comment.is_empty() {
        errs.add("comment", "report.comment_required");
    }
    if !errs.is_empty() {
        return editor(&st, &ctx, l, None, errs, None).await;
    }
    reports::review(&st.app, ctx.org_id(), p, id, l.period.id, step, &comment).await?;
    Ok(see_other(
        &st,
        &format!("/plans/items/{id}/report?period={}", l.period.id),
        "report.reviewed",
    ))
}

/// 所属長承認: the department's manager passes the report on to the HQ.
pub async fn confirm(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ReviewForm>,
) -> AppResult<Response> {
    review(st, ctx, id, f, Step::Confirm).await
}

/// Returns the report to the department, with the reason.
pub async fn send_back(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ReviewForm>,
) -> AppResult<Response> {
    review(st, ctx, id, f, Step::Return).await
}

/// The reform HQ approves the report.
pub async fn approve(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ReviewForm>,
) -> AppResult<Response> {
    review(st, ctx, id, f, Step::Approve).await
}

/// The reform HQ publishes the approved report (its actuals go to the plan).
pub async fn publish(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ReviewForm>,
) -> AppResult<Response> {
    review(st, ctx, id, f, Step::Publish).await
}
