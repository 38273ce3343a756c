//! The signed-in person's own account page and password change.

use crate::accounts::{service, users};
use crate::error::{AppError, AppResult};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::FormData;
use crate::web::notice::see_other;
use crate::web::pages::roles::{role_key, role_labels};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    s: Shell<'a>,
    user: users::User,
    kind_label: String,
    since: String,
    roles: Vec<String>,
    /// Registered as an outside adviser (外部有識者): a link to the adviser's pages.
    is_adviser: bool,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    errors: crate::validation::FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let user = users::get(&st.app.db, ctx.org_id(), p.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = ctx.tr();
    let roles = role_labels(st, ctx, &p.roles).await?;
    let is_adviser = crate::advisers::of_user(&st.app.db, ctx.org_id(), p.user_id)
        .await?
        .is_some();
    let mut s = Shell::new(ctx, "account.title").with_errors(errors.clone());
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    let page = AccountPage {
        kind_label: t.t(role_key(&user.kind)).to_string(),
        since: t.datetime(&user.created_at),
        user,
        roles,
        is_adviser,
        s,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(&st, &ctx, Default::default(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<PasswordForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    match service::change_password(
        &st.app,
        ctx.org_id(),
        p.user_id,
        &f.current_password,
        &f.new_password,
    )
    .await
    {
        // Changing the password ends every session, including this one: sign in again.
        Ok(()) => Ok(see_other(&st, "/login", "account.password_changed")),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, errs, None).await,
        Err(e) => Err(e),
    }
}
