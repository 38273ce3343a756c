//! Operations endpoints: health and metrics.

use crate::web::WebState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// 200 when the database answers, 503 otherwise.
pub async fn healthz(State(st): State<WebState>) -> impl IntoResponse {
    let ok = crate::db::ping(&st.app.db).await;
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(
            serde_json::json!({"status": if ok { "ok" } else { "unavailable" }, "database": ok}),
        ),
    )
}

/// Prometheus metrics of the whole process (every organization's counters, the pool): only for
/// a scraper that sends `KYODO_METRICS_TOKEN` as a bearer token; without a configured token the
/// endpoint does not exist (404), with a wrong one 401.
pub async fn metrics(State(st): State<WebState>, headers: HeaderMap) -> Response {
    let Some(token) = st.app.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !crate::accounts::tokens::same(sent, token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    let body = st.metrics.render(st.app.db.size(), st.app.db.num_idle());
    (
        [
            (header::CONTENT_TYPE, "text/plain; version=0.0.4"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}
