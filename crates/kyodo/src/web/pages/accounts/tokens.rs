//! One's own API tokens: the list (never the secrets), a new token (its secret shown once, on the
//! POST's answer, never in a link) and revoking one.

use crate::accounts::api_tokens::{self, NewToken, Scope, Token};
use crate::error::{AppError, AppResult};
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
    /// The new token's secret, on the answer to its creation only.
    secret: Option<String>,
}

fn row(ctx: &Ctx, t: Token) -> Row {
    let tr = ctx.tr();
    Row {
        id: t.id,
        name: t.name,
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
    f: NewToken,
    secret: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let rows = api_tokens::list(&st.app.db, ctx.org_id(), p.user_id)
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
    page(&st, &ctx, s, f, None, StatusCode::OK).await
}

pub async fn create(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let f = NewToken {
        name: first(&fields, "name").to_string(),
        days: first(&fields, "days").to_string(),
        scope: fields
            .iter()
            .filter(|(k, _)| k == "scope")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    match api_tokens::create(&st.app, ctx.org_id(), p.user_id, &ctx.actor()?, &f).await {
        Ok((_, secret)) => {
            let s = Shell::new(&ctx, "tokens.title").with_notice("tokens.issued");
            page(
                &st,
                &ctx,
                s,
                NewToken::default(),
                Some(secret),
                StatusCode::OK,
            )
            .await
        }
        Err(AppError::Invalid(errs)) => {
            let s = Shell::new(&ctx, "tokens.title").with_errors(errs);
            page(&st, &ctx, s, f, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

pub async fn revoke(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    api_tokens::revoke(&st.app, ctx.org_id(), p.user_id, id).await?;
    Ok(see_other(&st, "/account/tokens", "tokens.revoked"))
}
