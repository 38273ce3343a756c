//! 財務書類 for citizens: a set of the four statements (the newest 一般会計等 unless another is
//! chosen) with the headline figures as a chart beside their table, 一人当たり figures from the
//! population the city records, every identity with both sides, and each statement line by line
//! with a short explanation of each standard line. The set as CSV in the import's own layout.

use crate::charts::{Series, bars};
use crate::error::{AppError, AppResult};
use crate::finance::statements::{
    FIXED, SURPLUS, StLine, Statement, TOTAL, checks, file, glossary, store,
};
use crate::i18n::fy;
use crate::web::WebState;
use crate::web::cache_scope::Areas;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::format::amount;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetQuery {
    set: String,
}

/// A statement line as shown: depth, name, 千円 (per NW column for the NW), 円 per citizen, note.
pub struct Row {
    depth: usize,
    name: String,
    amounts: Vec<String>,
    per_citizen: String,
    note: String,
}

pub struct Section {
    id: &'static str,
    title: String,
    is_nw: bool,
    rows: Vec<Row>,
}

/// An identity as shown: what it says, both sides in 千円, whether it holds.
pub struct Check {
    label: String,
    left: String,
    right: String,
    holds: bool,
}

#[derive(Template)]
#[template(path = "finance/statements.html")]
struct StatementsPage<'a> {
    s: Shell<'a>,
    sets: Vec<(i64, String, bool)>,
    title: String,
    id: i64,
    is_demo: bool,
    population: String,
    /// (name, 千円, 円 per citizen)
    headline: Vec<(String, String, String)>,
    chart: String,
    checks: Vec<Check>,
    sections: Vec<Section>,
}

fn thousands(yen: i64) -> String {
    amount(yen / 1000)
}

fn per(yen: i64, population: Option<i64>) -> String {
    population.map_or_else(String::new, |p| amount(yen / p))
}

/// Each line's depth under its parents (by code, within its statement).
fn depths(lines: &[StLine]) -> Vec<usize> {
    let parent: HashMap<(Statement, &str), &str> = lines
        .iter()
        .map(|l| ((l.statement, l.code.as_str()), l.parent.as_str()))
        .collect();
    lines
        .iter()
        .map(|l| {
            let (mut d, mut p) = (0, l.parent.as_str());
            while !p.is_empty() && d < 4 {
                d += 1;
                p = parent.get(&(l.statement, p)).copied().unwrap_or("");
            }
            d
        })
        .collect()
}

fn section(
    ctx: &Ctx,
    st: Statement,
    lines: &[StLine],
    depth: &[usize],
    pop: Option<i64>,
) -> Section {
    let t = ctx.tr();
    let is_nw = st == Statement::Nw;
    let column = |code: &str, col: &str| {
        lines
            .iter()
            .find(|l| l.statement == st && l.code == code && l.column == col)
            .map_or_else(String::new, |l| thousands(l.amount))
    };
    let rows = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.statement == st && l.column == TOTAL)
        .map(|(i, l)| Row {
            depth: depth[i],
            name: l.name.clone(),
            amounts: if is_nw {
                vec![
                    thousands(l.amount),
                    column(&l.code, FIXED),
                    column(&l.code, SURPLUS),
                ]
            } else {
                vec![thousands(l.amount)]
            },
            per_citizen: per(l.amount, pop),
            note: glossary::note(&l.name).map_or_else(String::new, |k| t.t(k).to_string()),
        })
        .collect();
    Section {
        id: st.code(),
        title: t.t(st.title_key()).to_string(),
        is_nw,
        rows,
    }
}

pub async fn page(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<SetQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let org = ctx.org_id();
    // The sets and the chosen set's lines are kept (`web::snapshots`, from the primary) until the
    // finance area changes: an uncached page is a render, not three queries of 150 rows.
    let sets = st
        .snapshots
        .statement_sets
        .get_or_compute(&st.cache, Areas::FINANCE, org, 0, || async {
            Ok::<_, AppError>(store::sets(&st.app.db, org).await?)
        })
        .await?;
    let chosen = match q.set.trim() {
        "" => sets.first(),
        raw => {
            let id = raw
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest("error.bad_query"))?;
            Some(sets.iter().find(|s| s.id == id).ok_or(AppError::NotFound)?)
        }
    };
    let Some(set) = chosen.cloned() else {
        return crate::web::pages::message(
            &ctx,
            "fst.title",
            &["fst.none"],
            Some(("/finance", "fin.title")),
        );
    };
    let data = st
        .snapshots
        .statement_lines
        .get_or_compute(&st.cache, Areas::FINANCE, org, set.id, || async {
            let (db, year) = (&st.app.db, set.fiscal_year);
            let both = tokio::try_join!(
                store::lines(db, org, set.id),
                store::population(db, org, year)
            )?;
            Ok::<_, AppError>(both)
        })
        .await?;
    let (lines, pop) = (&data.0, data.1);
    let depth = depths(lines);
    let find = |st: Statement, name: &str| {
        lines
            .iter()
            .find(|l| l.statement == st && l.column == TOTAL && checks::bare(&l.name) == name)
            .map(|l| l.amount)
    };
    let headline: Vec<(String, i64)> = [
        (Statement::Bs, "資産合計"),
        (Statement::Bs, "負債合計"),
        (Statement::Bs, "純資産合計"),
        (Statement::Pl, "純行政コスト"),
    ]
    .into_iter()
    .filter_map(|(st, n)| find(st, n).map(|v| (n.to_string(), v)))
    .collect();
    let names: Vec<String> = headline.iter().map(|h| h.0.clone()).collect();
    let chart = bars(
        "headline",
        t.t("fst.headline"),
        &names,
        &[Series {
            name: t.t("fst.headline"),
            values: headline
                .iter()
                .map(|h| Some((h.1 / 1_000_000) as f64))
                .collect(),
        }],
        t.t("fin.unit_million"),
    );
    let label = |s: &store::Set| format!("{} {}", fy(t, s.fiscal_year), s.scope);
    let page = StatementsPage {
        s: Shell::new(&ctx, "fst.title"),
        sets: sets
            .iter()
            .map(|x| (x.id, label(x), x.id == set.id))
            .collect(),
        title: label(&set),
        id: set.id,
        is_demo: set.is_demo,
        population: pop.map_or_else(String::new, amount),
        headline: headline
            .iter()
            .map(|(n, v)| (n.clone(), thousands(*v), per(*v, pop)))
            .collect(),
        chart,
        checks: checks::identities(lines)
            .into_iter()
            .flatten()
            .map(|id| Check {
                label: t.t(id.key).to_string(),
                left: thousands(id.left),
                right: thousands(id.right),
                holds: id.holds(),
            })
            .collect(),
        sections: Statement::ALL
            .iter()
            .map(|s| section(&ctx, *s, lines, &depth, pop))
            .collect(),
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// A set as open data, in the import's own layout (円), so it reads back unchanged.
pub async fn csv(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let set = store::sets(db, org)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    let lines = store::lines(db, org, id).await?;
    crate::web::download::csv_body(
        &file::LAYOUT,
        file::rows(set.fiscal_year, &set.scope, &lines),
        format!(
            "{}_statements_{}_{}.csv",
            ctx.org.lg_code, set.fiscal_year, set.id
        ),
    )
}
