//! 結果の公表: a published result as a page, and as CSV, JSON (open data), xlsx and PDF; every
//! published result's groups in one CSV for the open-data catalogue.

use crate::error::{AppError, AppResult};
use crate::participation::consultations as store;
use crate::participation::diff::Piece;
use crate::participation::result::{self, ResultDoc};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::download::{XLSX, csv_body, download};
use crate::web::extract::PathId;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

/// The published result of a consultation; 404 before publication.
async fn published(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<ResultDoc> {
    let db = st.reader(ctx);
    let c = store::get(db, ctx.org_id(), id)
        .await?
        .filter(|c| c.result_state == "published")
        .ok_or(AppError::NotFound)?;
    Ok(result::load(db, ctx.org_id(), c).await?)
}

#[derive(Template)]
#[template(path = "participation/result.html")]
struct ResultPage<'a> {
    s: Shell<'a>,
    d: ResultDoc,
    heading: String,
    period: String,
    count: String,
    published_on: String,
    /// (channel in words, "3名4件")
    channels: Vec<(String, String)>,
}

pub async fn page(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let d = published(&st, &ctx, id).await?;
    let channels = d
        .by_channel
        .iter()
        .map(|(code, people, n)| (super::channel(t, code), t.f("pc.count_value", &[people, n])))
        .collect();
    let page = ResultPage {
        s: Shell::new(&ctx, "pc.result_title"),
        heading: t.f("pc.result_heading", &[&d.consultation.title]),
        period: super::period(t, &d.consultation),
        count: t.f("pc.count_value", &[&d.submitters, &d.opinions]),
        published_on: d
            .consultation
            .result_published_at
            .as_deref()
            .map(|at| t.datetime(at))
            .unwrap_or_default(),
        channels,
        d,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

pub async fn csv(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let d = published(&st, &ctx, id).await?;
    csv_body(
        &result::CSV_HEADER,
        result::csv_rows(&d),
        format!("consultation-{id}-result.csv"),
    )
}

pub async fn json(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let d = published(&st, &ctx, id).await?;
    Ok(axum::Json(d).into_response())
}

pub async fn xlsx(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let d = published(&st, &ctx, id).await?;
    let body = result::xlsx(&d, ctx.org.is_demo).map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(
        body,
        XLSX,
        format!("consultation-{id}-result.xlsx"),
    ))
}

pub async fn pdf(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let d = published(&st, &ctx, id).await?;
    if !st.app.config.pdf_font.exists() {
        return Err(AppError::Unavailable(format!(
            "PDF font missing: {}",
            st.app.config.pdf_font.display()
        )));
    }
    let body =
        crate::surveys::report_pdf::render(result::pdf_source(&d), &st.app.config.pdf_font).await?;
    Ok(download(
        body,
        "application/pdf",
        format!("consultation-{id}-result.pdf"),
    ))
}

/// Every published result's groups, one row each (open data).
pub async fn all_csv(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    let mut rows = Vec::new();
    for c in store::list(db, org).await? {
        if c.result_state == "published" {
            rows.extend(result::csv_rows(&result::load(db, org, c).await?));
        }
    }
    csv_body(&result::CSV_HEADER, rows, "consultation-results.csv".into())
}

/// A piece of the revised draft for the template: (kind, text) with kind same / added / removed.
pub fn pieces(p: &[Piece]) -> Vec<(&'static str, &str)> {
    p.iter()
        .map(|x| match x {
            Piece::Same(s) => ("same", s.as_str()),
            Piece::Added(s) => ("added", s.as_str()),
            Piece::Removed(s) => ("removed", s.as_str()),
        })
        .collect()
}
