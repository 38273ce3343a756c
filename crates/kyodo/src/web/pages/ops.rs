//! Operations endpoints: health and metrics.

use crate::web::WebState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

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

pub async fn metrics(State(st): State<WebState>) -> impl IntoResponse {
    let body = st.metrics.render(st.app.db.size(), st.app.db.num_idle());
    (
        [
            (header::CONTENT_TYPE, "text/plain; version=0.0.4"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
}
