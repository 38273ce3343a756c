//! One's own API tokens: the list (never the secrets), a new token (its secret shown once, on the
//! POST's answer, never in a link) and revoking one. A system administrator also makes tokens for
//! another account (a system's: the finance system, a minutes vendor), sees every token of the
//! organization with its account, and revokes any of them.

use crate::accounts::api_tokens::{self, NewToken, Scope, Token};
use crate::accounts::users;
use crate::error::{AppError, AppResult};
use crate::validation::{FieldError, FieldErrors};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, first};
use crate::web::format::stored_day;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

struct Row {
    id: i64,
    name: String,
    owner: String,
    scopes: String,
    created: String,
    expires: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "accounts/tokens.html")]
struct TokensPage<'a> {
    s: Shell<'a>,
    rows: Vec<Row>,
    scopes: Vec<(&'static str, &'static str, bool)>,
    f: NewToken,
    /// The account a system administrator makes the token for (its e-mail; empty: oneself).
    for_email: String,
    /// A system administrator's page: every token, and the account field.
    admin: bool,
    /// The new token's secret, on the answer to its creation only.
    secret: Option<String>,
}

fn row(ctx: &Ctx, t: Token) -> Row {
    let tr = ctx.tr();
    Row {
        id: t.id,
        name: t.name,
        owner: t.owner,
        scopes: t.scopes,
        created: stored_day(tr, &t.created_at),
        expires: stored_day(tr, &t.expires_on),
        last_used: t
            .last_used_at
            .as_deref()
            .map_or_else(|| "—".to_string(), |d| stored_day(tr, d)),
        revoked: t.revoked_at.is_some(),
    }
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    s: Shell<'_>,
    (f, for_email): (NewToken, String),
    secret: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let admin = p.is_sysadmin();
    let rows = api_tokens::list(&st.app.db, ctx.org_id(), (!admin).then_some(p.user_id))
        .await?
        .into_iter()
        .map(|t| row(ctx, t))
        .collect();
    let scopes = Scope::ALL
        .iter()
        .map(|sc| {
            (
                sc.code(),
                sc.label_key(),
                f.scope.iter().any(|x| x == sc.code()),
            )
        })
        .collect();
    let body = render(&TokensPage {
        s,
        rows,
        scopes,
        f,
        for_email,
        admin,
        secret,
    })?;
    let mut res = (status, body).into_response();
    // The page may hold a secret: no cache keeps it.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let f = NewToken {
        days: "90".into(),
        ..NewToken::default()
    };
    let s = Shell::new(&ctx, "tokens.title");
    page(&st, &ctx, s, (f, String::new()), None, StatusCode::OK).await
}

pub async fn create(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    ctx.require_user()?;
    let f = NewToken {
        name: first(&fields, "name").to_string(),
        days: first(&fields, "days").to_string(),
        scope: fields
            .iter()
            .filter(|(k, _)| k == "scope")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let for_email = first(&fields, "for_email").trim().to_string();
    let made = match holder(&st, &ctx, &for_email).await? {
        Some(user) => api_tokens::create(&st.app, ctx.org_id(), user, &ctx.actor()?, &f).await,
        None => Err(AppError::Invalid(FieldErrors(vec![FieldError {
            field: "for_email".into(),
            message: "tokens.unknown_account",
        }]))),
    };
    match made {
        Ok((_, secret)) => {
            let s = Shell::new(&ctx, "tokens.title").with_notice("tokens.issued");
            let blank = (NewToken::default(), String::new());
            page(&st, &ctx, s, blank, Some(secret), StatusCode::OK).await
        }
        Err(AppError::Invalid(errs)) => {
            let s = Shell::new(&ctx, "tokens.title").with_errors(errs);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&st, &ctx, s, (f, for_email), None, status).await
        }
        Err(e) => Err(e),
    }
}

/// Whose the new token is: the signed-in user's, or a system administrator's choice of account
/// (`None`: no such account here). Others cannot name an account.
async fn holder(st: &WebState, ctx: &Ctx, email: &str) -> AppResult<Option<i64>> {
    let p = ctx.require_user()?;
    if email.is_empty() {
        return Ok(Some(p.user_id));
    }
    if !p.is_sysadmin() {
        return Err(AppError::Forbidden);
    }
    let normalized = crate::accounts::normalize_email(email).unwrap_or_default();
    let user = users::by_email(&st.app.db, ctx.org_id(), &normalized).await?;
    Ok(user.map(|u| u.id))
}

pub async fn revoke(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    api_tokens::revoke(&st.app, ctx.org_id(), p.user_id, id, p.is_sysadmin()).await?;
    Ok(see_other(&st, "/account/tokens", "tokens.revoked"))
}
