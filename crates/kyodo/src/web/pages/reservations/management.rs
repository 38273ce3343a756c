//! Staff: a designated manager's (指定管理者) facility — its monthly reports entered and listed
//! beside the use computed from the bookings, the department's yearly monitoring evaluation, and
//! the manager's accounts (who may send the reports themselves, at `/manager/facilities`).

use super::yen;
use crate::codes;
use crate::error::{AppError, AppResult};
use crate::reservations::facilities::{self as store, Facility};
use crate::reservations::management::{self, EvaluationForm, ReportForm};
use crate::reservations::manager_accounts;
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
    /// The desk's cases about the facility received this month (苦情・要望 via the 窓口).
    pub desk: usize,
    pub reported: Option<(i64, String, String, String)>,
}

/// A desk case about the facility, as staff see it: id, number, received, status, subject.
pub type DeskCase = (i64, String, String, String, String);

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
    /// Where the report form posts: the staff page's or the manager's own.
    report_action: String,
    /// Staff only: the manager's accounts and the department's evaluation form.
    staff_view: bool,
    managers: Vec<(i64, String, String)>,
    /// Staff only: which desk cases the counts are (their subjects may carry personal data).
    desk_cases: Vec<DeskCase>,
}

/// Who looks at the page: staff of the city, or an account of the designated manager.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum View {
    Staff,
    Manager,
}

pub(super) async fn page(
    st: &WebState,
    ctx: &Ctx,
    view: View,
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
    let desk = crate::cases::linked::of_facility_year(&st.app.db, org, id, fy).await?;
    let desk_counts = crate::cases::linked::count_by_month(&desk);
    let rows = utilisation::of_facility(&st.app.db, org, &f, fy)
        .await?
        .into_iter()
        .map(|m| {
            let key = m.first.format("%Y-%m").to_string();
            Row {
                month: t.f("rsv.month_label", &[&m.first.year(), &m.first.month()]),
                used: m.used,
                fees: yen(t, m.revenue),
                desk: desk_counts.get(&key).copied().unwrap_or(0),
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
    let desk_cases = if view == View::Staff {
        desk.into_iter()
            .map(|c| {
                let status = crate::web::pages::cases::status_label(ctx, &all, &c.status);
                let received = crate::web::pages::cases::day(ctx, &c.received_at);
                (c.id, c.number, received, status, c.subject)
            })
            .collect()
    } else {
        Vec::new()
    };
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
        report_action: match view {
            View::Staff => format!("/staff/facilities/{id}/management/reports"),
            View::Manager => format!("/manager/facilities/{id}/reports"),
        },
        staff_view: view == View::Staff,
        managers: if view == View::Staff {
            manager_accounts::of_facility(&st.app.db, org, id).await?
        } else {
            Vec::new()
        },
        desk_cases,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    page(
        &st,
        &ctx,
        View::Staff,
        id,
        ReportForm::default(),
        FieldErrors::default(),
    )
    .await
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
        Err(AppError::Invalid(errs)) => page(&st, &ctx, View::Staff, id, f, errs).await,
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
        Err(AppError::Invalid(errs)) => {
            page(&st, &ctx, View::Staff, id, ReportForm::default(), errs).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ManagerForm {
    email: String,
    /// Set to take an account's assignment away.
    remove: String,
}

/// Assigns an account to the manager's facility by e-mail, or takes one away.
pub async fn managers(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ManagerForm>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    let org = ctx.org_id();
    let done = match f.remove.trim().parse::<i64>() {
        Ok(user) => manager_accounts::remove(&st.app, org, staff, id, user).await,
        Err(_) => manager_accounts::assign(&st.app, org, staff, id, &f.email).await,
    };
    match done {
        // Accounts are not on any public page.
        Ok(()) => Ok(crate::web::cache_scope::unchanged(see_other(
            &st,
            &format!("/staff/facilities/{id}/management"),
            "mgr.saved",
        ))),
        Err(AppError::Invalid(errs)) => {
            page(&st, &ctx, View::Staff, id, ReportForm::default(), errs).await
        }
        Err(e) => Err(e),
    }
}
