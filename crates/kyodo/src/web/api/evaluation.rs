//! 行政評価 in the API: the published years and each year's programmes — the same rows as the
//! year's open-data CSV (built from the public sheet read, so no internal field can appear), as
//! objects keyed by the CSV's column names, in code order, a page at a time with a cursor; and a
//! sheet's costs and staff-years pushed by the finance system (`write:evaluation`).

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::sheet_form::SheetForm;
use crate::evaluation::year::YearData;
use crate::evaluation::{cost_entry, costs, opendata, store};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{JsonBody, PathId, QueryData};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The published evaluation years, newest first.
pub async fn years(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let mut cycles = store::cycles(st.reader(&ctx), ctx.org_id()).await?;
    cycles.retain(|c| c.published);
    cycles.sort_by_key(|c| std::cmp::Reverse(c.fiscal_year));
    let years: Vec<Value> = cycles
        .iter()
        .map(|c| {
            json!({"id": c.id, "fiscal_year": c.fiscal_year,
                   "programmes": format!("/api/v1/evaluation/years/{}/programmes", c.id),
                   "csv": format!("/evaluation/cycles/{}/programmes.csv", c.id)})
        })
        .collect();
    Ok(Json(json!({ "years": years })))
}

/// The programme list's filters (as on `/evaluation`), over the CSV's columns, and the page.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProgrammesQuery {
    /// A programme's code, exactly.
    code: Option<String>,
    /// The department's name, exactly.
    department: Option<String>,
    /// A 施策's number and everything under it (`1-2` matches `1-2-3`).
    policy: Option<String>,
    /// A direction (as the CSV writes it) given at any stage.
    direction: Option<String>,
    cursor: Option<String>,
    limit: Option<usize>,
}

/// A published year's programmes: costs, staff-years and verdicts, as in the CSV.
pub async fn programmes(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<ProgrammesQuery>,
) -> AppResult<Json<Value>> {
    let cycle = store::cycle(st.reader(&ctx), ctx.org_id(), id)
        .await?
        .filter(|c| c.published)
        .ok_or(AppError::NotFound)?;
    let y = YearData::load(st.reader(&ctx), ctx.org_id(), cycle, true).await?;
    let header = opendata::header();
    let mut rows = y.open_data_rows();
    let col = |name: &str| header.iter().position(|h| h == name);
    let cell = |r: &Vec<String>, name: &str| {
        col(name)
            .and_then(|i| r.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let directions: Vec<usize> = (0..header.len())
        .filter(|i| header[*i].ends_with("_direction"))
        .collect();
    rows.retain(|r| {
        q.code.as_ref().is_none_or(|c| cell(r, "code") == *c)
            && q.department
                .as_ref()
                .is_none_or(|d| cell(r, "department") == *d)
            && q.policy
                .as_ref()
                .is_none_or(|p| cell(r, "policy_number").starts_with(p.as_str()))
            && q.direction
                .as_ref()
                .is_none_or(|d| directions.iter().any(|i| r.get(*i).is_some_and(|v| v == d)))
    });
    let total = rows.len();
    // Column 1 is the programme's code; rows come in code order.
    let code = |r: &Vec<String>| r.get(1).cloned().unwrap_or_default();
    let page = super::paging::PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let (rows, next) = super::paging::page(rows, code, &page)?;
    let items = super::objects(&header, &rows);
    Ok(Json(json!({
        "fiscal_year": y.cycle.fiscal_year,
        "total": total,
        "programmes": items,
        "next_cursor": next,
    })))
}

#[derive(Deserialize)]
pub struct CostsBody {
    /// Cost column (`prev_settled`, `budget`, `settled`, `next_budget`) → its figures.
    columns: BTreeMap<String, ColumnFigures>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ColumnFigures {
    /// Funding source code → 千円.
    costs: BTreeMap<String, Value>,
    /// Staff category code → staff-years.
    staff_years: BTreeMap<String, Value>,
}

/// A sheet's costs and staff-years for the columns sent (the finance system's settled figures),
/// replacing those columns and keeping the others; checked as the sheet form checks them.
pub async fn sheet_costs(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    JsonBody(b): JsonBody<CostsBody>,
) -> AppResult<Json<Value>> {
    let org = ctx.org_id();
    let all_codes = codes::all(&st.app.db, org).await?;
    let known = |list: &str, code: &str| codes::of_list(&all_codes, list).any(|c| c.code == code);
    let mut errs = FieldErrors::default();
    let mut form = SheetForm::default();
    let mut columns = Vec::new();
    for (col, figures) in &b.columns {
        let Some((name, _)) = costs::COLUMNS.iter().find(|(c, _)| c == col) else {
            errs.add(&format!("column-{col}"), "field.bad_choice");
            continue;
        };
        columns.push(*name);
        for (src, v) in &figures.costs {
            if !known(codes::FUNDING_SOURCE, src) {
                errs.add(&cost_entry::cost_field(col, src), "field.bad_choice");
            }
            form.costs
                .insert((col.clone(), src.clone()), super::form_text(v));
        }
        for (cat, v) in &figures.staff_years {
            if !known(codes::STAFF_CATEGORY, cat) {
                errs.add(&cost_entry::fte_field(col, cat), "field.bad_choice");
            }
            form.staff_years
                .insert((col.clone(), cat.clone()), super::form_text(v));
        }
    }
    if b.columns.is_empty() {
        errs.add("columns", "field.required");
    }
    // Every problem at once: the sheet form's own checks too.
    cost_entry::check(&mut errs, &form, &all_codes, &columns);
    errs.into_result()?;
    let p = ctx.require_user()?;
    let rows = cost_entry::push(&st.app, org, p, &ctx.actor()?, id, &form, &columns).await?;
    let costs: Vec<Value> = rows
        .costs
        .iter()
        .map(|(c, s, v)| json!({"column": c, "source": s, "amount_thousand_yen": v}))
        .collect();
    let staffing: Vec<Value> = rows
        .staffing
        .iter()
        .map(|(c, k, v)| json!({"column": c, "category": k, "staff_years": v}))
        .collect();
    Ok(Json(
        json!({"sheet_id": id, "columns": rows.columns, "costs": costs, "staff_years": staffing}),
    ))
}

/// A programme as its public page shows it: what it is, and each published year's costs by
/// column (事業費 by source, 人工, 人件費, トータルコスト) with every stage's operator and
/// direction — the sheet's contact person never appears.
pub async fn programme(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    use crate::evaluation::stage::REVIEW_STAGES;
    let d = crate::web::pages::evaluation::programme_data::programme_data(&st, &ctx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = &d.programme;
    let data = &d.sheets;
    let years: Vec<Value> = data
        .sheets
        .iter()
        .map(|s| {
            let fy = d
                .cycles
                .iter()
                .find(|c| c.id == s.cycle_id)
                .map_or(0, |c| c.fiscal_year);
            let cols = costs::columns(fy, &data.costs_of(s.id), &data.staffing_of(s.id), &d.units);
            let verdicts: Vec<Value> = REVIEW_STAGES
                .iter()
                .filter_map(|stage| data.verdict(s.id, *stage))
                .map(|v| json!({"stage": v.stage.as_str(), "operator": v.operator, "direction": v.direction}))
                .collect();
            json!({"fiscal_year": fy, "stage": s.stage.as_str(), "costs": cols, "verdicts": verdicts})
        })
        .collect();
    let department = d
        .departments
        .iter()
        .find(|x| x.id == p.department_id)
        .map(|x| x.name.clone());
    let lineage: Vec<Value> = d
        .lineage
        .iter()
        .map(|(kind, other, name)| json!({"kind": kind, "programme_id": other, "name": name}))
        .collect();
    Ok(Json(json!({
        "id": p.id, "code": p.code, "name": p.name, "department": department,
        "policy_node_id": p.policy_node_id, "legal_basis": p.legal_basis,
        "first_year": p.first_year, "last_year": p.last_year, "is_new": p.is_new,
        "type": p.kind, "method": p.method, "target": p.target, "intent": p.intent, "means": p.means,
        "is_demo": p.is_demo, "lineage": lineage, "years": years,
    })))
}

/// A 施策 in the newest published year, as its page shows it: indicators with achievement, the
/// score and its band, the programmes under it with cost and direction (none while a sheet is a
/// draft), and the 施策's own direction.
pub async fn policy(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    use crate::evaluation::stage::Stage;
    let (y, m) = crate::web::pages::evaluation::measure::measure_of(&st, &ctx, id).await?;
    let indicators: Vec<Value> = m
        .indicators
        .iter()
        .map(|r| {
            json!({"name": r.indicator.name, "unit": r.indicator.unit, "target": r.target,
                   "actual": r.actual, "achievement": r.achievement})
        })
        .collect();
    let programmes: Vec<Value> = m
        .programmes
        .iter()
        .map(|r| {
            let decided = r.stage.is_some_and(|s| s != Stage::Draft) && !r.direction.is_empty();
            json!({"id": r.programme.id, "code": r.programme.code, "name": r.programme.name,
                   "total_cost_thousand_yen": r.cost.as_ref().map(|c| c.total),
                   "direction": decided.then_some(&r.direction)})
        })
        .collect();
    Ok(Json(json!({
        "id": m.node.id, "number": m.node.number, "title": m.node.title,
        "fiscal_year": y.cycle.fiscal_year, "score": m.score,
        "band": m.band.as_ref().map(|b| &b.code), "total_cost_thousand_yen": m.total_cost,
        "direction": m.direction.as_ref().map(|(d, reason)| json!({"code": d, "reason": reason})),
        "indicators": indicators, "programmes": programmes,
    })))
}
