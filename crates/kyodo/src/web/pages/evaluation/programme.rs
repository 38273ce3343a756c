//! A programme's public page: the master (purpose as 対象・意図・手段, method, legal basis), its
//! lineage (統合・分割), multi-year cost and indicator charts with their tables, and each published
//! year's sheet with every stage's verdict. Public reads only: no contact names or phones.

use super::programme_charts::Chart;
use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::costs;
use crate::evaluation::sheet_view::{self, SheetView};
use crate::evaluation::store::Programme;
use crate::evaluation::year::department_name;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use crate::web::format::fy;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "evaluation/programme.html")]
struct ProgrammePage<'a> {
    s: Shell<'a>,
    p: Programme,
    facts: Vec<(String, String)>,
    lineage: Vec<(String, i64, String)>,
    charts: Vec<Chart>,
    sheets: Vec<SheetView>,
    plan_links: Vec<(i64, i64, String, String)>,
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let org = ctx.org_id();
    let d = super::programme_data::programme_data(&st, &ctx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all_codes = st.snapshots.codes(&st.cache, st.reader(&ctx), org).await?;
    let (p, cycles, data, units) = (d.programme.clone(), &d.cycles, &d.sheets, &d.units);
    let (inds, values, nodes, depts) = (&d.indicators, &d.values, &d.nodes, &d.departments);
    let year_of = |cycle: i64| {
        cycles
            .iter()
            .find(|c| c.id == cycle)
            .map_or(0, |c| c.fiscal_year)
    };
    let label = |list: &str, c: &str| codes::label(&all_codes, list, c, t.lang).to_string();

    let mut position = Vec::new();
    let mut cur = p
        .policy_node_id
        .and_then(|n| nodes.iter().find(|x| x.id == n));
    while let Some(n) = cur {
        position.insert(0, format!("{} {}", n.number, n.title));
        cur = n
            .parent_id
            .and_then(|pid| nodes.iter().find(|x| x.id == pid));
    }
    let facts = vec![
        (t.t("eval.code").to_string(), p.code.clone()),
        (
            t.t("eval.department").to_string(),
            department_name(depts, p.department_id, t.lang),
        ),
        (
            t.t("eval.position").to_string(),
            if position.is_empty() {
                "—".into()
            } else {
                position.join(" › ")
            },
        ),
        (
            t.t("eval.legal_basis").to_string(),
            if p.legal_basis.is_empty() {
                t.t("eval.none").to_string()
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
            t.t("eval.new_or_continuing").to_string(),
            t.t(if p.is_new {
                "eval.new"
            } else {
                "eval.continuing"
            })
            .to_string(),
        ),
        (
            t.t("eval.type").to_string(),
            label(codes::PROGRAMME_TYPE, &p.kind),
        ),
        (
            t.t("eval.method").to_string(),
            label(codes::IMPL_METHOD, &p.method),
        ),
        (t.t("eval.target_group").to_string(), p.target.clone()),
        (t.t("eval.intent").to_string(), p.intent.clone()),
        (t.t("eval.means").to_string(), p.means.clone()),
    ];
    let lineage = d
        .lineage
        .iter()
        .map(|(k, oid, name)| {
            let key = match k.as_str() {
                "merge:to" => "eval.merged_into",
                "merge:from" => "eval.merged_from",
                "split:to" => "eval.split_into",
                _ => "eval.split_from",
            };
            (t.t(key).to_string(), *oid, name.clone())
        })
        .collect();

    let charts_out = super::programme_charts::charts(t, data, &year_of, units, inds, values);
    let sheets = data
        .sheets
        .iter()
        .map(|s| {
            let y = year_of(s.cycle_id);
            let cols = costs::columns(y, &data.costs_of(s.id), &data.staffing_of(s.id), units);
            let sources = sheet_view::Sources {
                fiscal_year: y,
                sheet: s,
                data,
                cols: &cols,
                inds,
                values,
                all_codes: &all_codes,
            };
            sheet_view::build(t, sources)
        })
        .collect();
    let html = render(&ProgrammePage {
        s: Shell::new(&ctx, "eval.programme_title"),
        p,
        facts,
        lineage,
        charts: charts_out,
        sheets,
        plan_links: d.plan_links.clone(),
    })?;
    Ok(st.cache.store(&ctx, html.0))
}
