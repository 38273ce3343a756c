//! 公用車 for staff: the day's bookings of every car (keys out and in with the odometer, cancel),
//! the booking form, this month's use per car, and adding a car.

use crate::error::{AppError, AppResult};
use crate::reservations::cars::{self, Car, CarBooking, CarBookingForm};
use crate::reservations::today;
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
use chrono::Datelike;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct DayParams {
    #[serde(default)]
    date: String,
}

#[derive(Template)]
#[template(path = "reservations/cars.html")]
struct CarsPage<'a> {
    s: Shell<'a>,
    date: String,
    day_label: String,
    cars: Vec<Car>,
    bookings: Vec<CarBooking>,
    /// (car, hours booked, hours available, rate, km)
    month_use: Vec<(String, i64, i64, String, i64)>,
    month_label: String,
    form: CarBookingForm,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    date: &str,
    form: CarBookingForm,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let day = kyodo_jp::wareki::parse_date(date).unwrap_or_else(|_| today());
    let iso = day.format("%Y-%m-%d").to_string();
    let first = day.with_day(1).unwrap_or(day);
    let month_use = cars::month_use(&st.app.db, org, first)
        .await?
        .into_iter()
        .map(|(name, hours, available, km)| {
            let rate = if available > 0 {
                format!("{:.1}%", hours as f64 * 100.0 / available as f64)
            } else {
                "—".into()
            };
            (name, hours, available, rate, km)
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CarsPage {
        s: Shell::new(ctx, "car.title").with_errors(errs),
        day_label: super::day(t, &iso),
        month_label: t.f("rsv.month_label", &[&first.year(), &first.month()]),
        cars: cars::cars(&st.app.db, org).await?,
        bookings: cars::of_day(&st.app.db, org, &iso).await?,
        date: iso,
        month_use,
        form,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn day_list(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(p): QueryData<DayParams>,
) -> AppResult<Response> {
    let form = CarBookingForm {
        date: p.date.clone(),
        ..CarBookingForm::default()
    };
    page(&st, &ctx, &p.date, form, FieldErrors::default()).await
}

fn back(date: &str) -> String {
    super::day_page("/staff/cars", date)
}

pub async fn book(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<CarBookingForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    // Official cars are the staff's own business: no public page shows them.
    match cars::book(&st.app, ctx.org_id(), user, &f, today()).await {
        Ok(_) => Ok(unchanged(see_other(&st, &back(&f.date), "car.booked"))),
        Err(AppError::Invalid(errs)) => {
            let date = f.date.clone();
            page(&st, &ctx, &date, f, errs).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    odometer: String,
    date: String,
}

async fn step(st: WebState, ctx: Ctx, id: i64, which: &str, f: StepForm) -> AppResult<Response> {
    let staff = ctx.require_user()?.user_id;
    match cars::step(&st.app, ctx.org_id(), staff, id, which, &f.odometer).await {
        Ok(()) => Ok(unchanged(see_other(&st, &back(&f.date), "car.saved"))),
        Err(AppError::Invalid(errs)) => {
            page(&st, &ctx, &f.date, CarBookingForm::default(), errs).await
        }
        Err(e) => Err(e),
    }
}

pub async fn key_out(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<StepForm>,
) -> AppResult<Response> {
    step(st, ctx, id, "out", f).await
}

pub async fn key_in(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<StepForm>,
) -> AppResult<Response> {
    step(st, ctx, id, "in", f).await
}

pub async fn cancel(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<StepForm>,
) -> AppResult<Response> {
    step(st, ctx, id, "cancel", f).await
}
