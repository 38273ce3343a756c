//! 会議録 pushed by a minutes vendor (`write:minutes`): the same three formats as the HQ's import
//! page (plain text with the meeting's body, kind, session and 号; a CSV of speeches; NDL JSON
//! records), checked whole by the same code — every problem listed by line, nothing written —
//! and a good file written in one transaction. The file comes in the JSON body, as UTF-8 text
//! (`content`) or as bytes in Base64 (`content_base64`, e.g. a Shift_JIS CSV); the body is limited
//! to `KYODO_MAX_BODY_BYTES` (2 MiB), so a long session is sent a few meetings at a time.

use crate::error::{AppError, AppResult};
use crate::minutes::import::{self, TextMeta};
use crate::validation::{FieldError, FieldErrors};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::JsonBody;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct ImportBody {
    /// The file's name; its ending says the format (`.txt`, `.csv`, `.json`).
    file_name: String,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    content_base64: Option<String>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    session: String,
    #[serde(default)]
    issue: String,
}

pub async fn import(
    State(st): State<WebState>,
    ctx: Ctx,
    JsonBody(b): JsonBody<ImportBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let bytes = match (b.content, b.content_base64) {
        (Some(text), None) => text.into_bytes(),
        (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|_| refused("content_base64", "api.bad_base64"))?,
        _ => return Err(refused("content", "api.one_content")),
    };
    if bytes.is_empty() {
        return Err(refused("content", "import.no_file"));
    }
    let meta = TextMeta {
        body: b.body,
        kind: if b.kind.is_empty() {
            "council".into()
        } else {
            b.kind
        },
        session: b.session,
        issue: b.issue,
    };
    let name = b.file_name;
    let checked = tokio::task::spawn_blocking(move || import::check(&name, &bytes, &meta))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let meetings = checked.map_err(|problems| {
        AppError::Invalid(FieldErrors(
            problems
                .into_iter()
                .map(|p| FieldError {
                    field: format!("{}:{}", p.file, p.line),
                    message: p.message,
                })
                .collect(),
        ))
    })?;
    let ids = import::apply(&st.app, ctx.org_id(), &ctx.actor()?, meetings, &mut |_| {}).await?;
    let links: Vec<String> = ids
        .iter()
        .map(|id| format!("/minutes/meetings/{id}"))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(json!({"imported": ids.len(), "meetings": ids, "pages": links})),
    ))
}

fn refused(field: &str, key: &'static str) -> AppError {
    AppError::Invalid(FieldErrors(vec![FieldError {
        field: field.to_string(),
        message: key,
    }]))
}
