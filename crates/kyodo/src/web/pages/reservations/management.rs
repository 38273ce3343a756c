//! Staff: a designated manager's (指定管理者) facility — its monthly reports entered and listed
//! beside the use computed from the bookings, and the department's yearly monitoring evaluation.

use super::yen;
use crate::codes;
use crate::error::{AppError, AppResult};
use crate::reservations::facilities::{self as store, Facility};
use crate::reservations::management::{self, EvaluationForm, ReportForm};
use crate::reservations::{today, utilisation};
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
use chrono::Datelike;

pub struct Row {
    pub month: String,
    pub used: i64,
    pub fees: String,
    pub reported: Option<(i64, String, String, String)>,
}

#[derive(Template)]
#[template(path = "reservations/management.html")]
struct ManagementPage<'a> {
    s: Shell<'a>,
    f: Facility,
    fy: i32,
    fy_label: String,
    rows: Vec<Row>,
    ratings: Vec<(String, String)>,
    evaluation: Option<(String, String)>,
    report: ReportForm,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    report: ReportForm,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let f = store::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if f.manager_kind != "designated" {
        return Err(AppError::NotFound);
    }
    let fy = kyodo_jp::FiscalYear::containing(today(), 4).0;
    let reports = management::reports(&st.app.db, org, id, fy).await?;
    let rows = utilisation::of_facility(&st.app.db, org, &f, fy)
        .await?
        .into_iter()
        .map(|m| {
            let key = m.first.format("%Y-%m").to_string();
            Row {
                month: t.f("rsv.month_label", &[&m.first.year(), &m.first.month()]),
                used: m.used,
                fees: yen(t, m.revenue),
                reported: reports.iter().find(|r| r.month == key).map(|r| {
                    (
                        r.users,
                        yen(t, r.revenue),
                        r.incidents.clone(),
                        r.complaints.clone(),
                    )
                }),
            }
        })
        .collect();
    let all = codes::all(&st.app.db, org).await?;
    let ratings = codes::of_list(&all, codes::FACILITY_MONITORING)
        .map(|c| (c.code.clone(), c.label(ctx.lang).to_string()))
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ManagementPage {
        s: Shell::new(ctx, "mgr.title").with_errors(errs),
        fy_label: crate::i18n::fy(t, i64::from(fy)),
        evaluation: management::evaluation(&st.app.db, org, id, fy).await?,
        f,
        fy,
        rows,
        ratings,
        report,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    page(&st, &ctx, id, ReportForm::default(), FieldErrors::default()).await
}

pub async fn report(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ReportForm>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    match management::save_report(&st.app, ctx.org_id(), staff, id, &f).await {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/staff/facilities/{id}/management"),
            "mgr.saved",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, f, errs).await,
        Err(e) => Err(e),
    }
}

pub async fn evaluate(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<EvaluationForm>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    match management::save_evaluation(&st.app, ctx.org_id(), staff, id, &f).await {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/staff/facilities/{id}/management"),
            "mgr.saved",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, ReportForm::default(), errs).await,
        Err(e) => Err(e),
    }
}
