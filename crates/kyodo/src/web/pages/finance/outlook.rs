//! 中期財政見通し for citizens: an edition's table (items down, years across) with revenue against
//! expenditure by year as a chart beside it, and another edition compared — the totals, 収支差,
//! 基金 and 市債 rows of the years both cover, with the change. The edition as CSV.

use crate::charts::{Series, bars};
use crate::error::{AppError, AppResult};
use crate::finance::outlook::{Row, Section, store};
use crate::i18n::fy;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::format::amount;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OutlookQuery {
    edition: String,
    compare: String,
}

/// A row as shown: section (on its first row only), label, whether a total, 百万円 per year.
type Shown = (String, String, bool, Vec<String>);

#[derive(Template)]
#[template(path = "finance/outlook.html")]
struct OutlookPage<'a> {
    s: Shell<'a>,
    /// (id, label, chosen, compared)
    editions: Vec<(i64, String, bool, bool)>,
    title: String,
    id: i64,
    is_demo: bool,
    years: Vec<String>,
    rows: Vec<Shown>,
    chart: String,
    /// The comparison's heading, empty when none is chosen.
    compared: String,
    /// (label, year, this, compared, change) in 百万円
    changes: Vec<(String, String, String, String, String)>,
}

fn millions(yen: i64) -> String {
    amount(yen / 1_000_000)
}

fn parse_id(raw: &str) -> AppResult<Option<i64>> {
    match raw.trim() {
        "" => Ok(None),
        r => r
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("error.bad_query")),
    }
}

/// A side's total per year: its 合計 row, or the sum of its items when the table has none.
fn side_total(rows: &[Row], section: Section, k: usize) -> i64 {
    rows.iter()
        .find(|r| r.section == section && r.is_total)
        .map(|r| r.amounts[k])
        .unwrap_or_else(|| {
            rows.iter()
                .filter(|r| r.section == section)
                .map(|r| r.amounts[k])
                .sum()
        })
}

pub async fn page(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<OutlookQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let editions = store::editions(db, org).await?;
    let pick = |id: Option<i64>| -> AppResult<Option<&store::Outlook>> {
        match id {
            None => Ok(None),
            Some(id) => editions
                .iter()
                .find(|e| e.id == id)
                .map(Some)
                .ok_or(AppError::NotFound),
        }
    };
    let chosen = pick(parse_id(&q.edition)?)?.or(editions.first());
    let Some(e) = chosen.cloned() else {
        return crate::web::pages::message(
            &ctx,
            "outlook.title",
            &["outlook.none"],
            Some(("/finance", "fin.title")),
        );
    };
    let other = pick(parse_id(&q.compare)?)?
        .filter(|o| o.id != e.id)
        .cloned();
    let (years, rows) = store::table(db, org, e.id).await?;
    let label = |o: &store::Outlook| t.f("outlook.edition", &[&fy(t, o.made_in)]);
    let year_labels: Vec<String> = years.iter().map(|y| fy(t, *y)).collect();
    let mut last_section = None;
    let shown: Vec<Shown> = rows
        .iter()
        .map(|r| {
            let first = last_section != Some(r.section);
            last_section = Some(r.section);
            let section = if first {
                t.t(r.section.key()).to_string()
            } else {
                String::new()
            };
            (
                section,
                r.label.clone(),
                r.is_total,
                r.amounts.iter().map(|v| millions(*v)).collect(),
            )
        })
        .collect();
    let series = |section: Section| Series {
        name: t.t(section.key()),
        values: (0..years.len())
            .map(|k| Some((side_total(&rows, section, k) / 1_000_000) as f64))
            .collect(),
    };
    let chart = bars(
        "outlook",
        t.t("outlook.chart"),
        &year_labels,
        &[series(Section::Revenue), series(Section::Expenditure)],
        t.t("fin.unit_million"),
    );
    let mut changes = Vec::new();
    if let Some(o) = &other {
        let (their_years, their_rows) = store::table(db, org, o.id).await?;
        for r in rows
            .iter()
            .filter(|r| r.is_total || !matches!(r.section, Section::Revenue | Section::Expenditure))
        {
            let Some(theirs) = their_rows
                .iter()
                .find(|x| x.section == r.section && x.label == r.label)
            else {
                continue;
            };
            for (k, y) in years.iter().enumerate() {
                if let Some(j) = their_years.iter().position(|x| x == y) {
                    let (a, b) = (r.amounts[k], theirs.amounts[j]);
                    changes.push((
                        r.label.clone(),
                        fy(t, *y),
                        millions(a),
                        millions(b),
                        millions(a - b),
                    ));
                }
            }
        }
    }
    let page = OutlookPage {
        s: Shell::new(&ctx, "outlook.title"),
        editions: editions
            .iter()
            .map(|x| {
                (
                    x.id,
                    label(x),
                    x.id == e.id,
                    other.as_ref().is_some_and(|o| o.id == x.id),
                )
            })
            .collect(),
        title: format!("{} — {}", e.title, label(&e)),
        id: e.id,
        is_demo: e.is_demo,
        years: year_labels,
        rows: shown,
        chart,
        compared: other
            .as_ref()
            .map(|o| t.f("outlook.compared_with", &[&label(o)]))
            .unwrap_or_default(),
        changes,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// An edition as open data: section, item, total flag, year, amount in 円.
/// The open-data columns of an outlook edition.
pub const HEADER: [&str; 6] = [
    "made_in",
    "section",
    "item",
    "is_total",
    "fiscal_year",
    "amount_yen",
];

/// An outlook edition and its table as open-data rows, one per item and year (the CSV and the API).
pub async fn rows(
    db: &crate::db::Db,
    org: i64,
    id: i64,
) -> AppResult<(store::Outlook, Vec<Vec<String>>)> {
    let e = store::editions(db, org)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(AppError::NotFound)?;
    let (years, rows) = store::table(db, org, id).await?;
    let mut out = Vec::new();
    for r in &rows {
        for (y, v) in years.iter().zip(&r.amounts) {
            out.push(vec![
                e.made_in.to_string(),
                r.section.word().to_string(),
                r.label.clone(),
                if r.is_total { "1" } else { "0" }.to_string(),
                y.to_string(),
                v.to_string(),
            ]);
        }
    }
    Ok((e, out))
}

pub async fn csv(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let (e, out) = rows(st.reader(&ctx), ctx.org_id(), id).await?;
    crate::web::download::csv_body(
        &HEADER,
        out,
        format!("{}_fiscal_outlook_{}.csv", ctx.org.lg_code, e.made_in),
    )
}
