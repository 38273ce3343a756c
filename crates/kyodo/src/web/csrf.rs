//! CSRF protection for every state-changing request (POST, PUT, PATCH, DELETE):
//! 1. the browser's `Sec-Fetch-Site` must not be `cross-site`, and an `Origin` must match the `Host`;
//! 2. a token must match the one derived from the browser's secret (see [`super::ctx::CsrfSlot`]):
//!    the `csrf` form field, or the `X-CSRF-Token` header for API clients. The cookie's value itself
//!    is never the token, and a token read from a page is worthless with another session.
//!
//! The body is read once here (within the body limit) and handed on unchanged.

use super::ctx::Ctx;
use crate::accounts::tokens;
use crate::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub use crate::accounts::tokens::form_token;

pub async fn protect(State(st): State<super::WebState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    // Open311 clients (other servers and apps) send their API key in the body; those handlers
    // read no session or cookie, so a forged cross-site request carries no ambient authority.
    if req.uri().path().starts_with("/api/open311/") {
        return next.run(req).await;
    }
    // Likewise a request made with an API token: no cookie, so nothing a forged request could use.
    if req
        .extensions()
        .get::<Ctx>()
        .is_some_and(|c| c.token.is_some())
    {
        return next.run(req).await;
    }
    let headers = req.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return AppError::Csrf.into_response();
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
        if origin == "null" || !origin_host.eq_ignore_ascii_case(host) {
            return AppError::Csrf.into_response();
        }
    }
    // Without a secret there is no token to compare with: the request fails.
    let Some(expected) = req
        .extensions()
        .get::<Ctx>()
        .filter(|c| c.csrf.has_secret())
        .map(|c| c.csrf_token().to_string())
    else {
        return AppError::Csrf.into_response();
    };
    let header_token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_upload = content_type.starts_with("multipart/form-data");
    let (mut parts, body) = req.into_parts();
    let read = if is_upload {
        read_upload(body, upload_limit(st.app.config.max_body_bytes)).await
    } else {
        to_bytes(body, st.app.config.max_body_bytes)
            .await
            .map(|b| (b, false))
            .map_err(|_| ())
    };
    let Ok((bytes, cut)) = read else {
        return AppError::PayloadTooLarge.into_response();
    };
    let form_token = if is_form {
        kyodo_decode::form::urlencoded_value(&bytes, "csrf")
    } else if is_upload {
        // The token is the form's first field, so a cut body still carries it.
        kyodo_decode::form::multipart_value(&bytes, &content_type, "csrf")
    } else {
        None
    };
    let given = header_token.or(form_token);
    let ok = given.is_some_and(|g| tokens::same(&g, &expected));
    if !ok {
        return AppError::Csrf.into_response();
    }
    if cut {
        // The handler answers on its own page, naming the limit; it gets no part of the file.
        parts.extensions.insert(UploadTooLarge);
        return next.run(Request::from_parts(parts, Body::empty())).await;
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Set on an upload whose body was over the limit (see [`upload_limit`]).
#[derive(Clone, Copy)]
pub struct UploadTooLarge;

/// What an upload's body may hold: the largest file an import takes plus room for the form's fields.
pub fn upload_limit(max_body_bytes: usize) -> usize {
    max_body_bytes.max(kyodo_decode::sheet::MAX_FILE_BYTES + (64 << 10))
}

/// How much of an over-limit upload is read (and thrown away) so the browser, still sending, gets
/// the answer page rather than a reset connection; past this the connection is dropped.
pub fn drain_limit(max_body_bytes: usize) -> usize {
    upload_limit(max_body_bytes) * 4
}

/// The body up to `limit` bytes and whether it was cut there. The rest is read and dropped, up to
/// [`drain_limit`]; memory never holds more than `limit`.
async fn read_upload(body: Body, limit: usize) -> Result<(axum::body::Bytes, bool), ()> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ())?;
        seen += chunk.len();
        if kept.len() < limit {
            let take = (limit - kept.len()).min(chunk.len());
            kept.extend_from_slice(&chunk[..take]);
        }
        if seen > limit * 4 {
            return Err(());
        }
    }
    Ok((kept.into(), seen > limit))
}
