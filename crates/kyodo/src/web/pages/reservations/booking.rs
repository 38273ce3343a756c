//! Signed in: the booking form (仮予約), the user's own bookings with their numbers, deadlines and
//! fees, and cancelling one.

use super::{day, status_key, yen};
use crate::error::{AppError, AppResult};
use crate::reservations::booking::{self, BookingForm};
use crate::reservations::facilities::{self as store, Facility, Room, Slot};
use crate::reservations::{listing, registrations, today};
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

#[derive(Template)]
#[template(path = "reservations/book.html")]
struct BookPage<'a> {
    s: Shell<'a>,
    f: Facility,
    room: Room,
    heading: String,
    /// (slot, "午前 09:00〜12:00 (市内 2,100円)")
    slots: Vec<(Slot, String)>,
    registered: bool,
    capacity_hint: String,
    form: BookingForm,
}

async fn book_page(
    st: &WebState,
    ctx: &Ctx,
    room_id: i64,
    form: BookingForm,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let user = ctx.require_user()?.user_id;
    let room = store::room(&st.app.db, org, room_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = store::get(&st.app.db, org, room.facility_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slots = store::slots(&st.app.db, org, room.id)
        .await?
        .into_iter()
        .map(|s| {
            let text = t.f(
                "rsv.slot_option",
                &[&s.label, &s.starts_at, &s.ends_at, &yen(t, s.fee_resident)],
            );
            (s, text)
        })
        .collect();
    let registered = registrations::get(&st.app.db, org, user)
        .await?
        .is_some_and(|r| r.is_active());
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = BookPage {
        s: Shell::new(ctx, "rsv.book_title").with_errors(errs),
        heading: t.f("rsv.book_heading", &[&f.name, &room.name]),
        capacity_hint: t.f("rsv.capacity_text", &[&room.capacity]),
        f,
        room,
        slots,
        registered,
        form,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn form(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<BookingForm>,
) -> AppResult<Response> {
    let form = BookingForm {
        attendees: String::new(),
        ..q
    };
    book_page(&st, &ctx, id, form, FieldErrors::default()).await
}

pub async fn book(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BookingForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match booking::book(&st.app, ctx.org_id(), user, id, &f, today()).await {
        Ok(_) => Ok(see_other(&st, "/facilities/my", "rsv.booked")),
        // Someone else was first: a short answer pointing back to the month's availability,
        // where another slot is chosen (also the cheap answer when many want one slot).
        Err(AppError::Invalid(errs)) if errs.get("slot") == Some("rsv.taken") => {
            let month = kyodo_jp::wareki::parse_date(&f.date)
                .map(|d| d.format("%Y-%m").to_string())
                .unwrap_or_default();
            let grid = format!("/facilities/rooms/{id}?month={month}");
            let mut res = crate::web::pages::message(
                &ctx,
                "rsv.taken_title",
                &["rsv.taken"],
                Some((&grid, "rsv.back_to_grid")),
            )?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(unchanged(res))
        }
        Err(AppError::Invalid(errs)) => book_page(&st, &ctx, id, f, errs).await,
        Err(e) => Err(e),
    }
}

pub struct MineRow {
    pub id: i64,
    pub number: String,
    pub place: String,
    pub when: String,
    pub status: &'static str,
    pub fee_due: String,
    pub deadline: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "reservations/mine.html")]
struct MinePage<'a> {
    s: Shell<'a>,
    registration: Option<registrations::Registration>,
    rows: Vec<MineRow>,
}

pub async fn mine(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    mine_page(&st, &ctx, FieldErrors::default()).await
}

async fn mine_page(st: &WebState, ctx: &Ctx, errs: FieldErrors) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let user = ctx.require_user()?.user_id;
    let at = crate::db::now();
    let rows = listing::of_user(&st.app.db, org, user)
        .await?
        .into_iter()
        .map(|b| MineRow {
            id: b.id,
            place: format!("{} {}", b.facility, b.room),
            when: format!(
                "{} {} {}〜{}",
                day(t, &b.used_on),
                b.slot,
                b.starts_at,
                b.ends_at
            ),
            status: status_key(b.shown_status(&at)),
            fee_due: yen(t, b.fee_due),
            deadline: if b.shown_status(&at) == "provisional" {
                t.datetime(&b.deadline)
            } else {
                String::new()
            },
            active: b.holds(&at),
            number: b.number,
        })
        .collect();
    let registration = registrations::get(&st.app.db, org, user).await?;
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = MinePage {
        s: Shell::new(ctx, "rsv.my_title").with_errors(errs),
        registration,
        rows,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn cancel(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match crate::reservations::lifecycle::cancel(&st.app, ctx.org_id(), user, id, false).await {
        Ok(()) => Ok(see_other(&st, "/facilities/my", "rsv.cancelled")),
        Err(AppError::Invalid(errs)) => mine_page(&st, &ctx, errs).await,
        Err(e) => Err(e),
    }
}
