//! The HQ's setting for 所属長承認: whether a department's progress reports and evaluation
//! sheets pass its manager before they reach the HQ (see `accounts::approval`).

use crate::accounts::approval;
use crate::error::AppResult;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::FormData;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "plans/approval.html")]
struct ApprovalPage<'a> {
    s: Shell<'a>,
    required: bool,
}

async fn page(st: &WebState, ctx: &Ctx, notice: Option<&str>) -> AppResult<Response> {
    let required = approval::required(&st.app.db, ctx.org_id()).await?;
    let mut s = Shell::new(ctx, "approval.title");
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    Ok(render(&ApprovalPage { s, required })?.into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(&st, &ctx, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApprovalForm {
    manager_approval: String,
}

pub async fn save(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<ApprovalForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let on = match f.manager_approval.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            let mut errs = crate::validation::FieldErrors::default();
            errs.add("manager_approval", "field.bad_choice");
            let required = approval::required(&st.app.db, ctx.org_id()).await?;
            let s = Shell::new(&ctx, "approval.title").with_errors(errs);
            let body = render(&ApprovalPage { s, required })?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    approval::set(&st.app, ctx.org_id(), p.user_id, on).await?;
    Ok(see_other(&st, "/hq/settings/approval", "notice.saved"))
}
