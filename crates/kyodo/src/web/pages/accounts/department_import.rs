//! The HQ's bulk import of departments (部・課・係) from the list a city keeps, CSV or xlsx — the
//! same checks as `kyodo department import` (`accounts::department_import`): every row first,
//! nothing written unless all are good, then all in one transaction. Before it, departments came
//! one form at a time from a system administrator.

use crate::accounts::{department_import, departments};
use crate::audit::Actor;
use crate::error::{AppError, AppResult};
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
#[template(path = "accounts/department_import.html")]
struct ImportPage<'a> {
    s: Shell<'a>,
    file_hint: String,
    failure: Option<String>,
    /// (line, message, value)
    problems: Vec<(usize, String, String)>,
    count_text: String,
}

fn page(
    ctx: &Ctx,
    departments: usize,
    failure: Option<&'static str>,
    problems: Vec<department_import::Problem>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let status = if failure.is_none() && problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = ImportPage {
        s: Shell::new(ctx, "department.import_title"),
        file_hint: uploads::file_hint(t, "department.import_hint"),
        failure: failure.map(|k| uploads::refusal(t, k)),
        problems: problems
            .into_iter()
            .map(|p| (p.line, t.t(p.key).to_string(), p.value))
            .collect(),
        count_text: t.f("department.import_count", &[&departments]),
    };
    Ok((status, render(&p)?).into_response())
}

pub async fn form(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let n = departments::list(&st.app.db, ctx.org_id()).await?.len();
    page(&ctx, n, None, Vec::new())
}

pub async fn import(
    State(st): State<WebState>,
    ctx: Ctx,
    mut upload: Upload,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let existing = departments::list(&st.app.db, org).await?;
    let (name, bytes) = match uploads::file_of(&mut upload) {
        Ok(f) => f,
        Err(e) => return page(&ctx, existing.len(), Some(e), Vec::new()),
    };
    let sheets = match st.imports.read(org, &name, bytes, "departments").await {
        Ok(s) => s,
        Err(e) => return page(&ctx, existing.len(), Some(e), Vec::new()),
    };
    let Some(sheet) = sheets.first() else {
        return page(&ctx, existing.len(), Some("import.no_file"), Vec::new());
    };
    let plan = match department_import::plan(sheet, &existing) {
        Ok(plan) => plan,
        Err(problems) => return page(&ctx, existing.len(), None, problems),
    };
    department_import::apply(&st.app, org, &Actor::user(p.user_id), &plan)
        .await
        .map_err(AppError::Internal)?;
    Ok(see_other_counted(
        &st,
        "/hq/departments/import",
        "department.imported",
        plan.add.len(),
    ))
}
