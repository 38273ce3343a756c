//! The reform HQ's plan administration: all plans (drafts included), status changes, import from
//! xlsx/CSV with a column mapping, and the plan workbook export.

use crate::accounts::departments;
use crate::audit::Actor;
use crate::codes;
use crate::error::{AppError, AppResult};
use crate::plans::exchange::import::{Lookup, Mapping, MetaInput, Problem};
use crate::plans::exchange::{self, PLAN_FIELDS, PLAN_SHEET, apply, export, import};
use crate::plans::store::{self, Plan};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::download::{XLSX, download};
use crate::web::extract::{FormData, PathId, Upload};
use crate::web::notice::see_other;
use crate::web::pages::plans::tree::{period_label, status_key};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "plans/admin.html")]
struct AdminPage<'a> {
    s: Shell<'a>,
    plans: Vec<(Plan, String, &'static str)>,
}

pub async fn index(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let t = ctx.tr();
    let plans = store::plans(&st.app.db, ctx.org_id())
        .await?
        .into_iter()
        .map(|p| (period_label(t, &p), status_key(&p.status), p))
        .map(|(a, b, p)| (p, a, b))
        .collect();
    let s = Shell::new(&ctx, "plan_admin.title");
    Ok(render(&AdminPage { s, plans })?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

/// Adopts (publishes), finishes or returns a plan to draft.
pub async fn set_status(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<StatusForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    crate::plans::editing::set_status(&st.app, ctx.org_id(), p.user_id, id, &f.status).await?;
    Ok(see_other(&st, "/hq/plans", "notice.saved"))
}

#[derive(Template)]
#[template(path = "plans/import.html")]
struct ImportPage<'a> {
    s: Shell<'a>,
    mapping: Vec<(&'static str, String, bool)>,
    meta: MetaInput,
    problems: Vec<(Problem, String)>,
    file_error: Option<String>,
    file_hint: String,
}

fn import_page(
    ctx: &Ctx,
    mapping: &Mapping,
    meta: MetaInput,
    problems: Vec<Problem>,
    file_error: Option<&'static str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let status = if problems.is_empty() && file_error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let problems = problems.into_iter().map(|p| {
        let msg = t.t(p.message).to_string();
        (p, msg)
    });
    let page = ImportPage {
        s: Shell::new(ctx, "import.title"),
        mapping: PLAN_FIELDS
            .iter()
            .map(|(f, _, req)| (*f, mapping.header(f).to_string(), *req))
            .collect(),
        meta,
        problems: problems.collect(),
        file_error: file_error.map(|k| crate::web::uploads::refusal(t, k)),
        file_hint: crate::web::uploads::file_hint(t, "import.file_hint"),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn import_form(ctx: Ctx) -> AppResult<Response> {
    import_page(
        &ctx,
        &Mapping::default(),
        MetaInput::default(),
        Vec::new(),
        None,
    )
}

/// Checks the whole file; imports nothing unless every sheet is valid.
pub async fn import(
    State(st): State<WebState>,
    ctx: Ctx,
    mut upload: Upload,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let field = |k: &str| upload.fields.get(k).cloned().unwrap_or_default();
    let mut mapping = Mapping::default();
    for (f, _, _) in PLAN_FIELDS {
        if let Some(h) = upload.fields.get(&format!("map_{f}")) {
            mapping
                .0
                .insert(f.to_string(), h.trim().chars().take(100).collect());
        }
    }
    let meta = MetaInput {
        title: field("title"),
        goal: field("goal"),
        first_year: field("first_year"),
        last_year: field("last_year"),
    };
    let (name, bytes) = match crate::web::uploads::file_of(&mut upload) {
        Ok(f) => f,
        Err(e) => return import_page(&ctx, &mapping, meta, Vec::new(), Some(e)),
    };
    let sheets = match st
        .imports
        .read(ctx.org_id(), &name, bytes, PLAN_SHEET)
        .await
    {
        Ok(s) => s,
        Err(e) => return import_page(&ctx, &mapping, meta, Vec::new(), Some(e)),
    };
    let org = ctx.org_id();
    let depts: Vec<(String, i64)> = departments::list(&st.app.db, org)
        .await?
        .into_iter()
        .map(|d| (d.code, d.id))
        .collect();
    let mut codes = codes::all(&st.app.db, org).await?;
    if codes.is_empty() {
        // A first plan: check against the default vocabularies it will get.
        let mut tx = st.app.begin_write().await?;
        codes::ensure_defaults(&mut tx, org).await?;
        tx.commit().await?;
        codes = codes::all(&st.app.db, org).await?;
    }
    let parsed = match import::parse(
        &sheets,
        &mapping,
        &meta,
        &Lookup {
            departments: &depts,
            codes: &codes,
        },
    ) {
        Ok(parsed) => parsed,
        Err(problems) => return import_page(&ctx, &mapping, meta, problems, None),
    };
    let id = apply::apply(&st.app, org, &Actor::user(p.user_id), &parsed).await?;
    Ok(see_other(
        &st,
        &format!("/hq/plans/{id}/edit"),
        "import.done",
    ))
}

async fn dept_codes(st: &WebState, org: i64) -> AppResult<HashMap<i64, String>> {
    Ok(departments::list(&st.app.db, org)
        .await?
        .into_iter()
        .map(|d| (d.id, d.code))
        .collect())
}

/// The plan in the import layout (drafts only for the HQ).
pub async fn export_xlsx(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let d = crate::web::pages::plans::tree::load_visible(&st, &ctx, id).await?;
    let sheets = export::to_sheets(&d, &dept_codes(&st, ctx.org_id()).await?);
    let body = export::plan_xlsx(&sheets, ctx.org.is_demo)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(download(body, XLSX, format!("plan-{id}.xlsx")))
}

pub async fn export_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let d = crate::web::pages::plans::tree::load_visible(&st, &ctx, id).await?;
    let sheets = export::to_sheets(&d, &dept_codes(&st, ctx.org_id()).await?);
    let plan_sheet = sheets
        .iter()
        .find(|s| s.name == exchange::PLAN_SHEET)
        .ok_or(AppError::NotFound)?;
    Ok(download(
        export::to_csv(plan_sheet),
        "text/csv; charset=utf-8",
        format!("plan-{id}.csv"),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

/// The annual progress report as a workbook.
pub async fn annual_xlsx(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    crate::web::extract::QueryData(q): crate::web::extract::QueryData<YearQuery>,
) -> AppResult<Response> {
    let d = crate::web::pages::plans::tree::load_visible(&st, &ctx, id).await?;
    let year = crate::web::pages::plans::open_data::report_year(&d, &q.year)?;
    let body = exchange::annual::xlsx(&d, year, ctx.org.is_demo)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(download(
        body,
        XLSX,
        format!("plan-{id}-progress-{year}.xlsx"),
    ))
}

impl ImportPage<'_> {
    fn field_key(&self, field: &str) -> &'static str {
        match field {
            "number" => "import.f_number",
            "parent" => "import.f_parent",
            "title" => "import.f_title",
            "seed_ref" => "import.f_seed_ref",
            "issues" => "import.f_issues",
            "body" => "import.f_body",
            "departments" => "import.f_departments",
            _ => "import.f_trackable",
        }
    }
}

/// The annual progress report as a PDF with Japanese fonts; 503 when the font is not installed.
pub async fn annual_pdf(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    crate::web::extract::QueryData(q): crate::web::extract::QueryData<YearQuery>,
) -> AppResult<Response> {
    let d = crate::web::pages::plans::tree::load_visible(&st, &ctx, id).await?;
    let year = crate::web::pages::plans::open_data::report_year(&d, &q.year)?;
    if !st.app.config.pdf_font.exists() {
        return Err(AppError::Unavailable(format!(
            "PDF font missing: {}",
            st.app.config.pdf_font.display()
        )));
    }
    let body = exchange::annual_pdf::render(&d, year, &st.app.config.pdf_font).await?;
    Ok(download(
        body,
        "application/pdf",
        format!("plan-{id}-progress-{year}.pdf"),
    ))
}
