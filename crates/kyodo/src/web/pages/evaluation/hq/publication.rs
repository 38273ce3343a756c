//! Publishing a year's results (asking first when sheets are still drafts, whose verdicts stay
//! unpublished), withdrawing it, and reminding departments of their drafts.

use super::cycles::cycle_page;
use crate::error::{AppError, AppResult};
use crate::evaluation::cycles;
use crate::evaluation::store;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct PublishForm {
    #[serde(default)]
    confirm: String,
}

/// Publishes a year's results. While sheets are drafts, the first press shows how many and asks
/// again; only a confirmed press publishes.
pub async fn publish(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(form): FormData<PublishForm>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    store::cycle(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if form.confirm != "1" {
        let (drafts, total) = cycles::draft_count(&st.app.db, org, id).await?;
        if drafts > 0 {
            let text = ctx.tr().f("eval.publish_drafts", &[&total, &drafts]);
            return cycle_page(&st, &ctx, id, FieldErrors::default(), None, Some(text)).await;
        }
    }
    set_published(st, ctx, id, true).await
}

/// Withdraws a published year.
pub async fn withdraw(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    set_published(st, ctx, id, false).await
}

async fn set_published(st: WebState, ctx: Ctx, id: i64, on: bool) -> AppResult<Response> {
    let p = ctx.require_user()?;
    store::cycle(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    cycles::set_published(&st.app, ctx.org_id(), p.user_id, id, on).await?;
    let notice = if on {
        "eval.published"
    } else {
        "eval.withdrawn"
    };
    Ok(see_other(
        &st,
        &format!("/hq/evaluation/cycles/{id}"),
        notice,
    ))
}

/// Mails the staff of departments whose sheets are still drafts.
pub async fn remind(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let cycle = store::cycle(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = crate::audit::Actor::user(p.user_id);
    let tr = crate::i18n::Tr::new(crate::i18n::Lang::Ja);
    cycles::remind(&st.app, org, &actor, tr, &cycle).await?;
    Ok(see_other(
        &st,
        &format!("/hq/evaluation/cycles/{id}"),
        "eval.reminded",
    ))
}
