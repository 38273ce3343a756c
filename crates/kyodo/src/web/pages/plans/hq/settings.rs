//! Reporting periods (deadlines, quarterly periods) and the organization's code lists, for the HQ.

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::plans::{periods, store};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "plans/periods.html")]
struct PeriodsPage<'a> {
    s: Shell<'a>,
    plan_id: i64,
    plan_title: String,
    periods: Vec<(store::Period, String)>,
    years: Vec<(i64, String)>,
}

async fn periods_page(st: &WebState, ctx: &Ctx, id: i64, errs: FieldErrors) -> AppResult<Response> {
    let t = ctx.tr();
    let plan = store::plan(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = store::periods(&st.app.db, ctx.org_id(), id).await?;
    let periods = list
        .into_iter()
        .map(|p| {
            let due = chrono::NaiveDate::parse_from_str(&p.due_on, "%Y-%m-%d")
                .map(|d| t.date(d))
                .unwrap_or_default();
            (p, due)
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PeriodsPage {
        s: Shell::new(ctx, "periods.title").with_errors(errs),
        plan_id: id,
        plan_title: plan.title.clone(),
        periods,
        years: (plan.first_year..=plan.last_year)
            .map(|y| (y, crate::web::format::fy(t, y)))
            .collect(),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    periods_page(&st, &ctx, id, FieldErrors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DueForm {
    due_on: String,
    label: String,
}

/// Changes a period's label and deadline. Dates are accepted as 2026-05-31 or 令和8年5月31日.
pub async fn update(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<DueForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let plan = store::plan_of_period(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    match periods::update(&st.app, ctx.org_id(), p.user_id, id, &f.label, &f.due_on).await {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/hq/plans/{plan}/periods"),
            "notice.saved",
        )),
        Err(AppError::Invalid(errs)) => periods_page(&st, &ctx, plan, errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QuarterForm {
    year: String,
}

/// Adds the four quarterly periods of a fiscal year (for closer progress management).
pub async fn add_quarters(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<QuarterForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    match periods::add_quarters(&st.app, ctx.org_id(), p.user_id, id, &f.year).await {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/hq/plans/{id}/periods"),
            "notice.added",
        )),
        Err(AppError::Invalid(errs)) => periods_page(&st, &ctx, id, errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "plans/codes.html")]
struct CodesPage<'a> {
    s: Shell<'a>,
    lists: Vec<(&'static str, Vec<codes::Code>)>,
}

impl CodesPage<'_> {
    fn list_key(&self, list: &str) -> &'static str {
        codes::LISTS
            .iter()
            .find(|(l, _)| *l == list)
            .map_or("codes.account", |(_, k)| k)
    }
}

async fn codes_page(
    st: &WebState,
    ctx: &Ctx,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let all = codes::all(&st.app.db, ctx.org_id()).await?;
    let lists = codes::LISTS
        .into_iter()
        .map(|(l, _)| (l, codes::of_list(&all, l).cloned().collect()))
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "codes.title").with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    Ok((status, render(&CodesPage { s, lists })?).into_response())
}

pub async fn codes_list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    codes_page(&st, &ctx, FieldErrors::default(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    list: String,
    code: String,
    label: String,
    label_en: String,
    sort_order: String,
}

/// Adds a code or relabels an existing one (codes already used in reports keep their meaning).
pub async fn save_code(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<CodeForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let code = codes::NewCode {
        list: &f.list,
        code: &f.code,
        label: &f.label,
        label_en: &f.label_en,
        sort_order: &f.sort_order,
    };
    match codes::save(&st.app, ctx.org_id(), p.user_id, code).await {
        Ok(()) => Ok(see_other(&st, "/hq/codes", "notice.saved")),
        Err(AppError::Invalid(errs)) => codes_page(&st, &ctx, errs, None).await,
        Err(e) => Err(e),
    }
}
