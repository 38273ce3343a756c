//! 「市民の声と市の回答」: the answers staff published (redacted, with the submitter's consent) and the
//! year's counts by month, category and department with the median days to an answer — each chart
//! with its table. Cached for anonymous visitors; a case written drops it (area `CASES`).

use crate::cases::public::{self, PublicCase, Stats};
use crate::charts::{self, Series};
use crate::error::{AppError, AppResult};
use crate::web::WebState;
use crate::web::cache_scope::Areas;
use crate::web::ctx::Ctx;
use crate::web::extract::QueryData;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use std::sync::Arc;

/// A fiscal year's public counts, kept (`web::snapshots`, from the primary) until the cases area
/// changes: four aggregates that this page and the home page would otherwise run on every miss.
pub async fn year_stats(st: &WebState, org: i64, year: i64) -> AppResult<Arc<Stats>> {
    st.snapshots
        .case_stats
        .get_or_compute(&st.cache, Areas::CASES, org, year, || async {
            Ok(public::stats(&st.app.db, org, year).await?)
        })
        .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct VoicesQuery {
    year: String,
    page: String,
}

#[derive(Template)]
#[template(path = "cases/voices.html")]
struct VoicesPage<'a> {
    s: Shell<'a>,
    years: Vec<(i64, String)>,
    year: i64,
    year_label: String,
    cases: Vec<(PublicCase, String)>,
    stats: Arc<Stats>,
    median: String,
    month_chart: String,
    category_chart: String,
    page: i64,
    has_next: bool,
}

pub async fn voices(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<VoicesQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let t = ctx.tr();
    let bad = || AppError::BadRequest("error.bad_query");
    let page = match q.page.trim() {
        "" => 0,
        p => p
            .parse::<i64>()
            .ok()
            .filter(|p| (0..10_000).contains(p))
            .ok_or_else(bad)?,
    };
    let years = st
        .snapshots
        .case_years
        .get_or_compute(&st.cache, Areas::CASES, org, 0, || async {
            Ok::<_, AppError>(public::years(&st.app.db, org).await?)
        })
        .await?;
    let year = match q.year.trim() {
        "" => years.first().copied().unwrap_or_else(|| {
            i64::from(kyodo_jp::FiscalYear::containing(chrono::Utc::now().date_naive(), 4).0)
        }),
        y => y
            .parse::<i64>()
            .ok()
            .filter(|y| (1989..=2200).contains(y))
            .ok_or_else(bad)?,
    };
    let (cases, stats) = tokio::try_join!(
        async { Ok(public::published(db, org, year, page).await?) },
        year_stats(&st, org, year)
    )?;
    let fy_label = |y: i64| crate::web::format::fy(t, y);
    let month_chart = charts::bars(
        "cases-by-month",
        t.t("case.by_month"),
        &stats
            .by_month
            .iter()
            .map(|m| m.0.clone())
            .collect::<Vec<_>>(),
        &[Series {
            name: t.t("case.count"),
            values: stats.by_month.iter().map(|m| Some(m.1 as f64)).collect(),
        }],
        t.t("case.count_unit"),
    );
    let category_chart = charts::bars(
        "cases-by-category",
        t.t("case.by_category"),
        &stats
            .by_category
            .iter()
            .map(|m| m.0.clone())
            .collect::<Vec<_>>(),
        &[Series {
            name: t.t("case.count"),
            values: stats.by_category.iter().map(|m| Some(m.1 as f64)).collect(),
        }],
        t.t("case.count_unit"),
    );
    let has_next = cases.len() as i64 == public::PAGE;
    let page_view = VoicesPage {
        s: Shell::new(&ctx, "case.voices_title"),
        years: years.iter().map(|y| (*y, fy_label(*y))).collect(),
        year_label: fy_label(year),
        year,
        cases: cases
            .into_iter()
            .map(|c| {
                let day = super::day(&ctx, &c.received_at);
                (c, day)
            })
            .collect(),
        median: stats
            .median_days
            .map(|d| t.f("case.median_days", &[&crate::web::format::fmt2(d)]))
            .unwrap_or_default(),
        stats,
        month_chart,
        category_chart,
        page,
        has_next,
    };
    Ok(st.cache.store(&ctx, render(&page_view)?.0))
}

/// The published cases of every year as open data (CSV through the one writer).
pub async fn published_csv(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let t = ctx.tr();
    let rows = public::all_published(st.reader(&ctx), ctx.org_id())
        .await?
        .into_iter()
        .map(|(fy, c)| {
            vec![
                crate::web::format::fy(t, fy),
                c.received_at.get(..10).unwrap_or_default().to_string(),
                c.type_name,
                c.category,
                c.department.unwrap_or_default(),
                c.public_text,
                c.public_answer,
            ]
        })
        .collect();
    let header = [
        "年度",
        "受付日",
        "種類",
        "種別",
        "担当課",
        "市民の声",
        "市の回答",
    ];
    crate::web::download::csv_body(&header, rows, format!("{}_voices.csv", ctx.org.lg_code))
}

/// Cases received by year, month, category and department, as open data.
pub async fn counts_csv(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let t = ctx.tr();
    let rows = public::counts(st.reader(&ctx), ctx.org_id())
        .await?
        .into_iter()
        .map(|(fy, month, category, dept, n)| {
            vec![
                crate::web::format::fy(t, fy),
                month,
                category,
                dept,
                n.to_string(),
            ]
        })
        .collect();
    let header = ["年度", "受付月", "種別", "担当課", "件数"];
    crate::web::download::csv_body(
        &header,
        rows,
        format!("{}_voices_counts.csv", ctx.org.lg_code),
    )
}
