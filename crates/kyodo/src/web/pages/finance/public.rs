//! 予算・決算 for citizens: an edition (the newest 一般会計 决算 unless another is chosen) by 款
//! and by 性質, each as an SVG chart beside its table, revenue by 款, the totals, and "where my
//! taxes go" — for an annual tax a citizen types, the yen each 款 receives. The lines as CSV.

use crate::charts::{Series, bars};
use crate::error::{AppError, AppResult};
use crate::finance::store;
use crate::i18n::fy;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::Areas;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::format::amount;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BudgetQuery {
    edition: String,
    tax: String,
}

/// A table row: name, 千円 in words, share in percent.
type Row = (String, String, String);

#[derive(Template)]
#[template(path = "finance/budget.html")]
struct BudgetPage<'a> {
    s: Shell<'a>,
    /// (id, label, chosen)
    editions: Vec<(i64, String, bool)>,
    title: String,
    id: i64,
    is_demo: bool,
    is_settlement: bool,
    revenue_total: String,
    spending_total: String,
    balance: String,
    /// (款, 千円, share, the previous year's 千円, change in percent)
    by_purpose: Vec<(String, String, String, String, String)>,
    /// 「令和5年度 一般会計 当初」 when the same edition of the year before is there, else empty.
    previous: String,
    purpose_chart: String,
    by_nature: Vec<Row>,
    nature_chart: String,
    revenue: Vec<Row>,
    tax: String,
    /// (款, yen of the tax)
    tax_rows: Vec<(String, String)>,
}

fn thousands(yen: i64) -> String {
    amount(yen / 1000)
}

fn rows(sums: &[(String, i64)], total: i64) -> Vec<Row> {
    sums.iter()
        .map(|(name, v)| {
            let share = if total == 0 {
                0.0
            } else {
                *v as f64 * 100.0 / total as f64
            };
            (name.clone(), thousands(*v), format!("{share:.1}%"))
        })
        .collect()
}

fn chart(id: &str, title: &str, sums: &[(String, i64)], unit: &str) -> String {
    let names: Vec<String> = sums.iter().map(|(n, _)| n.clone()).collect();
    bars(
        id,
        title,
        &names,
        &[Series {
            name: title,
            values: sums
                .iter()
                .map(|(_, v)| Some((*v / 1_000_000) as f64))
                .collect(),
        }],
        unit,
    )
}

/// The organization's editions, from their snapshot (key 0).
async fn editions(st: &WebState, org: i64) -> AppResult<Arc<Vec<store::Edition>>> {
    st.snapshots
        .budget_editions
        .get_or_compute(&st.cache, Areas::FINANCE, org, 0, || async {
            Ok(store::editions(&st.app.db, org).await?)
        })
        .await
}

/// An edition's sums, from their snapshot (by edition).
async fn sums(st: &WebState, org: i64, edition: i64) -> AppResult<Arc<store::EditionSums>> {
    st.snapshots
        .budget_sums
        .get_or_compute(&st.cache, Areas::FINANCE, org, edition, || async {
            Ok(store::edition_sums(&st.app.db, org, edition).await?)
        })
        .await
}

pub async fn budget(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<BudgetQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let org = ctx.org_id();
    let editions = editions(&st, org).await?;
    let chosen = match q.edition.trim() {
        "" => editions.first(),
        raw => {
            let id = raw
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest("error.bad_query"))?;
            Some(
                editions
                    .iter()
                    .find(|e| e.id == id)
                    .ok_or(AppError::NotFound)?,
            )
        }
    };
    let Some(e) = chosen.cloned() else {
        // Nothing published yet: say so (the home page links here for every organization).
        return crate::web::pages::message(
            &ctx,
            "fin.title",
            &["fin.none"],
            Some(("/opendata", "opendata.title")),
        );
    };
    // Year on year: the same 会計 and edition of the year before, when it was published.
    let prev = editions
        .iter()
        .find(|x| {
            x.fiscal_year == e.fiscal_year - 1 && x.account == e.account && x.edition == e.edition
        })
        .cloned();
    let (now, before) = tokio::try_join!(sums(&st, org, e.id), async {
        match &prev {
            Some(p) => sums(&st, org, p.id).await.map(Some),
            None => Ok(None),
        }
    })?;
    let (purpose, revenue) = (&now.purpose, &now.revenue);
    let before: &[(String, i64)] = before.as_ref().map_or(&[], |b| &b.purpose);
    // Lines the file gave no 性質 are counted under 「未分類」, not left out.
    let nature: Vec<(String, i64)> = now
        .nature
        .iter()
        .map(|(n, v)| {
            (
                if n.is_empty() {
                    t.t("fin.no_nature").to_string()
                } else {
                    n.clone()
                },
                *v,
            )
        })
        .collect();
    let spent: i64 = purpose.iter().map(|r| r.1).sum();
    let income: i64 = revenue.iter().map(|r| r.1).sum();
    let mut errs = FieldErrors::default();
    let tax = match kyodo_jp::numbers::parse_amount(&q.tax) {
        Ok(Some(v)) if v > 0 => Some(v),
        Ok(None) => None,
        _ => {
            errs.add("tax", "fin.bad_tax");
            None
        }
    };
    let tax_rows = tax
        .filter(|_| spent > 0)
        .map(|tax| {
            purpose
                .iter()
                .map(|(name, v)| {
                    (
                        name.clone(),
                        amount((*v as i128 * tax as i128 / spent as i128) as i64),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let label =
        |e: &store::Edition| format!("{} {} {}", fy(t, e.fiscal_year), e.account, e.edition);
    let unit = t.t("fin.unit_million");
    let purpose_title = t.t("fin.by_purpose");
    let nature_title = t.t("fin.by_nature");
    let page = BudgetPage {
        s: Shell::new(&ctx, "fin.title").with_errors(errs),
        editions: editions
            .iter()
            .map(|x| (x.id, label(x), x.id == e.id))
            .collect(),
        title: label(&e),
        id: e.id,
        is_demo: e.is_demo,
        is_settlement: e.is_settlement,
        revenue_total: thousands(income),
        spending_total: thousands(spent),
        balance: thousands(income - spent),
        purpose_chart: chart("purpose", purpose_title, purpose, unit),
        nature_chart: chart("nature", nature_title, &nature, unit),
        by_purpose: rows(purpose, spent)
            .into_iter()
            .zip(purpose.iter())
            .map(|((name, v, share), (_, now))| {
                let then = before.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
                let change = match then {
                    Some(t) if t != 0 => format!("{:+.1}%", (*now - t) as f64 * 100.0 / t as f64),
                    _ => String::new(),
                };
                (
                    name,
                    v,
                    share,
                    then.map(thousands).unwrap_or_default(),
                    change,
                )
            })
            .collect(),
        previous: prev.as_ref().map(&label).unwrap_or_default(),
        by_nature: rows(&nature, spent),
        revenue: rows(revenue, income),
        tax: q.tax.clone(),
        tax_rows,
    };
    let status = page.s.status();
    let html = render(&page)?;
    if status.is_success() {
        Ok(st.cache.store(&ctx, html.0))
    } else {
        Ok((status, html).into_response())
    }
}

/// An edition's lines as open data (CSV), amounts in 円.
/// The open-data columns of an edition's lines.
pub const LINES_HEADER: [&str; 10] = [
    "年度",
    "会計",
    "予算区分",
    "歳入歳出",
    "款",
    "項",
    "目",
    "節",
    "性質",
    "金額(円)",
];

/// An edition and its lines as open-data rows (the CSV and the API).
pub async fn lines_rows(
    db: &crate::db::Db,
    org: i64,
    id: i64,
) -> AppResult<(store::Edition, Vec<Vec<String>>)> {
    let e = store::editions(db, org)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(AppError::NotFound)?;
    let side = |s: &str| if s == "revenue" { "歳入" } else { "歳出" };
    let rows = store::lines(db, org, id)
        .await?
        .into_iter()
        .map(|(s, kan, kou, moku, setsu, nature, v)| {
            vec![
                e.fiscal_year.to_string(),
                e.account.clone(),
                e.edition.clone(),
                side(&s).to_string(),
                kan,
                kou,
                moku,
                setsu,
                nature,
                v.to_string(),
            ]
        })
        .collect();
    Ok((e, rows))
}

pub async fn lines_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (e, rows) = lines_rows(st.reader(&ctx), ctx.org_id(), id).await?;
    crate::web::download::csv_body(
        &LINES_HEADER,
        rows,
        format!("{}_budget_{}_{}.csv", ctx.org.lg_code, e.fiscal_year, e.id),
    )
}
