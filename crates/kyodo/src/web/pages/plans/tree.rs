//! Public plan pages: the list of plans and one plan's tree with schedules, latest ratings,
//! indicator status, filters and fiscal-effect totals. Anonymous views are served from the page cache.

use crate::charts::{self, Series};
use crate::codes::{self, RATING};
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Tr};
use crate::plans::metrics;
use crate::plans::store::{self, Plan};
use crate::plans::view::{Filter, PlanData};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::format::{amount, fy, opt_amount};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;

/// 「平成20年度(2008年度)〜平成24年度(2012年度)」
pub fn period_label(t: Tr, plan: &Plan) -> String {
    format!("{}〜{}", fy(t, plan.first_year), fy(t, plan.last_year))
}

pub fn status_key(status: &str) -> &'static str {
    match status {
        "draft" => "plan.status_draft",
        "finished" => "plan.status_finished",
        _ => "plan.status_adopted",
    }
}

/// Loads a whole plan the visitor may see.
pub async fn load_visible(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<Arc<PlanData>> {
    let data = st
        .snapshots
        .plan(&st.cache, st.reader(ctx), ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::policy::can_see_plan(ctx.principal.as_deref(), &data.plan.status) {
        return Err(AppError::NotFound);
    }
    Ok(data)
}

#[derive(Template)]
#[template(path = "plans/list.html")]
struct ListPage<'a> {
    s: Shell<'a>,
    plans: Vec<(Plan, String, &'static str)>,
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let plans = store::plans(st.reader(&ctx), ctx.org_id()).await?;
    let plans = plans
        .into_iter()
        .filter(|p| crate::policy::can_see_plan(ctx.principal.as_deref(), &p.status))
        .map(|p| (period_label(t, &p), status_key(&p.status), p))
        .map(|(a, b, p)| (p, a, b))
        .collect();
    let html = render(&ListPage {
        s: Shell::new(&ctx, "plan.list_title"),
        plans,
    })?;
    Ok(st.cache.store(&ctx, html.0))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlanQuery {
    viewpoint: String,
    department: String,
    rating: String,
    year: String,
}

/// One row of an item table.
pub struct ItemRow {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub departments: String,
    pub steps: Vec<String>,
    pub rating: String,
    pub progress: String,
    pub indicator: String,
}

/// A heading of the tree (視点, 中項目 …) with the items directly under it.
pub struct Section {
    pub level: usize,
    pub number: String,
    pub title: String,
    pub rows: Vec<ItemRow>,
}

pub struct EffectRow {
    pub year: String,
    pub single_planned: String,
    pub single_actual: String,
    pub cont_planned: String,
    pub cont_actual: String,
}

/// Fiscal-effect totals on both bases, as table rows and an SVG chart.
pub fn effect_rows(
    t: Tr,
    data: &PlanData,
    nodes: Option<&[i64]>,
    chart_id: &str,
) -> (Vec<EffectRow>, EffectRow, String) {
    let effects: Vec<&store::Effect> = data
        .effects
        .iter()
        .filter(|e| nodes.is_none_or(|n| n.contains(&e.node_id)))
        .collect();
    let totals = metrics::effect_totals(&effects, data.plan.first_year, data.plan.last_year);
    let (single, cont) = metrics::grand_total(&totals);
    let rows = totals
        .iter()
        .map(|r| EffectRow {
            year: fy(t, r.fiscal_year),
            single_planned: amount(r.single_year.planned),
            single_actual: opt_amount(r.single_year.actual),
            cont_planned: amount(r.continuing.planned),
            cont_actual: opt_amount(r.continuing.actual),
        })
        .collect();
    let total = EffectRow {
        year: t.t("plan.total").into(),
        single_planned: amount(single.planned),
        single_actual: opt_amount(single.actual),
        cont_planned: amount(cont.planned),
        cont_actual: opt_amount(cont.actual),
    };
    let cats: Vec<String> = totals.iter().map(|r| fy(t, r.fiscal_year)).collect();
    let chart = charts::bars(
        chart_id,
        t.t("plan.effects_chart"),
        &cats,
        &[
            Series {
                name: t.t("plan.planned"),
                values: totals
                    .iter()
                    .map(|r| Some(r.single_year.planned as f64))
                    .collect(),
            },
            Series {
                name: t.t("plan.actual"),
                values: totals
                    .iter()
                    .map(|r| r.single_year.actual.map(|a| a as f64))
                    .collect(),
            },
        ],
        t.t("plan.unit_thousand_yen"),
    );
    (rows, total, chart)
}

#[derive(Template)]
#[template(path = "plans/plan.html")]
struct PlanPage<'a> {
    s: Shell<'a>,
    plan: Plan,
    period: String,
    status: &'static str,
    years: Vec<(i64, String)>,
    sections: Vec<Section>,
    shown_text: String,
    viewpoints: Vec<(i64, String)>,
    departments: Vec<(i64, String)>,
    ratings: Vec<(String, String)>,
    q: PlanQuery,
    rating_counts: Vec<(String, usize)>,
    effects: Vec<EffectRow>,
    effect_total: EffectRow,
    effect_chart: String,
    /// 委員意見 on the whole plan.
    follow_up: crate::web::pages::councils::opinions::Block,
}

fn parse_filter(data: &PlanData, q: &PlanQuery) -> AppResult<Filter> {
    let id = |s: &str| -> AppResult<Option<i64>> {
        if s.is_empty() {
            return Ok(None);
        }
        s.parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("error.bad_query"))
    };
    let year = id(&q.year)?;
    if year.is_some_and(|y| !data.years().contains(&y)) {
        return Err(AppError::BadRequest("error.bad_query"));
    }
    let rating = (!q.rating.is_empty()).then(|| q.rating.clone());
    if rating
        .as_deref()
        .is_some_and(|r| !codes::of_list(&data.codes, RATING).any(|c| c.code == r))
    {
        return Err(AppError::BadRequest("error.bad_query"));
    }
    Ok(Filter {
        viewpoint: id(&q.viewpoint)?,
        department: id(&q.department)?,
        rating,
        year,
    })
}

pub fn item_row(t: Tr, data: &PlanData, n: &store::Node, year: Option<i64>) -> ItemRow {
    let lang = t.lang;
    let report = data.latest_report(n.id, year);
    ItemRow {
        id: n.id,
        number: n.number.clone(),
        title: n.title.clone(),
        departments: data.department_names(n.id, lang),
        steps: data
            .years()
            .map(|y| {
                data.step(n.id, y)
                    .map(|s| data.label(codes::SCHEDULE_STEP, s, lang).to_string())
                    .unwrap_or_default()
            })
            .collect(),
        rating: report
            .map(|r| {
                format!(
                    "{}({})",
                    data.label(RATING, &r.rating, lang),
                    fy(t, r.fiscal_year)
                )
            })
            .unwrap_or_else(|| "—".into()),
        progress: report
            .map(|r| data.label(codes::PROGRESS, &r.progress, lang).to_string())
            .unwrap_or_else(|| "—".into()),
        indicator: data
            .indicator_status(n.id)
            .map(|(y, a)| t.f("plan.achievement_in", &[&format!("{a:.1}"), &fy(t, y)]))
            .unwrap_or_else(|| "—".into()),
    }
}

pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<PlanQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let lang = t.lang;
    let data = load_visible(&st, &ctx, id).await?;
    let filter = parse_filter(&data, &q)?;
    let mut sections = Vec::new();
    let mut shown_ids = Vec::new();
    for n in data.preorder() {
        if n.trackable && data.children(Some(n.id)).next().is_none() {
            continue; // leaves appear as rows of their parent's section
        }
        let rows: Vec<ItemRow> = data
            .children(Some(n.id))
            .filter(|c| c.trackable && filter.admits(&data, c))
            .map(|c| {
                shown_ids.push(c.id);
                item_row(t, &data, c, filter.year)
            })
            .collect();
        sections.push(Section {
            level: (n.depth as usize + 2).min(5),
            number: n.number.clone(),
            title: n.title.clone(),
            rows,
        });
    }
    // Keep a heading when it or any heading below it (until the next one at its level) has rows.
    let keep: Vec<bool> = (0..sections.len())
        .map(|i| {
            !sections[i].rows.is_empty()
                || sections[i + 1..]
                    .iter()
                    .take_while(|x| x.level > sections[i].level)
                    .any(|x| !x.rows.is_empty())
        })
        .collect();
    let sections: Vec<Section> = sections
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(s, _)| s)
        .collect();
    let ratings: Vec<(String, String)> = codes::of_list(&data.codes, RATING)
        .map(|c| (c.code.clone(), c.label(lang).to_string()))
        .collect();
    let rating_counts = ratings
        .iter()
        .map(|(code, label)| {
            (
                label.clone(),
                shown_ids
                    .iter()
                    .filter(|n| {
                        data.latest_report(**n, filter.year)
                            .is_some_and(|r| &r.rating == code)
                    })
                    .count(),
            )
        })
        .collect();
    let (effects, effect_total, effect_chart) =
        effect_rows(t, &data, Some(&shown_ids), "plan-effects");
    let follow_up = crate::web::pages::councils::opinions::block(
        &st,
        &ctx,
        crate::councils::opinions::Subject::Plan(id),
    )
    .await?;
    let html = render(&PlanPage {
        follow_up,
        s: Shell::new(&ctx, "plan.title")
            .with_summary(&format!("{} — {}", data.plan.title, data.plan.goal)),
        period: period_label(t, &data.plan),
        status: status_key(&data.plan.status),
        years: data.years().map(|y| (y, fy(t, y))).collect(),
        shown_text: t.f(
            "plan.shown_of",
            &[&shown_ids.len(), &data.trackable().count()],
        ),
        viewpoints: data
            .children(None)
            .map(|n| (n.id, format!("{} {}", n.number, n.title)))
            .collect(),
        departments: data.all_departments(lang),
        ratings,
        rating_counts,
        effects,
        effect_total,
        effect_chart,
        sections,
        q,
        plan: data.plan.clone(),
    })?;
    Ok(st.cache.store(&ctx, html.0))
}

impl PlanPage<'_> {
    fn selected(&self, value: &str, id: &i64) -> bool {
        value == id.to_string()
    }
}

pub fn lang_is_en(t: Tr) -> bool {
    t.lang == Lang::En
}
