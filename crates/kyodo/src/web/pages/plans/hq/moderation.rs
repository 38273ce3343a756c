//! Comment moderation: the queue of comments waiting or reported, publishing, hiding and answering
//! one, and whether comments are checked before or after they appear.

use crate::error::{AppError, AppResult};
use crate::plans::participation::{self, Comment};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "plans/moderation.html")]
struct ModerationPage<'a> {
    s: Shell<'a>,
    mode: String,
    comments: Vec<(Comment, String)>,
}

impl ModerationPage<'_> {
    fn when(&self, stored: &str) -> String {
        self.s.t.datetime(stored)
    }
}

async fn moderation_page(
    st: &WebState,
    ctx: &Ctx,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let (mode, queue) = tokio::try_join!(
        participation::moderation_mode(&st.app.db, org),
        participation::moderation_queue(&st.app.db, org)
    )?;
    let titles = crate::plans::store::node_titles(&st.app.db, org).await?;
    let comments = queue
        .into_iter()
        .map(|c| {
            let item = titles
                .iter()
                .find(|t| t.0 == c.node_id)
                .map(|t| format!("{} {}", t.1, t.2))
                .unwrap_or_default();
            (c, item)
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "moderation.title").with_errors(errs);
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    Ok((status, render(&ModerationPage { s, mode, comments })?).into_response())
}

pub async fn moderation(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    moderation_page(&st, &ctx, FieldErrors::default(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModerateForm {
    reason: String,
    answer: String,
}

/// Publishes a comment, with the city's answer if given.
pub async fn publish(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ModerateForm>,
) -> AppResult<Response> {
    moderate(st, ctx, id, f, "publish").await
}

/// Hides a comment; the reason is required.
pub async fn hide(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ModerateForm>,
) -> AppResult<Response> {
    moderate(st, ctx, id, f, "hide").await
}

async fn moderate(
    st: WebState,
    ctx: Ctx,
    id: i64,
    f: ModerateForm,
    action: &str,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    match participation::moderate(
        &st.app,
        ctx.org_id(),
        p.user_id,
        id,
        action,
        &f.reason,
        &f.answer,
    )
    .await
    {
        Ok(()) => Ok(see_other(&st, "/hq/comments", "moderation.done")),
        Err(AppError::Invalid(mut errs)) => {
            // Each comment has its own form: point the message at this comment's field.
            for e in &mut errs.0 {
                e.field = format!("{}-{id}", e.field);
            }
            moderation_page(&st, &ctx, errs, None).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModeForm {
    mode: String,
}

pub async fn set_mode(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<ModeForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    match participation::set_moderation_mode(&st.app, ctx.org_id(), p.user_id, &f.mode).await {
        Ok(()) => Ok(see_other(&st, "/hq/comments", "notice.saved")),
        Err(AppError::Invalid(errs)) => moderation_page(&st, &ctx, errs, None).await,
        Err(e) => Err(e),
    }
}
