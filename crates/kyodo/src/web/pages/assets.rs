//! Static assets compiled into the binary (no CDN at run time).

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../../../assets/kyodo.css");

pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}
