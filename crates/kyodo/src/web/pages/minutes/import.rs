//! The HQ's import of minutes: plain text as the city publishes it (with the body, kind, session
//! and 号 the text does not say), a CSV of speeches, or NDL JSON records. The file is checked whole; every problem is
//! listed with file and line and nothing is written; a good file is written in one transaction
//! and the first meeting opens.

use crate::audit::Actor;
use crate::error::AppResult;
use crate::minutes::import::{self, Problem, TextMeta};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::Upload;
use crate::web::notice::see_other_counted;
use crate::web::shell::{Shell, render};
use crate::web::uploads;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "minutes/import.html")]
struct ImportPage<'a> {
    s: Shell<'a>,
    file_hint: String,
    failure: Option<String>,
    /// (file, line, message, value)
    problems: Vec<(String, usize, String, String)>,
    meta: TextMeta,
}

fn page(
    ctx: &Ctx,
    meta: TextMeta,
    failure: Option<&'static str>,
    problems: Vec<Problem>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let status = if failure.is_none() && problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = ImportPage {
        s: Shell::new(ctx, "minutes.import_title"),
        file_hint: uploads::file_hint(t, "minutes.import_hint"),
        failure: failure.map(|k| uploads::refusal(t, k)),
        problems: problems
            .into_iter()
            .map(|p| (p.file, p.line, t.t(p.message).to_string(), p.value))
            .collect(),
        meta,
    };
    Ok((status, render(&p)?).into_response())
}

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    page(
        &ctx,
        TextMeta {
            kind: "council".into(),
            ..Default::default()
        },
        None,
        Vec::new(),
    )
}

pub async fn import(
    State(st): State<WebState>,
    ctx: Ctx,
    mut upload: Upload,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let field = |k: &str| upload.fields.get(k).cloned().unwrap_or_default();
    let meta = TextMeta {
        body: field("body"),
        kind: field("kind"),
        session: field("session"),
        issue: field("issue"),
    };
    let (name, bytes) = match uploads::file_of(&mut upload) {
        Ok(f) => f,
        Err(e) => return page(&ctx, meta, Some(e), Vec::new()),
    };
    let checked = {
        let (name, meta) = (name.clone(), meta.clone());
        tokio::task::spawn_blocking(move || import::check(&name, &bytes, &meta))
            .await
            .map_err(|e| crate::error::AppError::Internal(e.into()))?
    };
    let meetings = match checked {
        Ok(m) => m,
        Err(problems) => return page(&ctx, meta, None, problems),
    };
    let imported = meetings.len();
    let ids = import::apply(
        &st.app,
        ctx.org_id(),
        &Actor::user(p.user_id),
        meetings,
        &mut |_| {},
    )
    .await?;
    let to = ids.first().map_or_else(
        || "/minutes".to_string(),
        |id| format!("/minutes/meetings/{id}"),
    );
    Ok(see_other_counted(&st, &to, "minutes.imported", imported))
}
