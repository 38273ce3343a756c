//! HQ: 諮問 recorded on a body's page, the 答申 with its recommendations, and the city's decision
//! on each (検討結果); all shown on the body's public page.

use super::hq::{BodyForms, members_page};
use crate::councils::inquiries::{self, AnswerForm, DecisionForm, InquiryForm};
use crate::error::{AppError, AppResult};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use axum::extract::State;
use axum::response::Response;

fn body_page(id: i64) -> String {
    format!("/hq/councils/{id}#inquiries")
}

pub async fn ask(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(body): PathId,
    FormData(f): FormData<InquiryForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match inquiries::ask(&st.app, ctx.org_id(), user, body, &f).await {
        Ok(_) => Ok(see_other(&st, &body_page(body), "cn.asked")),
        Err(AppError::Invalid(errs)) => {
            let forms = BodyForms {
                inquiry: Some(f),
                ..BodyForms::default()
            };
            members_page(&st, &ctx, body, forms, errs).await
        }
        Err(e) => Err(e),
    }
}

async fn body_of(st: &WebState, ctx: &Ctx, inquiry: i64) -> AppResult<i64> {
    let body = inquiries::body_of(&st.app.db, ctx.org_id(), inquiry).await?;
    body.ok_or(AppError::NotFound)
}

pub async fn answer(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<AnswerForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match inquiries::answer(&st.app, ctx.org_id(), user, id, &f).await {
        Ok(body) => Ok(see_other(&st, &body_page(body), "cn.answered")),
        Err(AppError::Invalid(errs)) => {
            let body = body_of(&st, &ctx, id).await?;
            members_page(&st, &ctx, body, BodyForms::default(), errs).await
        }
        Err(e) => Err(e),
    }
}

pub async fn decide(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<DecisionForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match inquiries::decide(&st.app, ctx.org_id(), user, id, &f).await {
        Ok(body) => Ok(see_other(&st, &body_page(body), "cn.decided")),
        Err(AppError::Invalid(errs)) => {
            let body = body_of(&st, &ctx, id).await?;
            members_page(&st, &ctx, body, BodyForms::default(), errs).await
        }
        Err(e) => Err(e),
    }
}
