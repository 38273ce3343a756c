//! CSRF protection for every state-changing request (POST, PUT, PATCH, DELETE):
//! 1. the browser's `Sec-Fetch-Site` must not be `cross-site`, and an `Origin` must match the `Host`;
//! 2. a token must match the `kyodo_csrf` cookie (double submit): the `csrf` form field, or the
//!    `X-CSRF-Token` header for API clients.
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

pub async fn protect(State(st): State<super::WebState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
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
    // Without a cookie there is no token to compare with: the request fails below.
    let Some(expected) = req
        .extensions()
        .get::<Ctx>()
        .map(|c| c.csrf_token().to_string())
    else {
        return AppError::Csrf.into_response();
    };
    let cookie_present = super::ctx::cookie(req.headers(), super::ctx::CSRF_COOKIE).is_some();
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
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, st.app.config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return AppError::PayloadTooLarge.into_response(),
    };
    let form_token = if is_form {
        form_urlencoded_value(&bytes, "csrf")
    } else if content_type.starts_with("multipart/form-data") {
        multipart_value(&bytes, &content_type, "csrf")
    } else {
        None
    };
    let given = header_token.or(form_token);
    let ok = cookie_present && given.is_some_and(|g| tokens::same(&g, &expected));
    if !ok {
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_urlencoded_value(body: &[u8], key: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// A text field of a `multipart/form-data` body (file uploads put the token in a field too).
fn multipart_value(body: &[u8], content_type: &str, key: &str) -> Option<String> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    let wanted = format!("name=\"{key}\"");
    text.split(delimiter.as_str()).find_map(|part| {
        let (head, value) = part.split_once("\r\n\r\n")?;
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
        let is_field = disposition.split(';').any(|p| p.trim() == wanted)
            && !disposition.contains("filename=");
        is_field.then(|| {
            value
                .trim_end_matches("\r\n")
                .trim_end_matches("--")
                .to_string()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_found_in_a_multipart_body() {
        let ct = "multipart/form-data; boundary=XyZ";
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"csrf\"\r\n\r\nname=\"csrf\"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nTOKEN123\r\n--XyZ--\r\n";
        assert_eq!(
            multipart_value(body.as_bytes(), ct, "csrf").as_deref(),
            Some("TOKEN123")
        );
        assert_eq!(multipart_value(body.as_bytes(), ct, "other"), None);
        assert_eq!(multipart_value(b"garbage", ct, "csrf"), None);
        assert_eq!(
            multipart_value(body.as_bytes(), "multipart/form-data", "csrf"),
            None
        );
    }
}
