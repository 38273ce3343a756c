//! Error pages and the JSON error envelope. Internal details never reach the client.

use crate::error::AppError;
use crate::web::ctx::Ctx;
use crate::web::pages::MessagePage;
use crate::web::plain_errors::plain_status;
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

pub async fn not_found() -> AppError {
    AppError::NotFound
}
