//! Year lists of the staff-only kinds: 職員提案 with the committee's average score, the decision,
//! the implementation and the award (/staff/proposals, every member of staff), and the
//! 働きかけ記録 for the organization's own yearly report (/compliance/approaches, the HQ and the
//! compliance officer only; also as CSV).

use crate::cases::{kind, yearly};
use crate::codes::{self, CASE_AWARD, CASE_DECISION, CASE_IMPLEMENTATION};
use crate::error::AppResult;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::QueryData;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

/// The year asked for, else the newest with cases, else this fiscal year; with the years to offer.
async fn year_of(
    st: &WebState,
    ctx: &Ctx,
    q: &YearQuery,
    of: &str,
) -> AppResult<(i64, Vec<(i64, String)>)> {
    let mut years = yearly::years(&st.app.db, ctx.org_id(), of).await?;
    let this = i64::from(kyodo_jp::FiscalYear::containing(crate::participation::today(), 4).0);
    if !years.contains(&this) {
        years.insert(0, this);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    let year = q
        .year
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| years.contains(y))
        .unwrap_or(this);
    let labelled = years
        .into_iter()
        .map(|y| (y, crate::i18n::fy(ctx.tr(), y)))
        .collect();
    Ok((year, labelled))
}

/// A 職員提案 row with its words.
struct ProposalRow {
    p: yearly::StaffProposal,
    received: String,
    decision: String,
    implementation: String,
    award: String,
    /// 「3人」: how many committee members scored it.
    scored: String,
}

#[derive(Template)]
#[template(path = "cases/staff_proposals.html")]
struct ProposalsPage<'a> {
    s: Shell<'a>,
    years: Vec<(i64, String)>,
    year: i64,
    year_label: String,
    rows: Vec<ProposalRow>,
}

/// 職員提案 of a fiscal year: best average score first, with decision, implementation and award.
pub async fn staff_proposals(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<YearQuery>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let (year, years) = year_of(&st, &ctx, &q, kind::STAFF_PROPOSAL).await?;
    let (rows, codes) = tokio::try_join!(
        yearly::staff_proposals(&st.app.db, org, year),
        codes::all(&st.app.db, org),
    )?;
    // An empty code (not decided yet) has no label and stays empty.
    let word = |list: &str, code: &str| codes::label(&codes, list, code, ctx.lang).to_string();
    let rows = rows
        .into_iter()
        .map(|p| ProposalRow {
            received: super::day(&ctx, &p.received_at),
            decision: word(CASE_DECISION, &p.decision),
            implementation: word(CASE_IMPLEMENTATION, &p.implementation),
            award: word(CASE_AWARD, p.award.as_deref().unwrap_or_default()),
            scored: ctx.tr().f("case.scored_by", &[&p.scores]),
            p,
        })
        .collect();
    let page = ProposalsPage {
        s: Shell::new(&ctx, "case.staff_proposals_title"),
        year_label: crate::i18n::fy(ctx.tr(), year),
        years,
        year,
        rows,
    };
    Ok(render(&page)?.into_response())
}

/// A 働きかけ record with its words.
struct ApproachRow {
    c: crate::cases::store::Case,
    received: String,
    status: String,
    answers: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "cases/approaches.html")]
struct ApproachesPage<'a> {
    s: Shell<'a>,
    years: Vec<(i64, String)>,
    year: i64,
    year_label: String,
    rows: Vec<ApproachRow>,
}

/// 働きかけ記録 of a fiscal year, oldest first, with everything recorded and the response.
pub async fn approaches(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<YearQuery>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let (year, years) = year_of(&st, &ctx, &q, kind::APPROACH).await?;
    let (cases, codes) = tokio::try_join!(
        yearly::cases_of(&st.app.db, org, kind::APPROACH, year),
        codes::all(&st.app.db, org),
    )?;
    let rows = cases
        .into_iter()
        .map(|c| ApproachRow {
            received: super::day(&ctx, &c.received_at),
            status: super::status_label(&ctx, &codes, &c.status),
            answers: c.answer_pairs(),
            c,
        })
        .collect();
    let page = ApproachesPage {
        s: Shell::new(&ctx, "case.approaches_title"),
        year_label: crate::i18n::fy(ctx.tr(), year),
        years,
        year,
        rows,
    };
    // Restricted records: never kept by a shared cache or the browser.
    let mut res = render(&page)?.into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// The year's 働きかけ記録 as CSV (through the one CSV writer), for the yearly report.
pub async fn approaches_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<YearQuery>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let (year, _) = year_of(&st, &ctx, &q, kind::APPROACH).await?;
    let (cases, codes) = tokio::try_join!(
        yearly::cases_of(&st.app.db, org, kind::APPROACH, year),
        codes::all(&st.app.db, org),
    )?;
    let mut w = crate::csv_writer::Writer::with_bom();
    w.record(&["整理番号", "受付日", "件名", "記録内容", "対応", "状況"]);
    for c in cases {
        let recorded = c
            .answer_pairs()
            .into_iter()
            .map(|(q, a)| format!("{q}: {a}"))
            .collect::<Vec<_>>()
            .join("\n");
        w.record(&[
            c.number.clone(),
            c.received_at.get(..10).unwrap_or_default().to_string(),
            c.subject.clone(),
            recorded,
            c.answer.clone(),
            super::status_label(&ctx, &codes, &c.status),
        ]);
    }
    let mut res = crate::web::download::download(
        w.into_bytes(),
        "text/csv; charset=utf-8",
        format!("{}_approaches_{year}.csv", ctx.org.lg_code),
    );
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}
