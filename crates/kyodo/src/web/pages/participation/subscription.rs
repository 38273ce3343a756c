//! E-mail notice of new consultations and results: the subscribe form, and the page the mailed
//! link opens to confirm or cancel (a button, so a mail scanner following links changes nothing).

use crate::error::{AppError, AppResult};
use crate::participation::subscriptions;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::unchanged;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, QueryData};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "participation/subscribe.html")]
struct SubscribePage<'a> {
    s: Shell<'a>,
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SubscribeForm {
    email: String,
}

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    let page = SubscribePage {
        s: Shell::new(&ctx, "pc.subscribe_title"),
        email: String::new(),
    };
    Ok(render(&page)?.into_response())
}

pub async fn subscribe(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<SubscribeForm>,
) -> AppResult<Response> {
    match subscriptions::subscribe(&st.app, ctx.org_id(), &f.email).await {
        Ok(()) => Ok(unchanged(see_other(
            &st,
            "/consultations",
            "pc.subscribe_sent",
        ))),
        Err(AppError::Invalid(errs)) => {
            let page = SubscribePage {
                s: Shell::new(&ctx, "pc.subscribe_title").with_errors(errs),
                email: f.email,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "participation/subscription.html")]
struct ManagePage<'a> {
    s: Shell<'a>,
    token: String,
    confirmed: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    token: String,
    action: String,
}

pub async fn manage(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<TokenForm>,
) -> AppResult<Response> {
    let confirmed = subscriptions::exists(&st.app.db, ctx.org_id(), &q.token)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = ManagePage {
        s: Shell::new(&ctx, "pc.subscription_title").with_errors(FieldErrors::default()),
        token: q.token,
        confirmed,
    };
    Ok(render(&page)?.into_response())
}

pub async fn update(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<TokenForm>,
) -> AppResult<Response> {
    let confirm = match f.action.as_str() {
        "confirm" => true,
        "cancel" => false,
        _ => return Err(AppError::BadRequest("error.bad_form")),
    };
    subscriptions::set(&st.app, ctx.org_id(), &f.token, confirm).await?;
    let key = if confirm {
        "pc.subscribed"
    } else {
        "pc.unsubscribed"
    };
    Ok(unchanged(see_other(&st, "/consultations", key)))
}
