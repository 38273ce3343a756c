//! 集計結果 — a survey's results: counts and percentages per question (multiple choice counted per
//! option over the respondents who answered), scale scores, free text with search, cross-tabulation by
//! a respondent attribute, the importance × satisfaction portfolio with 改善度指数, and the trend
//! across the yearly waves. Charts are SVG with their tables; the responses export as CSV.

use crate::charts::{self, Series};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::surveys::results::{self, Counts, PortfolioItem, Tally};
use crate::surveys::store::{Form, Kind, Question};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::format::fmt2;
use crate::web::format::fy;
use crate::web::pages::portfolio::{PortfolioRow, portfolio_chart, portfolio_rows, quadrant_label};
use crate::web::pages::surveys::question_results::{QResult, pct, question_result, rows_of};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResultsQuery {
    by: String,
    text: String,
}

pub struct CrossTable {
    pub number: usize,
    pub label: String,
    pub columns: Vec<String>,
    /// (attribute option, respondents, percent per column)
    pub rows: Vec<(String, i64, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "surveys/results.html")]
struct ResultsPage<'a> {
    s: Shell<'a>,
    form: &'a Form,
    year: String,
    respondents: i64,
    questions: Vec<QResult>,
    attributes: Vec<(i64, String, bool)>,
    cross: Vec<CrossTable>,
    cross_label: String,
    portfolio: Vec<PortfolioRow>,
    portfolio_chart: String,
    waves: Vec<(i64, String, bool)>,
    /// (item, per wave: satisfaction score and quadrant)
    trend: Vec<(String, Vec<(String, String)>)>,
    trend_chart: String,
    text_search: String,
    can_export: bool,
}

/// Cross tables of every choice and scale question by the options of attribute question `by`.
fn cross_tables(
    t: Tr,
    form: &Form,
    attr: &Question,
    by: &std::collections::HashMap<i64, Tally>,
) -> Vec<CrossTable> {
    form.questions
        .iter()
        .enumerate()
        .filter(|(_, q)| {
            q.id() != attr.id() && matches!(q.kind, Kind::Single | Kind::Multi | Kind::Scale)
        })
        .map(|(i, q)| {
            let empty = Tally::default();
            let columns: Vec<String> = rows_of(t, q, &Counts::default())
                .into_iter()
                .map(|r| r.0)
                .collect();
            CrossTable {
                number: i + 1,
                label: q.row.label.clone(),
                columns,
                rows: attr
                    .options
                    .iter()
                    .map(|o| {
                        let c = by.get(&o.id).unwrap_or(&empty).of(q.id(), "");
                        let cells = rows_of(t, q, &c)
                            .into_iter()
                            .map(|(_, n)| pct(n, c.answered))
                            .collect();
                        (o.label.clone(), c.answered, cells)
                    })
                    .collect(),
            }
        })
        .collect()
}

pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(query): QueryData<ResultsQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = st.reader(&ctx);
    let d = super::results_data::results_data(&st, &ctx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (form, tally) = (&d.form, &d.tally);
    let attr = query
        .by
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|b| form.question(b))
        .filter(|q| q.row.attribute != 0)
        .cloned();
    let codes = st.snapshots.codes(&st.cache, db, org).await?;
    let by = match &attr {
        Some(a) => Some(results::crosstab(db, org, id, a.id()).await?),
        None => None,
    };
    let search: String = query.text.trim().chars().take(100).collect();
    // Written answers may name people or places: only the reform HQ reads them here; the public
    // sees how many there are (the HQ quotes them in its report after review).
    let hq = ctx.principal.as_deref().is_some_and(|p| p.is_reform_hq());
    let mut questions = Vec::new();
    let pages = crate::surveys::paging::pages(form);
    for (i, q) in form.questions.iter().enumerate() {
        let mut r = question_result(t, i, q, tally);
        if let Some(sec) = pages
            .iter()
            .find(|p| p.questions.first().is_some_and(|f| f.id() == q.id()))
            .and_then(|p| p.section)
        {
            r.section = sec.title.clone();
        }
        if hq && matches!(q.kind, Kind::Text | Kind::LongText) {
            r.texts = Some(results::texts(db, org, id, q.id(), &search, 20).await?);
        }
        questions.push(r);
    }
    let items = &d.items;
    // Waves of the same survey: their portfolios come with the snapshot.
    let waves: Vec<(i64, String, bool)> = d
        .waves
        .iter()
        .map(|(wid, year, _)| (*wid, fy(t, *year), *wid == id))
        .collect();
    let wave_items: Vec<(String, &[PortfolioItem])> = d
        .waves
        .iter()
        .map(|(_, year, its)| (fy(t, *year), its.as_slice()))
        .collect();
    let subjects: Vec<String> = items.iter().map(|p| p.subject.clone()).collect();
    let trend: Vec<(String, Vec<(String, String)>)> = if wave_items.len() > 1 {
        subjects
            .iter()
            .map(|subj| {
                let cells = wave_items
                    .iter()
                    .map(|(_, its)| {
                        its.iter()
                            .find(|p| &p.subject == subj)
                            .map(|p| {
                                (
                                    fmt2(p.satisfaction),
                                    quadrant_label(&codes, p.placed.quadrant.code(), t),
                                )
                            })
                            .unwrap_or_else(|| ("—".into(), "—".into()))
                    })
                    .collect();
                (subj.clone(), cells)
            })
            .collect()
    } else {
        Vec::new()
    };
    let trend_chart = if trend.is_empty() {
        String::new()
    } else {
        let series: Vec<Series> = wave_items
            .iter()
            .map(|(year, its)| Series {
                name: year,
                values: subjects
                    .iter()
                    .map(|s| its.iter().find(|p| &p.subject == s).map(|p| p.satisfaction))
                    .collect(),
            })
            .collect();
        let cats: Vec<String> = (1..=subjects.len()).map(|n| n.to_string()).collect();
        charts::bars(
            "trend",
            t.t("survey.trend_chart"),
            &cats,
            &series,
            t.t("survey.score_unit"),
        )
    };
    let cross = match (&attr, &by) {
        (Some(a), Some(by)) => cross_tables(t, form, a, by),
        _ => Vec::new(),
    };
    let attributes = form
        .questions
        .iter()
        .filter(|q| q.row.attribute != 0)
        .map(|q| {
            (
                q.id(),
                q.row.label.clone(),
                attr.as_ref().is_some_and(|a| a.id() == q.id()),
            )
        })
        .collect();
    let page = ResultsPage {
        s: Shell::new(&ctx, "survey.results_title"),
        year: fy(t, form.survey.fiscal_year),
        respondents: tally.respondents,
        questions,
        attributes,
        cross,
        cross_label: attr.map(|a| a.row.label).unwrap_or_default(),
        portfolio: portfolio_rows(t, &codes, items),
        portfolio_chart: portfolio_chart(t, &codes, items),
        waves,
        trend,
        trend_chart,
        text_search: search,
        can_export: hq,
        form,
    };
    let html = render(&page)?;
    Ok(st.cache.store(&ctx, html.0))
}
