//! `ETag` and `If-None-Match` for the JSON API's reads: a client that polls (the open-data portal,
//! a city's own tools) gets `304 Not Modified` with no body while nothing changed. The tag is the
//! SHA-256 of the answer, so it changes exactly when the answer does, on every instance alike.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Answers larger than this are sent without a tag (none of the API's pages comes near it).
const MAX_TAGGED_BYTES: usize = 8 * 1024 * 1024;

pub async fn etag(req: Request, next: Next) -> Response {
    let tagged = matches!(*req.method(), Method::GET | Method::HEAD)
        && req.uri().path().starts_with("/api/v1/");
    if !tagged {
        return next.run(req).await;
    }
    let asked = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let res = next.run(req).await;
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if res.status() != StatusCode::OK || !json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_TAGGED_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = format!("\"{}\"", &hex::encode(Sha256::digest(&bytes))[..32]);
    let matches = asked.is_some_and(|a| {
        a.split(',').any(|t| {
            t.trim() == tag || t.trim() == "*" || t.trim().strip_prefix("W/") == Some(&tag)
        })
    });
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}
