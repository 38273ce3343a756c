//! Evaluation workbooks: a year's sheets as xlsx (the import layout; public once published, the HQ
//! any time) and the HQ's import of a city's workbook through a saved column mapping, checked
//! first and applied in one transaction.

use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::evaluation::exchange::import::{self, Lookup, Mapping, Problem};
use crate::evaluation::exchange::{FIELDS, SHEET, apply, export};
use crate::evaluation::sheet_data::SheetData;
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{self, Cycle, Scope};
use crate::evaluation::year::YearData;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::download::{XLSX, download};
use crate::web::extract::{PathId, Upload};
use crate::web::format::fy;
use crate::web::notice::see_other_counted;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

const MAX_UPLOAD: usize = 8 * 1024 * 1024;

/// A year's workbook: published years for everyone, any year for the HQ.
pub async fn year_xlsx(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let hq = ctx.principal.as_ref().is_some_and(|p| p.is_reform_hq());
    let cycle = store::cycle(&st.app.db, ctx.org_id(), id)
        .await?
        .filter(|c| c.published || hq)
        .ok_or(AppError::NotFound)?;
    let y = YearData::load(&st.app.db, ctx.org_id(), cycle, true).await?;
    let bytes =
        export::year_xlsx(&y, !hq, ctx.org.is_demo).map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(
        bytes,
        XLSX,
        format!("evaluation-{}.xlsx", y.cycle.fiscal_year),
    ))
}

#[derive(Template)]
#[template(path = "evaluation/import.html")]
struct ImportPage<'a> {
    s: Shell<'a>,
    cycle: Cycle,
    year_label: String,
    /// (field, label, header)
    fields: Vec<(String, String, String)>,
    problems: Vec<Problem>,
    counts_text: String,
    failure: Option<&'static str>,
}

fn page(
    ctx: &Ctx,
    cycle: Cycle,
    mapping: &Mapping,
    problems: Vec<Problem>,
    failure: Option<&'static str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let errors = problems.iter().filter(|p| !p.flag).count();
    let status = if problems.is_empty() && failure.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = ImportPage {
        s: Shell::new(ctx, "eval.import_title"),
        year_label: fy(t, cycle.fiscal_year),
        cycle,
        fields: FIELDS
            .iter()
            .map(|(f, _, _)| {
                (
                    f.to_string(),
                    t.t(&format!("eval.field_{f}")).to_string(),
                    mapping.header(f).to_string(),
                )
            })
            .collect(),
        counts_text: t.f("eval.import_counts", &[&errors, &(problems.len() - errors)]),
        problems,
        failure,
    };
    Ok((status, render(&p)?).into_response())
}

async fn cycle_of(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<Cycle> {
    store::cycle(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn import_form(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let cycle = cycle_of(&st, &ctx, id).await?;
    let m = crate::evaluation::exchange::mapping::saved(&st.app.db, ctx.org_id()).await?;
    page(&ctx, cycle, &m, Vec::new(), None)
}

/// Checks the whole workbook; applies nothing unless it is valid (or its flags are accepted).
pub async fn import(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    upload: Upload,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let cycle = cycle_of(&st, &ctx, id).await?;
    let mut mapping = crate::evaluation::exchange::mapping::saved(&st.app.db, org).await?;
    for (f, _, _) in FIELDS {
        if let Some(h) = upload.fields.get(&format!("map_{f}")) {
            mapping
                .0
                .insert(f.to_string(), h.trim().chars().take(100).collect());
        }
    }
    crate::evaluation::exchange::mapping::save(&st.app.db, org, &mapping).await?;
    let accept = upload
        .fields
        .get("accept_flagged")
        .is_some_and(|v| v == "1");
    let Some((name, bytes)) = upload.file.filter(|(_, b)| !b.is_empty()) else {
        return page(&ctx, cycle, &mapping, Vec::new(), Some("import.no_file"));
    };
    if bytes.len() > MAX_UPLOAD {
        return page(&ctx, cycle, &mapping, Vec::new(), Some("import.too_large"));
    }
    let sheets = match st.imports.read(org, &name, bytes, SHEET).await {
        Ok(s) => s,
        Err(e) => return page(&ctx, cycle, &mapping, Vec::new(), Some(e)),
    };
    // The sheet named 事務事業評価, else the first.
    let Some(sheet) = sheets.iter().find(|s| s.name == SHEET).or(sheets.first()) else {
        return page(&ctx, cycle, &mapping, Vec::new(), Some("import.no_file"));
    };
    let db = &st.app.db;
    let departments: Vec<(String, i64)> = crate::accounts::departments::list(db, org)
        .await?
        .into_iter()
        .map(|d| (d.code, d.id))
        .collect();
    let data = SheetData::load(db, org, Scope::Cycle(cycle.id), false).await?;
    let stages: HashMap<i64, Stage> = data
        .sheets
        .iter()
        .map(|s| (s.programme_id, s.stage))
        .collect();
    let (nodes, codes, programmes, units, published) = tokio::try_join!(
        store::policy_nodes(db, org),
        crate::codes::all(db, org),
        store::programmes(db, org),
        store::unit_costs(db, org),
        store::published_programmes(db, org),
    )?;
    let lookup = Lookup {
        fiscal_year: cycle.fiscal_year,
        departments: &departments,
        nodes: &nodes,
        codes: &codes,
        programmes: &programmes,
        stages: &stages,
        units: &units,
        published: &published,
    };
    let (rows, problems) = import::parse(sheet, &mapping, &lookup);
    if !import::can_apply(&problems, accept) {
        return page(&ctx, cycle, &mapping, problems, None);
    }
    let n = apply::apply(&st.app, org, &Actor::user(p.user_id), &cycle, &rows).await?;
    let to = format!("/hq/evaluation/cycles/{}/import", cycle.id);
    Ok(see_other_counted(&st, &to, "eval.imported", n))
}
