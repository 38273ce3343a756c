//! Sign-in, sign-out, citizen registration, e-mail verification and password reset.

use crate::accounts::service::{self, LoginFailure, Registration};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::{Ctx, session_cookie, set_cookie};
use crate::web::extract::{ClientIp, FormData, QueryData};
use crate::web::notice::see_other;
use crate::web::pages::message;
use crate::web::redirect::is_local_path;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    s: Shell<'a>,
    email: String,
    next: String,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn login_form(ctx: Ctx, QueryData(q): QueryData<NextQuery>) -> AppResult<Html<String>> {
    render(&LoginPage {
        s: Shell::new(&ctx, "login.title"),
        email: String::new(),
        next: q.next,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

pub async fn login(
    State(st): State<WebState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    FormData(f): FormData<LoginForm>,
) -> AppResult<Response> {
    let mut errs = FieldErrors::default();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if f.email.trim().is_empty() {
        errs.add("email", "field.required");
    }
    if f.password.is_empty() {
        errs.add("password", "field.required");
    }
    if errs.is_empty() {
        let per_minute = st.app.config.login_per_minute;
        if !service::attempt_allowed(&st.app, ctx.org_id(), ip, per_minute).await? {
            errs.add("email", "login.throttled");
            status = StatusCode::TOO_MANY_REQUESTS;
        } else {
            match service::authenticate(&st.app, ctx.org_id(), &f.email, &f.password, ip).await? {
                Ok(user_id) => {
                    if let Some(old) = &ctx.session_secret {
                        crate::accounts::sessions::delete(&st.app.db, ctx.org_id(), old).await?;
                    }
                    let secret = service::start_session(&st.app, ctx.org_id(), user_id).await?;
                    let target = if is_local_path(&f.next) {
                        f.next.as_str()
                    } else {
                        "/account"
                    };
                    let mut res = Redirect::to(target).into_response();
                    res.headers_mut().append(
                        header::SET_COOKIE,
                        set_cookie(
                            session_cookie(st.app.config.secure_cookies()),
                            &secret,
                            st.app.config.session_hours * 3600,
                            st.app.config.secure_cookies(),
                            true,
                        ),
                    );
                    return Ok(res);
                }
                Err(LoginFailure::BadCredentials) => errs.add("email", "login.bad_credentials"),
                Err(LoginFailure::Unverified) => errs.add("email", "login.unverified"),
            }
        }
    }
    let page = LoginPage {
        s: Shell::new(&ctx, "login.title").with_errors(errs),
        email: f.email,
        next: f.next,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn logout(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(secret) = &ctx.session_secret {
        crate::accounts::sessions::delete(&st.app.db, ctx.org_id(), secret).await?;
    }
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            session_cookie(st.app.config.secure_cookies()),
            "",
            0,
            st.app.config.secure_cookies(),
            true,
        ),
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    s: Shell<'a>,
    email: String,
    display_name: String,
}

pub async fn register_form(ctx: Ctx) -> AppResult<Html<String>> {
    render(&RegisterPage {
        s: Shell::new(&ctx, "register.title"),
        email: String::new(),
        display_name: String::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    email: String,
    display_name: String,
    password: String,
}

pub async fn register(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<RegisterForm>,
) -> AppResult<Response> {
    let r = Registration {
        email: &f.email,
        display_name: &f.display_name,
        password: &f.password,
    };
    match service::register_citizen(&st.app, ctx.org_id(), ctx.tr(), r).await {
        // The sign-in page is where the new citizen goes next, once the mail's link is opened.
        Ok(()) => Ok(see_other(&st, "/login", "register.sent")),
        Err(AppError::Invalid(errs)) => {
            let page = RegisterPage {
                s: Shell::new(&ctx, "register.title").with_errors(errs),
                email: f.email,
                display_name: f.display_name,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub async fn verify(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<TokenQuery>,
) -> AppResult<Response> {
    if !q.token.is_empty()
        && q.token.len() < 100
        && service::verify_email(&st.app, ctx.org_id(), &q.token).await?
    {
        message(
            &ctx,
            "verify.ok_title",
            &["verify.ok"],
            Some(("/login", "nav.login")),
        )
    } else {
        let mut res = message(&ctx, "verify.bad_title", &["verify.bad"], None)?;
        *res.status_mut() = StatusCode::BAD_REQUEST;
        Ok(res)
    }
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage<'a> {
    s: Shell<'a>,
    email: String,
}

pub async fn forgot_form(ctx: Ctx) -> AppResult<Html<String>> {
    render(&ForgotPage {
        s: Shell::new(&ctx, "forgot.title"),
        email: String::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<ForgotForm>,
) -> AppResult<Response> {
    match service::request_password_reset(&st.app, ctx.org_id(), ctx.tr(), &f.email).await {
        Ok(()) => Ok(see_other(&st, "/login", "forgot.sent")),
        Err(AppError::Invalid(errs)) => {
            let page = ForgotPage {
                s: Shell::new(&ctx, "forgot.title").with_errors(errs),
                email: f.email,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage<'a> {
    s: Shell<'a>,
    token: String,
}

pub async fn reset_form(ctx: Ctx, QueryData(q): QueryData<TokenQuery>) -> AppResult<Html<String>> {
    render(&ResetPage {
        s: Shell::new(&ctx, "reset.title"),
        token: q.token,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    token: String,
    password: String,
}

pub async fn reset(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<ResetForm>,
) -> AppResult<Response> {
    if f.token.is_empty() || f.token.len() > 100 {
        return bad_link(&ctx);
    }
    match service::reset_password(&st.app, ctx.org_id(), &f.token, &f.password).await {
        Ok(true) => Ok(see_other(&st, "/login", "reset.ok")),
        Ok(false) => bad_link(&ctx),
        Err(AppError::Invalid(errs)) => {
            let page = ResetPage {
                s: Shell::new(&ctx, "reset.title").with_errors(errs),
                token: f.token,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

fn bad_link(ctx: &Ctx) -> AppResult<Response> {
    let mut res = message(
        ctx,
        "reset.bad_title",
        &["reset.bad"],
        Some(("/password/forgot", "login.forgot")),
    )?;
    *res.status_mut() = StatusCode::BAD_REQUEST;
    Ok(res)
}
