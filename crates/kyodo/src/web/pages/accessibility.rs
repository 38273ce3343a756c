//! The accessibility policy (ウェブアクセシビリティ方針), the JIS X 8341-3 test report generated from
//! the suite's results and the HQ's manual checks, and the HQ page that records those checks.
//! The policy states 準拠 only when the report does.

use crate::accessibility::criteria;
use crate::accessibility::report::{self, Conformance, Outcome, SuiteResults};
use crate::accessibility::store::{self, ManualForm};
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::FormData;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// One row of the checklist as shown.
struct RowView {
    number: &'static str,
    level: &'static str,
    wcag21: bool,
    name: String,
    applies: bool,
    outcome: &'static str,
    satisfied: bool,
    /// How it was verified: the automated checks with their page counts, then the manual check.
    automated: Vec<String>,
    manual: Option<String>,
}

struct Loaded {
    run: Option<SuiteResults>,
    rows: Vec<RowView>,
    conformance: Conformance,
    failing: usize,
    unverified: usize,
}

async fn load(st: &WebState, ctx: &Ctx) -> AppResult<Loaded> {
    let t = ctx.tr();
    let (db, org) = (st.reader(ctx), ctx.org_id());
    let (run, manual) = tokio::try_join!(store::latest_run(db, org), async {
        Ok(store::manual_checks(db, org).await?)
    },)?;
    let rows = report::rows(run.as_ref(), &manual);
    let conformance = report::conformance(run.as_ref(), &rows);
    let count = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count();
    let (failing, unverified) = (count(Outcome::Fail), count(Outcome::Unverified));
    let rows = rows.iter().map(|r| view(&t, r)).collect();
    Ok(Loaded {
        run,
        rows,
        conformance,
        failing,
        unverified,
    })
}

fn view(t: &Tr, r: &report::Row) -> RowView {
    let manual = r.manual.as_ref().map(|m| {
        let result = match m.result.as_str() {
            "pass" => Outcome::Pass,
            "na" => Outcome::NotApplicable,
            _ => Outcome::Fail,
        };
        let day = chrono::NaiveDate::parse_from_str(&m.checked_on, "%Y-%m-%d")
            .map(|d| t.date(d))
            .unwrap_or_else(|_| m.checked_on.clone());
        t.f(
            "a11y_report.manual_line",
            &[&day, &m.method, &t.t(result.key())],
        )
    });
    RowView {
        number: r.criterion.number,
        level: r.criterion.level.label(),
        wcag21: r.criterion.wcag21,
        name: t.t(&r.criterion.name_key()).to_string(),
        applies: r.applies,
        outcome: r.outcome.key(),
        satisfied: r.outcome.satisfied(),
        automated: r
            .automated
            .iter()
            .map(|(id, passed, failed)| t.f("a11y_report.auto_line", &[id, passed, failed]))
            .collect(),
        manual,
    }
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct PolicyPage<'a> {
    s: Shell<'a>,
    conformance: Conformance,
    tested_on: Option<String>,
}

/// The accessibility policy; its statement of 対応度 comes from the report.
pub async fn policy(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let l = load(&st, &ctx).await?;
    let tested_on = l.run.as_ref().and_then(|r| tested_on(&ctx.tr(), r));
    let html = render(&PolicyPage {
        s: Shell::new(&ctx, "a11y.title"),
        conformance: l.conformance,
        tested_on,
    })?;
    Ok(st.cache.store(&ctx, html.0))
}

fn tested_on(t: &Tr, run: &SuiteResults) -> Option<String> {
    chrono::NaiveDate::parse_from_str(&run.tested_on, "%Y-%m-%d")
        .ok()
        .map(|d| t.date(d))
}

#[derive(Template)]
#[template(path = "accessibility_report.html")]
struct ReportPage<'a> {
    s: Shell<'a>,
    l: Loaded,
    tested_on: Option<String>,
    counts: String,
    selection: String,
    pages_summary: String,
}

/// 試験結果: the report generated from the newest imported test run and the manual checks.
pub async fn report_page(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let l = load(&st, &ctx).await?;
    let t = ctx.tr();
    let tested_on = l.run.as_ref().and_then(|r| tested_on(&t, r));
    let pages = l.run.as_ref().map_or(0, |r| r.pages.len());
    let html = render(&ReportPage {
        s: Shell::new(&ctx, "a11y_report.title"),
        counts: t.f("a11y_report.open_counts", &[&l.failing, &l.unverified]),
        selection: t.f("a11y_report.selection_text", &[&pages]),
        pages_summary: t.f("a11y_report.pages_summary", &[&pages]),
        l,
        tested_on,
    })?;
    Ok(st.cache.store(&ctx, html.0))
}

#[derive(Template)]
#[template(path = "accessibility_checks.html")]
struct ChecksPage<'a> {
    s: Shell<'a>,
    l: Loaded,
    criteria: Vec<(&'static str, String)>,
    f: ManualForm,
}

async fn checks_page(
    st: &WebState,
    ctx: &Ctx,
    f: ManualForm,
    s: Shell<'_>,
    status: StatusCode,
) -> AppResult<Response> {
    let t = ctx.tr();
    let l = load(st, ctx).await?;
    let criteria = criteria::ALL
        .iter()
        .map(|c| (c.number, format!("{} {}", c.number, t.t(&c.name_key()))))
        .collect();
    let body = render(&ChecksPage { s, l, criteria, f })?;
    Ok((status, body).into_response())
}

/// The HQ's manual checks, one per success criterion, beside the automated results.
pub async fn hq_checks(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let s = Shell::new(&ctx, "a11y_report.hq_title");
    let today = chrono::Utc::now()
        .with_timezone(&crate::i18n::jst())
        .date_naive();
    let f = ManualForm {
        checked_on: today.format("%Y-%m-%d").to_string(),
        ..ManualForm::default()
    };
    checks_page(&st, &ctx, f, s, StatusCode::OK).await
}

pub async fn record_check(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<ManualForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    match store::record_manual(&st.app, ctx.org_id(), p.user_id, &f).await {
        Ok(()) => Ok(see_other(&st, "/hq/accessibility", "notice.saved")),
        Err(crate::error::AppError::Invalid(errs)) => {
            let s = Shell::new(&ctx, "a11y_report.hq_title").with_errors(errs);
            checks_page(&st, &ctx, f, s, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}
