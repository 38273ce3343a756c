//! Staff at the counter: the day's bookings at every facility (本予約 on payment, cancellation,
//! the 利用許可書), and the registered users (本登録 after checking identity, 減免 per fiscal year).

use super::{day, status_key, yen};
use crate::error::{AppError, AppResult};
use crate::reservations::listing::{self, BookingRow};
use crate::reservations::members::{self, Member};
use crate::reservations::permit_pdf::{self, PermitText};
use crate::reservations::registrations::{self, CounterEntry};
use crate::reservations::{lifecycle, today};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::unchanged;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, QueryData};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct DayParams {
    #[serde(default)]
    date: String,
}

pub struct CounterRow {
    pub b: BookingRow,
    pub status: &'static str,
    pub fee_due: String,
    pub provisional: bool,
    pub active: bool,
    /// A 本予約 on or before today, not yet marked 不使用.
    pub may_mark_no_show: bool,
    pub no_show: bool,
}

#[derive(Template)]
#[template(path = "reservations/counter.html")]
struct CounterPage<'a> {
    s: Shell<'a>,
    date: String,
    day_label: String,
    rows: Vec<CounterRow>,
    pending: usize,
}

async fn counter_page(
    st: &WebState,
    ctx: &Ctx,
    date: &str,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let date = kyodo_jp::wareki::parse_date(date).unwrap_or_else(|_| today());
    let iso = date.format("%Y-%m-%d").to_string();
    let at = crate::db::now();
    let rows = listing::of_day(&st.app.db, org, &iso)
        .await?
        .into_iter()
        .map(|b| CounterRow {
            status: status_key(b.shown_status(&at)),
            fee_due: yen(t, b.fee_due),
            provisional: b.shown_status(&at) == "provisional",
            active: b.holds(&at),
            may_mark_no_show: b.status == "confirmed"
                && b.no_show_at.is_none()
                && b.used_on <= today().format("%Y-%m-%d").to_string(),
            no_show: b.no_show_at.is_some(),
            b,
        })
        .collect();
    let pending = registrations::pending(&st.app.db, org).await?.len();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CounterPage {
        s: Shell::new(ctx, "rsv.counter_title").with_errors(errs),
        day_label: day(t, &iso),
        date: iso,
        rows,
        pending,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn day_list(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(p): QueryData<DayParams>,
) -> AppResult<Response> {
    counter_page(&st, &ctx, &p.date, FieldErrors::default()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct BackTo {
    #[serde(default)]
    date: String,
}

fn back(date: &str) -> String {
    super::day_page("/staff/facilities", date)
}

pub async fn confirm(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BackTo>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    match lifecycle::confirm(&st.app, ctx.org_id(), staff, id).await {
        // The facility's published 利用状況 counts 本予約.
        Ok(()) => Ok(see_other(&st, &back(&f.date), "rsv.confirmed")),
        Err(AppError::Invalid(errs)) => counter_page(&st, &ctx, &f.date, errs).await,
        Err(e) => Err(e),
    }
}

pub async fn cancel(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BackTo>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    match lifecycle::cancel(&st.app, ctx.org_id(), staff, id, true).await {
        Ok(()) => Ok(see_other(&st, &back(&f.date), "rsv.cancelled")),
        Err(AppError::Invalid(errs)) => counter_page(&st, &ctx, &f.date, errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoShowForm {
    date: String,
    /// "1": take back a 不使用 mark made by mistake.
    undo: String,
}

/// 不使用: nobody came for a 本予約 (or the mark is taken back).
pub async fn no_show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<NoShowForm>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    let mark = f.undo != "1";
    match lifecycle::mark_no_show(&st.app, ctx.org_id(), staff, id, mark).await {
        // The facility's published 利用状況 counts 不使用.
        Ok(()) => Ok(see_other(&st, &back(&f.date), "rsv.no_show_saved")),
        Err(AppError::Invalid(errs)) => counter_page(&st, &ctx, &f.date, errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "reservations/permit.html")]
struct PermitPage<'a> {
    s: Shell<'a>,
    b: BookingRow,
    when: String,
    fee: String,
    fee_due: String,
    issued: String,
}

/// A 本予約's permit in words (a 仮予約 or cancelled booking has none).
async fn permit_of(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<PermitWords> {
    let t = ctx.tr();
    let b = listing::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if b.status != "confirmed" {
        return Err(AppError::NotFound);
    }
    Ok(PermitWords {
        when: format!(
            "{} {} {}〜{}",
            day(t, &b.used_on),
            b.slot,
            b.starts_at,
            b.ends_at
        ),
        fee: yen(t, b.fee),
        fee_due: yen(t, b.fee_due),
        issued: b
            .confirmed_at
            .as_deref()
            .map(|c| t.datetime(c))
            .unwrap_or_default(),
        b,
    })
}

struct PermitWords {
    b: BookingRow,
    when: String,
    fee: String,
    fee_due: String,
    issued: String,
}

/// 利用許可書: print-ready, for a 本予約 only.
pub async fn permit(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let w = permit_of(&st, &ctx, id).await?;
    let page = PermitPage {
        s: Shell::new(&ctx, "rsv.permit_title"),
        b: w.b,
        when: w.when,
        fee: w.fee,
        fee_due: w.fee_due,
        issued: w.issued,
    };
    Ok(render(&page)?.into_response())
}

/// 利用許可書 as PDF, to print or send.
pub async fn permit_pdf(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let w = permit_of(&st, &ctx, id).await?;
    let font = &st.app.config.pdf_font;
    if !font.exists() {
        return Err(AppError::Unavailable(format!(
            "PDF font missing: {}",
            font.display()
        )));
    }
    let text = PermitText {
        org_name: &ctx.org.name,
        when: &w.when,
        fee: &w.fee,
        fee_due: &w.fee_due,
        issued: &w.issued,
        is_demo: ctx.org.is_demo,
    };
    let body = crate::surveys::report_pdf::render(permit_pdf::source(&w.b, &text), font).await?;
    Ok(crate::web::download::download(
        body,
        "application/pdf",
        format!("permit-{}.pdf", w.b.number),
    ))
}

#[derive(Template)]
#[template(path = "reservations/users.html")]
struct UsersPage<'a> {
    s: Shell<'a>,
    fiscal_year: i64,
    fiscal_label: String,
    rows: Vec<UserRow>,
}

pub struct UserRow {
    pub e: CounterEntry,
    /// A group's members (構成員), in its order; none for an individual.
    pub members: Vec<Member>,
    pub members_in_city: usize,
}

fn this_fiscal_year() -> i64 {
    i64::from(kyodo_jp::FiscalYear::containing(today(), 4).0)
}

async fn users_page(st: &WebState, ctx: &Ctx, errs: FieldErrors) -> AppResult<Response> {
    let fy = this_fiscal_year();
    let mut listed = members::of_org(&st.app.db, ctx.org_id()).await?;
    let rows = registrations::for_counter(&st.app.db, ctx.org_id(), fy)
        .await?
        .into_iter()
        .map(|e| {
            let members = listed.remove(&e.registration.user_id).unwrap_or_default();
            UserRow {
                members_in_city: members.iter().filter(|m| m.resident == 1).count(),
                members,
                e,
            }
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = UsersPage {
        s: Shell::new(ctx, "rsv.users_title").with_errors(errs),
        fiscal_year: fy,
        fiscal_label: crate::i18n::fy(ctx.tr(), fy),
        rows,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn users(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    users_page(&st, &ctx, FieldErrors::default()).await
}

pub async fn activate(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(user): PathId,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    registrations::activate(&st.app, ctx.org_id(), staff, user).await?;
    Ok(unchanged(see_other(
        &st,
        "/staff/facilities/users",
        "rsv.activated",
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExemptionForm {
    user: String,
    fiscal_year: String,
    category: String,
    rate_percent: String,
}

pub async fn exemption(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<ExemptionForm>,
) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    let user = f.user.trim().parse::<i64>().unwrap_or(0);
    let fy = f
        .fiscal_year
        .trim()
        .parse::<i64>()
        .unwrap_or_else(|_| this_fiscal_year());
    match registrations::set_exemption(
        &st.app,
        ctx.org_id(),
        staff,
        user,
        fy,
        &f.category,
        &f.rate_percent,
    )
    .await
    {
        Ok(()) => Ok(unchanged(see_other(
            &st,
            "/staff/facilities/users",
            "rsv.exemption_saved",
        ))),
        Err(AppError::Invalid(errs)) => users_page(&st, &ctx, errs).await,
        Err(e) => Err(e),
    }
}
