//! One evaluation sheet as a file in the familiar one-page layout: xlsx (fit to one A4 page) and
//! PDF (typst). Built from the same view as the pages, with public reads only (no contact names or
//! phones). Published years for everyone; unpublished ones for city staff and committee members.

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::costs;
use crate::evaluation::sheet_data::SheetData;
use crate::evaluation::sheet_files::{self, SheetFile};
use crate::evaluation::sheet_view::{self};
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{self, Scope};
use crate::evaluation::year::department_name;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::download::{XLSX, download};
use crate::web::extract::PathId;
use crate::web::format::fy;

async fn load(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<SheetFile> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    let sheet = store::sheet(db, org, id).await?.ok_or(AppError::NotFound)?;
    let cycle = store::cycle(db, org, sheet.cycle_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Before publication: city staff, and committee members for the sheets chosen for them.
    let insider = ctx.principal.as_ref().is_some_and(|p| {
        p.is_staff()
            || crate::policy::may_decide_stage(p, Stage::External, cycle.committee_id)
                && sheet.external
    });
    if !cycle.published && !insider {
        return Err(AppError::NotFound);
    }
    let p = store::programme(db, org, sheet.programme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut data = SheetData::load(db, org, Scope::Programme(p.id), true).await?;
    data.sheets.retain(|s| s.id == id);
    let public = data.sheets.first().cloned().ok_or(AppError::NotFound)?;
    let all_codes = codes::all(db, org).await?;
    let units = store::unit_costs(db, org).await?;
    let (inds, values) = store::indicators(db, org, "programme", Some(p.id)).await?;
    let nodes = store::policy_nodes(db, org).await?;
    let depts = crate::accounts::departments::list(db, org).await?;
    let cols = costs::columns(
        cycle.fiscal_year,
        &data.costs_of(id),
        &data.staffing_of(id),
        &units,
    );
    let sources = sheet_view::Sources {
        fiscal_year: cycle.fiscal_year,
        sheet: &public,
        data: &data,
        cols: &cols,
        inds: &inds,
        values: &values,
        all_codes: &all_codes,
    };
    let v = sheet_view::build(t, sources);
    let node = p
        .policy_node_id
        .and_then(|n| nodes.iter().find(|x| x.id == n));
    let label = |list: &str, c: &str| codes::label(&all_codes, list, c, t.lang).to_string();
    let facts = vec![
        (t.t("eval.code").to_string(), p.code.clone()),
        (t.t("eval.programme").to_string(), p.name.clone()),
        (
            t.t("eval.department").to_string(),
            department_name(&depts, p.department_id, t.lang),
        ),
        (
            t.t("eval.position").to_string(),
            node.map(|n| format!("{} {}", n.number, n.title))
                .unwrap_or_default(),
        ),
        (
            t.t("eval.legal_basis").to_string(),
            if p.legal_basis.is_empty() {
                t.t("eval.none").into()
            } else {
                p.legal_basis.clone()
            },
        ),
        (
            t.t("eval.period").to_string(),
            format!(
                "{}〜{}",
                fy(t, p.first_year),
                p.last_year.map(|y| fy(t, y)).unwrap_or_default()
            ),
        ),
        (
            t.t("eval.method").to_string(),
            label(codes::IMPL_METHOD, &p.method),
        ),
        (
            t.t("eval.type").to_string(),
            label(codes::PROGRAMME_TYPE, &p.kind),
        ),
        (t.t("eval.target_group").to_string(), p.target.clone()),
        (t.t("eval.intent").to_string(), p.intent.clone()),
        (t.t("eval.means").to_string(), p.means.clone()),
        (t.t("eval.issues").to_string(), public.issues.clone()),
    ];
    Ok(SheetFile {
        title: format!(
            "{} {} {} {}",
            fy(t, cycle.fiscal_year),
            t.t("eval.sheet_title"),
            p.code,
            p.name
        ),
        facts,
        v,
        is_demo: p.is_demo,
    })
}

pub async fn sheet_xlsx(
    axum::extract::State(st): axum::extract::State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<axum::response::Response> {
    let f = load(&st, &ctx, id).await?;
    let bytes = sheet_files::xlsx(ctx.tr(), &f).map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(bytes, XLSX, format!("evaluation-sheet-{id}.xlsx")))
}

/// The sheet as a PDF; 503 when the Japanese font is not installed.
pub async fn sheet_pdf(
    axum::extract::State(st): axum::extract::State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<axum::response::Response> {
    let f = load(&st, &ctx, id).await?;
    if !st.app.config.pdf_font.exists() {
        return Err(AppError::Unavailable(format!(
            "PDF font missing: {}",
            st.app.config.pdf_font.display()
        )));
    }
    let body = crate::surveys::report_pdf::render(
        sheet_files::typst(ctx.tr(), &f),
        &st.app.config.pdf_font,
    )
    .await?;
    Ok(download(
        body,
        "application/pdf",
        format!("evaluation-sheet-{id}.pdf"),
    ))
}
