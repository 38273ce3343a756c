//! What citizens and committee members post from an item's page: a rating, a comment, a flag on a
//! comment, a committee opinion. A refused form is shown again on the item page beside its field.

use crate::councils::opinions::{self, Subject};
use crate::error::{AppError, AppResult};
use crate::plans::participation;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::unchanged;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::pages::plans::item::{ItemForms, item_page};
use axum::extract::State;
use axum::response::Response;

/// Re-shows the item page with the errors beside the form that failed, or redirects after success.
async fn after(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: ItemForms,
    result: AppResult<()>,
    anchor: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(see_other(
            st,
            &format!("/plans/items/{id}#{anchor}"),
            "notice.saved",
        )),
        Err(AppError::Invalid(errs)) => item_page(st, ctx, id, form, errs, None).await,
        Err(e) => Err(e),
    }
}

async fn node_exists(st: &WebState, org: i64, id: i64) -> AppResult<()> {
    crate::plans::store::plan_of_node(&st.app.db, org, id, false)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound)
}

pub async fn rate(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ItemForms>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    node_exists(&st, ctx.org_id(), id).await?;
    let mut errs = FieldErrors::default();
    let score = f.score.trim().parse::<i64>().unwrap_or_else(|_| {
        errs.add("score", "field.bad_choice");
        0
    });
    let year = f.year.trim().parse::<i64>().unwrap_or_else(|_| {
        errs.add("year", "field.bad_choice");
        0
    });
    let result = match errs.into_result() {
        Ok(()) => participation::rate(&st.app, ctx.org_id(), user, id, year, score).await,
        Err(e) => Err(e),
    };
    after(&st, &ctx, id, f, result, "ratings").await
}

pub async fn comment(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ItemForms>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    node_exists(&st, ctx.org_id(), id).await?;
    match participation::comment(&st.app, ctx.org_id(), user, id, &f.body).await {
        // Held for moderation: nothing public changed yet.
        Ok("pending") => Ok(unchanged(see_other(
            &st,
            &format!("/plans/items/{id}#comments"),
            "comment.pending",
        ))),
        Ok(_) => after(&st, &ctx, id, f, Ok(()), "comments").await,
        Err(e) => after(&st, &ctx, id, f, Err(e), "comments").await,
    }
}

pub async fn flag(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    participation::flag(&st.app, ctx.org_id(), user, id).await?;
    let node = crate::plans::store::node_of_comment(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(see_other(
        &st,
        &format!("/plans/items/{node}#comments"),
        "comment.flagged",
    ))
}

pub async fn opinion(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ItemForms>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    node_exists(&st, ctx.org_id(), id).await?;
    let Some(member) = crate::web::pages::councils::opinions::member(p) else {
        let mut errs = FieldErrors::default();
        errs.add("opinion", "opinion.not_member");
        return after(&st, &ctx, id, f, Err(AppError::Invalid(errs)), "opinions").await;
    };
    let period = f.period.trim().parse::<i64>().ok();
    let result = match period {
        Some(_) => opinions::write(
            &st.app,
            ctx.org_id(),
            member,
            Subject::Item(id),
            period,
            &f.opinion,
        )
        .await
        .map(|_| ()),
        None => {
            let mut errs = FieldErrors::default();
            errs.add("period", "field.bad_choice");
            Err(AppError::Invalid(errs))
        }
    };
    match result {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/plans/items/{id}#opinions"),
            "opinion.saved",
        )),
        Err(e) => after(&st, &ctx, id, f, Err(e), "opinions").await,
    }
}
