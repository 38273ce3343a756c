//! `Idempotency-Key` on the API's writes (`accounts::idempotency` keeps the keys): a client that
//! lost the answer to a write sends it again with the same key and gets the first answer back
//! (`Idempotent-Replayed: true`) instead of a second change. Without the header a write runs as
//! usual; a key sent by nobody (no token, no session) is ignored, as there is no one to keep it for.

use crate::accounts::idempotency::{self, Claim};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sha2::{Digest, Sha256};

pub const HEADER: &str = "idempotency-key";

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message, "fields": []}})),
    )
        .into_response()
}

pub async fn idempotent(State(st): State<WebState>, req: Request, next: Next) -> Response {
    let write = !matches!(*req.method(), Method::GET | Method::HEAD);
    let key = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_string));
    let (Some(key), true) = (key, write && req.uri().path().starts_with("/api/v1/")) else {
        return next.run(req).await;
    };
    let Some(key) = key.ok().filter(|k| idempotency::valid_key(k)) else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "bad_idempotency_key",
            "Idempotency-Key must be 1–255 visible ASCII characters.",
        );
    };
    let who = req.extensions().get::<Ctx>().and_then(|c| {
        let actor = match (&c.token, &c.principal) {
            (Some(t), _) => format!("token:{}", t.id),
            (None, Some(p)) => format!("user:{}", p.user_id),
            (None, None) => return None,
        };
        Some((c.org_id(), actor))
    });
    let Some((org, actor)) = who else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, st.app.config.max_body_bytes).await else {
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "The request body is too large.",
        );
    };
    let mut h = Sha256::new();
    h.update(parts.method.as_str());
    h.update([0]);
    h.update(parts.uri.to_string());
    h.update([0]);
    h.update(&bytes);
    let digest = hex::encode(h.finalize());
    let claim = match idempotency::claim(&st.app, org, &actor, &key, &digest).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "idempotency claim failed");
            return refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Try again shortly.",
            );
        }
    };
    match claim {
        Claim::Claimed => {}
        Claim::Replay(status, content_type, body) => {
            let mut res = Response::new(Body::from(body));
            *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                res.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            res.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return res;
        }
        Claim::InProgress => {
            return refusal(
                StatusCode::CONFLICT,
                "idempotency_in_progress",
                "A request with this Idempotency-Key is still being handled.",
            );
        }
        Claim::Mismatch => {
            return refusal(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "This Idempotency-Key was used for a different request.",
            );
        }
    }
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    finish(&st, org, &actor, &key, res).await
}

/// Keeps a successful answer for replay; frees the key of any other.
async fn finish(st: &WebState, org: i64, actor: &str, key: &str, res: Response) -> Response {
    let app = &st.app;
    if !res.status().is_success() {
        if let Err(e) = idempotency::release(app, org, actor, key).await {
            tracing::warn!(error = %e, "idempotency release failed");
        }
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 8 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_string();
    let kept = match std::str::from_utf8(&bytes) {
        Ok(text) => {
            idempotency::keep(
                app,
                org,
                actor,
                key,
                parts.status.as_u16(),
                &content_type,
                text,
            )
            .await
        }
        Err(_) => idempotency::release(app, org, actor, key).await,
    };
    if let Err(e) = kept {
        tracing::warn!(error = %e, "idempotency keep failed");
    }
    Response::from_parts(parts, Body::from(bytes))
}
