//! Cancelling a 傍聴 registration with the link mailed at registration: the page asks first (a
//! link in a mail must not change anything by being opened), the form cancels; a wrong key is
//! "not found", as for no registration.

use super::meetings::when;
use crate::councils::meetings::{self, Meeting};
use crate::councils::observers;
use crate::error::{AppError, AppResult};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, QueryData};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CancelKey {
    no: String,
    key: String,
}

#[derive(Template)]
#[template(path = "councils/cancel.html")]
struct CancelPage<'a> {
    s: Shell<'a>,
    m: Meeting,
    when: String,
    no: i64,
    key: String,
}

pub async fn form(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<CancelKey>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let no: i64 = q.no.trim().parse().map_err(|_| AppError::NotFound)?;
    if !observers::key_opens(&st.app.db, org, id, no, &q.key).await? {
        return Err(AppError::NotFound);
    }
    let m = meetings::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = CancelPage {
        s: Shell::new(&ctx, "cn.cancel_title"),
        when: when(ctx.tr(), &m),
        m,
        no,
        key: q.key,
    };
    Ok(render(&page)?.into_response())
}

pub async fn cancel(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<CancelKey>,
) -> AppResult<Response> {
    let no: i64 = f.no.trim().parse().map_err(|_| AppError::NotFound)?;
    observers::cancel(&st.app, ctx.org_id(), id, no, &f.key).await?;
    Ok(see_other(
        &st,
        &format!("/councils/meetings/{id}"),
        "cn.observer_cancelled",
    ))
}
