//! The page of a one-step file import whose problems are reported by line (the 公共施設一覧, a
//! budget file): the form, why a file could not be read, or every problem with its line and value
//! and the reminder that nothing was imported. Each import names its texts, action and link; an
//! import whose files come in many layouts (a budget file) adds a column mapping, with the first
//! rows of the file it could not read so the user sees the headers to name.

use crate::error::AppResult;
use crate::validation::{FieldErrors, LineProblem};
use crate::web::ctx::Ctx;
use crate::web::shell::{Shell, render};
use crate::web::uploads;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What differs between the imports using this page.
pub struct Spec {
    pub title_key: &'static str,
    pub lead_key: &'static str,
    pub hint_key: &'static str,
    /// Where the form posts.
    pub action: &'static str,
    /// A link under the form: (href, catalogue key, whether it is a download).
    pub link: (&'static str, &'static str, bool),
}

/// A column-mapping section of the form: its fields, and the first rows of the file last sent.
#[derive(Default)]
pub struct Mapping {
    pub legend: String,
    pub lead: String,
    pub fields: Vec<MapField>,
    /// Up to ten rows of the uploaded file (cells cut short), when it was read but not imported.
    pub preview: Vec<Vec<String>>,
    pub errors: FieldErrors,
}

/// One field of the mapping: a text box, or a choice when `options` (value, label) are given.
pub struct MapField {
    pub name: String,
    pub label: String,
    pub hint: String,
    pub value: String,
    pub options: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "line_import.html")]
struct ImportPage<'a> {
    s: Shell<'a>,
    spec: &'a Spec,
    file_hint: String,
    failure: Option<String>,
    problems: Vec<(usize, String, String)>,
    mapping: Option<Mapping>,
}

/// The page: 200 with the form, 422 with a refusal (`failure`, a catalogue key) or the problems.
pub fn page(
    ctx: &Ctx,
    spec: &Spec,
    failure: Option<&'static str>,
    problems: Vec<LineProblem>,
) -> AppResult<Response> {
    page_with(ctx, spec, failure, problems, None)
}

/// The page with a column mapping (422 as well when a mapping field is wrong).
pub fn page_with(
    ctx: &Ctx,
    spec: &Spec,
    failure: Option<&'static str>,
    problems: Vec<LineProblem>,
    mut mapping: Option<Mapping>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let errors = mapping
        .as_mut()
        .map(|m| std::mem::take(&mut m.errors))
        .unwrap_or_default();
    let status = if failure.is_none() && problems.is_empty() && errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = ImportPage {
        s: Shell::new(ctx, spec.title_key).with_errors(errors),
        spec,
        file_hint: uploads::file_hint(t, spec.hint_key),
        failure: failure.map(|k| uploads::refusal(t, k)),
        problems: problems
            .into_iter()
            .map(|p| (p.line, t.t(p.key).to_string(), p.value))
            .collect(),
        mapping,
    };
    Ok((status, render(&p)?).into_response())
}
