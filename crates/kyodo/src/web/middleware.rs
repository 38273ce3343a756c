//! Cross-cutting middleware: security headers, error rendering, metrics and the per-route guard.

use super::ctx::Ctx;
use super::pages::errors;
use crate::accounts::api_tokens;
use crate::error::{AppError, ErrorMarker};
use crate::policy::Access;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Instant;

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds security headers to every response.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    add_security_headers(res.headers_mut());
    res
}

/// The headers every response carries (also used by the page-cache fast path).
pub fn add_security_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
}

/// Turns an [`AppError`] left in a response into a page in the user's language or a JSON envelope.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let res = next.run(req).await;
    let Some(ErrorMarker(err)) = res.extensions().get::<ErrorMarker>().cloned() else {
        return res;
    };
    match &*err {
        AppError::Internal(e) => tracing::error!(error = ?e, "internal error"),
        AppError::Unavailable(e) => tracing::warn!(error = %e, "service unavailable"),
        _ => {}
    }
    match ctx {
        Some(ctx) if ctx.is_api => errors::json(&ctx, &err),
        Some(ctx) => errors::page(&ctx, &err),
        None => crate::web::plain_errors::plain_status(err.status()),
    }
}

/// The access check of one route (attached by the route table).
pub async fn guard(access: Access, req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>();
    // A token narrows its user's access to its scopes.
    if let Some(t) = ctx.and_then(|c| c.token.as_deref()) {
        let is_read = matches!(
            *req.method(),
            axum::http::Method::GET | axum::http::Method::HEAD
        );
        let needed = api_tokens::required(is_read, access == Access::Public, req.uri().path());
        if !needed.is_some_and(|s| t.allows(s)) {
            let message = match needed {
                Some(s) => format!("This token lacks the scope {}.", s.code()),
                None => "No token scope allows this request.".to_string(),
            };
            return super::api::token_refused(
                axum::http::StatusCode::FORBIDDEN,
                "insufficient_scope",
                &message,
            );
        }
    }
    let allowed = ctx.is_some_and(|c| access.allows(c.principal.as_deref()));
    if allowed {
        return next.run(req).await;
    }
    let signed_in = req
        .extensions()
        .get::<Ctx>()
        .is_some_and(|c| c.principal.is_some());
    if signed_in {
        AppError::Forbidden
    } else {
        AppError::Unauthorized
    }
    .into_response()
}

/// Counts requests by status class, records latency for `/metrics`, and writes the access log.
/// The log has the path without its query string: reset and confirmation links carry secrets there.
pub async fn metrics(State(st): State<super::WebState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let writes = !matches!(method, axum::http::Method::GET | axum::http::Method::HEAD);
    let host = writes
        .then(|| req.headers().get(axum::http::header::HOST).cloned())
        .flatten();
    let res = next.run(req).await;
    let elapsed = start.elapsed();
    // A successful write may change what anonymous visitors see of its organization's areas.
    if writes && (res.status().is_success() || res.status().is_redirection()) {
        let host = host.as_ref().and_then(|h| h.to_str().ok()).unwrap_or("");
        let areas = res
            .extensions()
            .get::<super::cache_scope::PublicChange>()
            .map_or_else(|| super::cache_scope::changed_by(&path), |c| c.0);
        match st.orgs.resolve(&st.app, host).await {
            Ok(Some(org)) => {
                // With a read replica, pages may be read there only once it has this write.
                let position = match &st.app.replica {
                    Some(replica) if areas != super::cache_scope::Areas::NONE => {
                        let lsn = crate::db::replica::position(&st.app.db).await;
                        // Unknown: the replica's next poll puts the primary's position then.
                        replica.wrote(org.id, lsn.unwrap_or(crate::db::replica::UNKNOWN));
                        lsn
                    }
                    _ => None,
                };
                st.cache.invalidate(org.id, areas);
                st.announcer.announce(org.id, areas, position);
            }
            _ => st.cache.flush(),
        }
    }
    st.metrics.observe(res.status().as_u16(), elapsed);
    tracing::info!(
        http.method = %method,
        http.path = %path,
        http.status = res.status().as_u16(),
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    res
}
