//! Open data for a plan (CSV, UTF-8 with BOM so Excel opens it in Japanese) and the print-ready
//! annual progress report (進捗状況報告書). Only published reports appear in either.

use crate::codes::{self, RATING};
use crate::error::{AppError, AppResult};
use crate::plans::store::PublishedReport;
use crate::plans::view::PlanData;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::download::csv_body;
use crate::web::extract::{PathId, QueryData};
use crate::web::format::fy;
use crate::web::pages::plans::tree::{EffectRow, effect_rows, period_label};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

fn opt(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Builds one CSV file. A plan is a bounded document (its items × years), so it is written whole.
fn csv_response(
    name: &str,
    plan_id: i64,
    header_row: &[&str],
    rows: Vec<Vec<String>>,
) -> AppResult<Response> {
    csv_body(header_row, rows, format!("plan-{plan_id}-{name}.csv"))
}

/// A CSV download in UTF-8 with a BOM (so Excel opens Japanese text correctly).
async fn load(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<std::sync::Arc<PlanData>> {
    crate::web::pages::plans::tree::load_visible(st, ctx, id).await
}

/// The fiscal year asked for, or the latest year with a published report.
pub fn report_year(d: &PlanData, raw: &str) -> AppResult<i64> {
    match raw.trim() {
        "" => Ok(d
            .reports
            .iter()
            .map(|r| r.fiscal_year)
            .max()
            .unwrap_or(d.plan.first_year)),
        s => s
            .parse::<i64>()
            .ok()
            .filter(|y| d.years().contains(y))
            .ok_or(AppError::BadRequest("error.bad_query")),
    }
}

pub async fn items_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let d = load(&st, &ctx, id).await?;
    let years: Vec<i64> = d.years().collect();
    let mut head = vec![
        "id",
        "parent_id",
        "number",
        "seed_ref",
        "title",
        "trackable",
        "departments",
        "body",
        "issues",
    ];
    let year_heads: Vec<String> = years.iter().map(|y| format!("schedule_{y}")).collect();
    head.extend(year_heads.iter().map(String::as_str));
    let rows = d
        .preorder()
        .into_iter()
        .map(|n| {
            let mut r = vec![
                n.id.to_string(),
                n.parent_id.map(|p| p.to_string()).unwrap_or_default(),
                n.number.clone(),
                n.seed_ref.clone(),
                n.title.clone(),
                n.trackable.to_string(),
                d.department_names(n.id, crate::i18n::Lang::Ja),
                n.body.clone(),
                n.issues.clone(),
            ];
            r.extend(years.iter().map(|y| {
                d.step(n.id, *y)
                    .map(|s| {
                        d.label(codes::SCHEDULE_STEP, s, crate::i18n::Lang::Ja)
                            .to_string()
                    })
                    .unwrap_or_default()
            }));
            r
        })
        .collect();
    csv_response("items", id, &head, rows)
}

pub async fn reports_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let d = load(&st, &ctx, id).await?;
    let rows = d
        .reports
        .iter()
        .map(|r| {
            let n = d.node(r.node_id);
            vec![
                r.node_id.to_string(),
                n.map(|n| n.number.clone()).unwrap_or_default(),
                n.map(|n| n.title.clone()).unwrap_or_default(),
                r.fiscal_year.to_string(),
                r.period_label.clone(),
                d.label(codes::PROGRESS, &r.progress, crate::i18n::Lang::Ja)
                    .to_string(),
                d.label(RATING, &r.rating, crate::i18n::Lang::Ja)
                    .to_string(),
                r.did.clone(),
                r.evaluation.clone(),
                r.next_steps.clone(),
                r.published_at.clone(),
            ]
        })
        .collect();
    csv_response(
        "reports",
        id,
        &[
            "node_id",
            "number",
            "title",
            "fiscal_year",
            "period",
            "progress",
            "rating",
            "do",
            "check",
            "act",
            "published_at",
        ],
        rows,
    )
}

pub async fn indicators_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let d = load(&st, &ctx, id).await?;
    let mut rows = Vec::new();
    for i in &d.indicators {
        for v in d.values_of(i.id) {
            rows.push(vec![
                i.node_id.to_string(),
                i.id.to_string(),
                i.name.clone(),
                i.unit.clone(),
                if i.higher_is_better {
                    "higher".into()
                } else {
                    "lower".into()
                },
                i.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
                opt(i.baseline_value),
                v.fiscal_year.to_string(),
                opt(v.target),
                opt(v.actual),
            ]);
        }
    }
    csv_response(
        "indicators",
        id,
        &[
            "node_id",
            "indicator_id",
            "name",
            "unit",
            "better",
            "baseline_year",
            "baseline_value",
            "fiscal_year",
            "target",
            "actual",
        ],
        rows,
    )
}

pub async fn effects_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let d = load(&st, &ctx, id).await?;
    let rows = d
        .effects
        .iter()
        .map(|e| {
            vec![
                e.node_id.to_string(),
                d.node(e.node_id)
                    .map(|n| n.number.clone())
                    .unwrap_or_default(),
                e.fiscal_year.to_string(),
                d.label(codes::EFFECT_KIND, &e.kind, crate::i18n::Lang::Ja)
                    .to_string(),
                d.label(codes::ACCOUNT, &e.account, crate::i18n::Lang::Ja)
                    .to_string(),
                e.planned.to_string(),
                e.actual.map(|a| a.to_string()).unwrap_or_default(),
                e.recurring.to_string(),
            ]
        })
        .collect();
    csv_response(
        "effects",
        id,
        &[
            "node_id",
            "number",
            "fiscal_year",
            "kind",
            "account",
            "planned_thousand_yen",
            "actual_thousand_yen",
            "recurring",
        ],
        rows,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

pub struct AnnualItem {
    /// Heading level of this entry (視点 h3, 中項目 h4, items below their parent).
    pub level: usize,
    pub is_heading: bool,
    pub number: String,
    pub title: String,
    pub departments: String,
    pub report: Option<(String, String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "plans/annual.html")]
struct AnnualPage<'a> {
    s: Shell<'a>,
    plan_id: i64,
    plan_title: String,
    period: String,
    is_demo: bool,
    year: i64,
    year_label: String,
    years: Vec<(i64, String)>,
    entries: Vec<AnnualItem>,
    effects: Vec<EffectRow>,
    effect_total: EffectRow,
    effect_chart: String,
}

impl AnnualPage<'_> {
    fn selected(&self, y: &i64) -> bool {
        *y == self.year
    }
}

/// The annual progress report of a plan for one fiscal year: every item with its published report.
pub async fn annual(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<YearQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let d = load(&st, &ctx, id).await?;
    let year = report_year(&d, &q.year)?;
    let entries = d
        .preorder()
        .into_iter()
        .map(|n| {
            let report: Option<&PublishedReport> =
                d.reports_of(n.id).find(|r| r.fiscal_year == year);
            AnnualItem {
                level: (n.depth as usize + 3).min(6),
                is_heading: !n.trackable,
                number: n.number.clone(),
                title: n.title.clone(),
                departments: d.department_names(n.id, t.lang),
                report: report.map(|r| {
                    (
                        d.label(codes::PROGRESS, &r.progress, t.lang).to_string(),
                        d.label(RATING, &r.rating, t.lang).to_string(),
                        r.did.clone(),
                        r.evaluation.clone(),
                        r.next_steps.clone(),
                    )
                }),
            }
        })
        .collect();
    let (effects, effect_total, effect_chart) = effect_rows(t, &d, None, "annual-effects");
    let html = render(&AnnualPage {
        s: Shell::new(&ctx, "plan.annual_report"),
        plan_id: id,
        plan_title: d.plan.title.clone(),
        period: period_label(t, &d.plan),
        is_demo: d.plan.is_demo,
        year,
        year_label: fy(t, year),
        years: d.years().map(|y| (y, fy(t, y))).collect(),
        entries,
        effects,
        effect_total,
        effect_chart,
    })?;
    Ok(st.cache.store(&ctx, html.0))
}
