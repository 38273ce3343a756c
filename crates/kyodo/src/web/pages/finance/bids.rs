//! 入札・契約 for citizens and journalists: the results list searchable by 件名 or 落札者 and
//! filterable by year, 種別 and 方式, fifty to a page; the distribution of 落札率 by 種別 for the
//! chosen year as a chart with its table, and the mean rate by year and 種別; each tender with
//! every bid; the list as CSV.

use crate::charts::{Series, bars};
use crate::error::{AppError, AppResult};
use crate::finance::bids::Method;
use crate::finance::bids::store::{self, BINS, Filter, PAGE};
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
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BidsQuery {
    year: String,
    kind: String,
    method: String,
    q: String,
    page: String,
}

fn rate(pm: Option<i64>) -> String {
    pm.map_or_else(String::new, |r| format!("{:.1}%", r as f64 / 10.0))
}

fn yen(v: Option<i64>) -> String {
    v.map_or_else(String::new, amount)
}

/// A list row: id, 開札日, 件名, 種別, 方式, 予定価格, 落札者, 落札額, 落札率, 入札者数.
type ListRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);

#[derive(Template)]
#[template(path = "finance/bids.html")]
struct BidsPage<'a> {
    s: Shell<'a>,
    is_demo: bool,
    /// (value, label, chosen)
    years: Vec<(String, String, bool)>,
    kinds: Vec<(String, bool)>,
    methods: Vec<(&'static str, String, bool)>,
    q: String,
    /// 「N件」: how many tenders match.
    found: String,
    rows: Vec<ListRow>,
    prev: String,
    next: String,
    chart_year: String,
    chart: String,
    /// (種別, count per bin)
    bins: Vec<(String, Vec<i64>)>,
    bin_labels: Vec<String>,
    /// (年度, 種別, tenders, mean rate)
    means: Vec<(String, String, i64, String)>,
}

fn link(q: &BidsQuery, page: i64) -> String {
    let enc = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    format!(
        "/finance/bids?year={}&kind={}&method={}&q={}&page={page}",
        enc(&q.year),
        enc(&q.kind),
        enc(&q.method),
        enc(&q.q)
    )
}

/// The list's filters as the page reads them (the API reads the same): a fiscal year, a kind,
/// a method word and a text in the 件名 or the 落札者; anything unreadable is a bad query.
pub fn filter(year: &str, kind: &str, method: &str, text: &str) -> AppResult<Filter> {
    let bad = || AppError::BadRequest("error.bad_query");
    let year = match year.trim() {
        "" => None,
        y => Some(y.parse::<i64>().map_err(|_| bad())?),
    };
    let method = match method.trim() {
        "" => None,
        m => Some(Method::parse(m).ok_or_else(bad)?),
    };
    Ok(Filter {
        year,
        kind: kind.trim().to_string(),
        method,
        text: text.trim().chars().take(100).collect(),
    })
}

pub async fn list(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<BidsQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let bad = || AppError::BadRequest("error.bad_query");
    let page = match q.page.trim() {
        "" => 0,
        p => p
            .parse::<i64>()
            .ok()
            .filter(|p| (0..100_000).contains(p))
            .ok_or_else(bad)?,
    };
    let filter = filter(&q.year, &q.kind, &q.method, &q.q)?;
    let (year, method) = (filter.year, filter.method);
    // The facets read every tender of the organization: kept (`web::snapshots`, from the
    // primary) until the finance area changes; only the page of tenders is queried.
    let facets = st
        .snapshots
        .bid_facets
        .get_or_compute(&st.cache, Areas::FINANCE, org, 0, || async {
            Ok::<_, AppError>(store::facets(&st.app.db, org).await?)
        })
        .await?;
    // Without a filter every tender matches: the kept count, not a count of the whole table.
    let unfiltered =
        year.is_none() && method.is_none() && filter.kind.is_empty() && filter.text.is_empty();
    let (found, total) =
        store::search(db, org, &filter, page, unfiltered.then_some(facets.total)).await?;
    let (years, kinds) = (&facets.years, &facets.kinds);
    if years.is_empty() {
        return crate::web::pages::message(
            &ctx,
            "bids.title",
            &["bids.none"],
            Some(("/finance", "fin.title")),
        );
    }
    let is_demo = found.iter().any(|b| b.is_demo);
    let label = |m: &str| Method::parse(m).map_or_else(String::new, |m| t.t(m.key()).to_string());
    let rows = found
        .into_iter()
        .map(|b| {
            let date = chrono::NaiveDate::parse_from_str(&b.opened_on, "%Y-%m-%d")
                .map_or_else(|_| b.opened_on.clone(), |d| t.date(d));
            (
                b.id,
                date,
                b.title,
                b.kind,
                label(&b.method),
                yen(b.planned_price),
                b.winner,
                yen(b.amount),
                rate(b.rate_pm),
                b.bidders,
            )
        })
        .collect();
    // The distribution for the chosen year, else the newest.
    let chart_year = year.unwrap_or(years[0]);
    let mut by_kind: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut means: BTreeMap<(i64, String), (i64, i64)> = BTreeMap::new();
    for (y, kind, bin, n, sum) in &facets.distribution {
        let (y, bin, n, sum) = (*y, *bin, *n, *sum);
        if y == chart_year {
            by_kind
                .entry(kind.clone())
                .or_insert_with(|| vec![0; BINS.len()])[bin as usize] += n;
        }
        let m = means.entry((y, kind.clone())).or_default();
        m.0 += n;
        m.1 += sum;
    }
    let bin_labels: Vec<String> = (0..BINS.len())
        .map(|i| t.t(BIN_KEYS[i]).to_string())
        .collect();
    let series: Vec<Series> = by_kind
        .iter()
        .map(|(k, v)| Series {
            name: k,
            values: v.iter().map(|n| Some(*n as f64)).collect(),
        })
        .collect();
    let chart = bars(
        "rates",
        t.t("bids.chart"),
        &bin_labels,
        &series,
        t.t("bids.count_unit"),
    );
    let page_for = |p: i64| link(&q, p);
    let p = BidsPage {
        s: Shell::new(&ctx, "bids.title"),
        is_demo,
        years: years
            .iter()
            .map(|y| (y.to_string(), fy(t, *y), Some(*y) == year))
            .collect(),
        kinds: kinds
            .iter()
            .map(|k| (k.clone(), *k == filter.kind))
            .collect(),
        methods: Method::ALL
            .iter()
            .map(|m| (m.word(), t.t(m.key()).to_string(), Some(*m) == method))
            .collect(),
        q: q.q.clone(),
        found: t.f("bids.found", &[&total]),
        rows,
        prev: if page > 0 {
            page_for(page - 1)
        } else {
            String::new()
        },
        next: if (page + 1) * PAGE < total {
            page_for(page + 1)
        } else {
            String::new()
        },
        chart_year: fy(t, chart_year),
        chart,
        bins: by_kind.into_iter().collect(),
        bin_labels,
        means: means
            .into_iter()
            .rev()
            .map(|((y, k), (n, sum))| (fy(t, y), k, n, rate(Some(sum / n.max(1)))))
            .collect(),
    };
    Ok(st.cache.store(&ctx, render(&p)?.0))
}

const BIN_KEYS: [&str; 5] = [
    "bids.bin_0",
    "bids.bin_1",
    "bids.bin_2",
    "bids.bin_3",
    "bids.bin_4",
];

#[derive(Template)]
#[template(path = "finance/bid.html")]
struct BidPage<'a> {
    s: Shell<'a>,
    bid: store::Bid,
    method: String,
    date: String,
    planned: String,
    amount: String,
    rate: String,
    /// (bidder, 円 or 辞退, result)
    entries: Vec<(String, String, String)>,
}

pub async fn one(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let (bid, entries) = store::one(st.reader(&ctx), ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = BidPage {
        s: Shell::new(&ctx, "bids.one_title"),
        method: Method::parse(&bid.method).map_or_else(String::new, |m| t.t(m.key()).to_string()),
        date: chrono::NaiveDate::parse_from_str(&bid.opened_on, "%Y-%m-%d")
            .map_or_else(|_| bid.opened_on.clone(), |d| t.date(d)),
        planned: bid
            .planned_price
            .map_or_else(|| t.t("bids.not_published").to_string(), amount),
        amount: yen(bid.amount),
        rate: rate(bid.rate_pm),
        entries: entries
            .into_iter()
            .map(|(b, v, r)| {
                (
                    b,
                    v.map_or_else(|| t.t("bids.declined").to_string(), amount),
                    r,
                )
            })
            .collect(),
        bid,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// Every tender as open data (円, rate in percent).
/// The open-data columns of the tenders.
pub const HEADER: [&str; 11] = [
    "案件番号",
    "件名",
    "種別",
    "入札方式",
    "開札日",
    "担当課",
    "予定価格(円)",
    "落札者",
    "落札額(円)",
    "落札率(%)",
    "入札者数",
];

/// Every tender as an open-data row (the CSV and the API), in the order of `HEADER`.
pub fn row(b: store::Bid) -> Vec<String> {
    vec![
        b.case_no,
        b.title,
        b.kind,
        b.method,
        b.opened_on,
        b.department,
        b.planned_price.map(|v| v.to_string()).unwrap_or_default(),
        b.winner,
        b.amount.map(|v| v.to_string()).unwrap_or_default(),
        b.rate_pm
            .map(|r| format!("{:.1}", r as f64 / 10.0))
            .unwrap_or_default(),
        b.bidders.to_string(),
    ]
}

pub async fn csv(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let rows = store::all(db, org).await?.into_iter().map(row).collect();
    crate::web::download::csv_body(&HEADER, rows, format!("{}_bids.csv", ctx.org.lg_code))
}
