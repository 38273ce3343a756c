//! The API's anonymous reads kept in the page cache (`web/cache.rs`) like the pages: the same
//! key (organization, language, path and query), dropped by the same writes (`cache_scope.rs`
//! maps `/api/v1/<area>` to the area's pages), on every instance. It sits inside the ETag layer,
//! so a cached answer still carries its tag and a poller still gets 304. Requests with a token or
//! a session are never cached (their answers may hold what only they may see).

use crate::web::WebState;
use crate::web::cache::JSON;
use crate::web::ctx::Ctx;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Answers above this are not kept (the cache's whole budget is 8 MiB).
const MAX_KEPT: usize = 1024 * 1024;

pub async fn cached(State(st): State<WebState>, req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let Some(ctx) = ctx.filter(|c| {
        c.is_api && c.is_read && c.token.is_none() && req.uri().path().starts_with("/api/v1/")
    }) else {
        return next.run(req).await;
    };
    if let Some(hit) = st.cache.get(&ctx) {
        return hit;
    }
    let res = next.run(req).await;
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == JSON);
    let small = axum::body::HttpBody::size_hint(res.body())
        .exact()
        .is_some_and(|n| n <= MAX_KEPT as u64);
    if res.status() != StatusCode::OK || !json || !small || ctx.principal.is_some() {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_KEPT).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut out = st.cache.store_as(&ctx, bytes, JSON);
    // Headers the handler set (demonstration marks, caching rules) go with it.
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}
