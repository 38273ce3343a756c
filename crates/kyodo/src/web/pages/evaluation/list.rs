//! 行政評価 public pages: the programme list (filters by 施策, department, direction and cost;
//! sorting by cost) and the year as open data CSV (programme pages: `eval_programme`, 施策 pages:
//! `eval_measure`). Only published years are shown and only public reads are used (no contact
//! names or phone numbers). Anonymous views are cached.

use crate::charts::fmt_num;
use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{self, Cycle};
use crate::evaluation::year::YearData;
use crate::evaluation::{listing, opendata};
use crate::web::WebState;
use crate::web::cache_scope::Areas;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::format::fy;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

pub const PAGE_SIZE: usize = 100;

/// Published cycles, newest first. Kept per organization (`web::snapshots`) like the year lists,
/// so an uncached list page needs no database round trip at all: on PostgreSQL under 64
/// connections, one query per page was enough to starve the pool for seconds.
pub async fn published(st: &WebState, org: i64) -> AppResult<Vec<Cycle>> {
    let cycles = st
        .snapshots
        .published_cycles
        .get_or_compute(&st.cache, Areas::EVALUATION, org, 0, || async {
            let cycles: Vec<Cycle> = store::cycles(&st.app.db, org)
                .await?
                .into_iter()
                .filter(|c| c.published)
                .collect();
            Ok::<_, AppError>(cycles)
        })
        .await?;
    Ok(cycles.as_ref().clone())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub year: String,
    pub policy: String,
    pub department: String,
    pub direction: String,
    pub min: String,
    pub max: String,
    pub sort: String,
    pub page: String,
}

pub struct Row {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub department: String,
    pub measure: String,
    pub method: String,
    pub cost: i64,
    pub direction: String,
}

#[derive(Template)]
#[template(path = "evaluation/list.html")]
struct ListPage<'a> {
    s: Shell<'a>,
    q: ListQuery,
    year_label: String,
    cycle_id: i64,
    years: Vec<(i64, String)>,
    policies: Vec<(i64, String)>,
    departments: Vec<(i64, String)>,
    directions: Vec<(String, String)>,
    rows: Vec<Row>,
    shown_text: String,
    pages: Vec<(usize, String)>,
    page: usize,
    is_demo: bool,
}

impl ListPage<'_> {
    fn selected(&self, v: &str, id: &i64) -> bool {
        v == id.to_string()
    }
    fn money(&self, v: &i64) -> String {
        fmt_num(*v as f64)
    }
}

fn parse_cost(raw: &str) -> Option<i64> {
    kyodo_jp::numbers::parse_amount(raw).ok().flatten()
}

pub async fn list(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<ListQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let cycles = published(&st, ctx.org_id()).await?;
    let years = cycles
        .iter()
        .map(|c| (c.fiscal_year, fy(t, c.fiscal_year)))
        .collect();
    let Some(cycle) = q
        .year
        .parse::<i64>()
        .ok()
        .and_then(|y| cycles.iter().find(|c| c.fiscal_year == y))
        .or(cycles.first())
        .cloned()
    else {
        let html = render(&ListPage {
            s: Shell::new(&ctx, "eval.list_title"),
            q,
            year_label: String::new(),
            cycle_id: 0,
            years,
            policies: Vec::new(),
            departments: Vec::new(),
            directions: Vec::new(),
            rows: Vec::new(),
            shown_text: String::new(),
            pages: Vec::new(),
            page: 1,
            is_demo: false,
        })?;
        return Ok(st.cache.store(&ctx, html.0));
    };
    let year = year_list(&st, ctx.org_id(), cycle).await?;
    let (y, listed) = (&year.0, &year.1);
    let policy = q.policy.parse::<i64>().ok();
    let dept = q.department.parse::<i64>().ok();
    let (min, max) = (parse_cost(&q.min), parse_cost(&q.max));
    let mut rows: Vec<Row> = listed
        .iter()
        .filter_map(|s| {
            let p = y.programme(s.programme_id)?;
            if policy.is_some_and(|id| !y.is_under(p, id))
                || dept.is_some_and(|d| p.department_id != d)
            {
                return None;
            }
            let direction = if s.stage == Stage::Draft {
                ""
            } else {
                s.direction.as_deref().unwrap_or("")
            };
            if !q.direction.is_empty() && direction != q.direction {
                return None;
            }
            let cost = s.cost();
            if min.is_some_and(|m| cost < m) || max.is_some_and(|m| cost > m) {
                return None;
            }
            Some(Row {
                id: p.id,
                code: p.code.clone(),
                name: p.name.clone(),
                department: y.department_name(p.department_id, t.lang),
                measure: y
                    .measure_of(p)
                    .map(|n| format!("{} {}", n.number, n.title))
                    .unwrap_or_default(),
                method: y.label(codes::IMPL_METHOD, &p.method, t.lang).to_string(),
                cost,
                direction: if direction.is_empty() {
                    String::new()
                } else {
                    y.label(codes::EVAL_DIRECTION, direction, t.lang)
                        .to_string()
                },
            })
        })
        .collect();
    match q.sort.as_str() {
        "cost_desc" => rows.sort_by(|a, b| b.cost.cmp(&a.cost).then(a.code.cmp(&b.code))),
        "cost_asc" => rows.sort_by(|a, b| a.cost.cmp(&b.cost).then(a.code.cmp(&b.code))),
        _ => rows.sort_by(|a, b| a.code.cmp(&b.code)),
    }
    let total = rows.len();
    let total_cost: i64 = rows.iter().map(|r| r.cost).sum();
    let page_count = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.parse::<usize>().unwrap_or(1).clamp(1, page_count);
    let rows: Vec<Row> = rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    let pages = (1..=page_count)
        .map(|n| {
            let href = format!(
                "/evaluation?year={}&policy={}&department={}&direction={}&min={}&max={}&sort={}&page={n}",
                y.cycle.fiscal_year,
                q.policy,
                q.department,
                urlencoding(&q.direction),
                urlencoding(&q.min),
                urlencoding(&q.max),
                urlencoding(&q.sort)
            );
            (n, href)
        })
        .collect();
    let html = render(&ListPage {
        s: Shell::new(&ctx, "eval.list_title"),
        year_label: fy(t, y.cycle.fiscal_year),
        cycle_id: y.cycle.id,
        years,
        policies: y
            .nodes
            .iter()
            .filter(|n| n.level != "basic")
            .map(|n| (n.id, format!("{} {}", n.number, n.title)))
            .collect(),
        departments: y
            .departments
            .iter()
            .filter(|d| y.programmes.iter().any(|p| p.department_id == d.id))
            .map(|d| (d.id, y.department_name(d.id, t.lang)))
            .collect(),
        directions: codes::of_list(&y.codes, codes::EVAL_DIRECTION)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect(),
        rows,
        shown_text: t.f("eval.shown", &[&total, &fmt_num(total_cost as f64)]),
        pages,
        page,
        is_demo: y.cycle.is_demo,
        q,
    })?;
    Ok(st.cache.store(&ctx, html.0))
}

/// A year's list data (programmes, hierarchy, codes and the summed rows), kept per organization
/// and year (`web::snapshots`) until the evaluation area changes, so filtered and sorted views —
/// which the page cache cannot hold all of — cost a filter and a render, not a query.
pub type YearListData = (YearData, Vec<listing::ListRow>);
type YearList = std::sync::Arc<YearListData>;

async fn year_list(st: &WebState, org: i64, cycle: Cycle) -> AppResult<YearList> {
    let list = st
        .snapshots
        .year_lists
        .get_or_load_alone(&st.cache, Areas::EVALUATION, org, cycle.id, || async {
            let y = YearData::load_without_sheets(&st.app.db, org, cycle).await?;
            let rows = listing::rows(&st.app.db, org, y.cycle.id, y.cycle.fiscal_year).await?;
            Ok::<_, AppError>(Some((y, rows)))
        })
        .await?;
    list.ok_or(AppError::NotFound)
}

/// Percent-encodes a query value (only what the list's own links carry).
fn urlencoding(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The published year as open data (one row per programme, UTF-8 with BOM for Excel).
pub async fn year_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let cycle = store::cycle(st.reader(&ctx), ctx.org_id(), id)
        .await?
        .filter(|c| c.published)
        .ok_or(AppError::NotFound)?;
    let y = YearData::load(st.reader(&ctx), ctx.org_id(), cycle, true).await?;
    let rows = y.open_data_rows();
    crate::web::download::csv_body(
        &opendata::header(),
        rows,
        format!("evaluation-{}.csv", y.cycle.fiscal_year),
    )
}
