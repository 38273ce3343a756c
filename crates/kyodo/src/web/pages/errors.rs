//! Error pages and the JSON error envelope. Internal details never reach the client.

use super::MessagePage;
use crate::error::AppError;
use crate::web::ctx::Ctx;
use crate::web::shell::{Shell, render};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

pub fn page(ctx: &Ctx, err: &AppError) -> Response {
    let status = err.status();
    if matches!(err, AppError::Unauthorized) {
        let next: String = url::form_urlencoded::byte_serialize(ctx.here.as_bytes()).collect();
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let t = ctx.tr();
    let mut shell = Shell::new(ctx, "error.title");
    if let AppError::Invalid(fields) = err {
        shell = shell.with_errors(fields.clone());
    }
    let page = MessagePage {
        s: shell,
        paragraphs: vec![t.t(err.message_key()).to_string()],
        link: Some(("/".into(), t.t("error.go_home").into())),
    };
    match render(&page) {
        Ok(html) => {
            let mut res = (status, html).into_response();
            if status == StatusCode::SERVICE_UNAVAILABLE {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
            }
            res
        }
        Err(_) => plain_status(status),
    }
}

/// `{"error": {"code", "message", "fields": [{"field", "message"}]}}` — the one API error envelope.
pub fn json(ctx: &Ctx, err: &AppError) -> Response {
    let t = ctx.tr();
    let fields: Vec<_> = match err {
        AppError::Invalid(f) => {
            f.0.iter()
                .map(|e| json!({"field": e.field, "message": t.t(e.message)}))
                .collect()
        }
        _ => Vec::new(),
    };
    let body =
        json!({"error": {"code": err.code(), "message": t.t(err.message_key()), "fields": fields}});
    (err.status(), axum::Json(body)).into_response()
}

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

pub async fn not_found() -> AppError {
    AppError::NotFound
}
