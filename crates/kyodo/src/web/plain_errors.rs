//! Error pages that need no request context: the database failed while the organization was being
//! resolved, no organization is registered, or the Host names none. Bilingual, without templates,
//! so that they work when nothing else does.

use crate::error::AppError;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Used before a context exists (e.g. the database is down while resolving the organization).
pub fn plain(err: AppError) -> Response {
    match &err {
        AppError::Internal(e) => tracing::error!(error = ?e, "internal error"),
        other => tracing::warn!(error = %other, "request failed before context"),
    }
    plain_status(err.status())
}

pub fn plain_status(status: StatusCode) -> Response {
    let (ja, en) = match status {
        StatusCode::SERVICE_UNAVAILABLE => (
            "ただいま混み合っているか保守中です。しばらくしてからもう一度お試しください。",
            "Kyodo is temporarily unavailable. Please try again shortly.",
        ),
        _ => ("エラーが発生しました。", "An error occurred."),
    };
    let body = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body><main><h1>{}</h1><p>{ja}</p><p lang=\"en\">{en}</p></main></body></html>",
        status.as_u16(),
        status.as_u16()
    );
    let mut res = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
    }
    res
}

pub fn no_organization() -> Response {
    let body = "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>Kyodo</title></head><body><main>\
        <h1>Kyodo</h1><p>団体が登録されていません。<code>kyodo demo</code> でデモ団体を読み込むか、<code>kyodo org add</code> で登録してください。</p>\
        <p lang=\"en\">No organization yet: run <code>kyodo demo</code> or <code>kyodo org add</code>.</p></main></body></html>";
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A Host no organization is served on, in an installation of several (421 Misdirected Request).
pub fn unknown_host() -> Response {
    let body = "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>Kyodo</title></head><body><main>\
        <h1>Kyodo</h1><p>このアドレスで提供している団体はありません。アドレスをご確認ください。</p>\
        <p lang=\"en\">No organization is served at this address. Please check the address.</p></main></body></html>";
    (
        StatusCode::MISDIRECTED_REQUEST,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}
