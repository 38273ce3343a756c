//! 抽選 for citizens: a lottery's page (before the draw: the period and the seed's digest; after:
//! the seed, the wins by entry number and how to run the draw again), its inputs as open data, and
//! the application form (up to three wishes).

use super::short_day;
use crate::error::{AppError, AppResult};
use crate::reservations::draw::{self, COLUMNS};
use crate::reservations::facilities::{self as store, Facility, Room, Slot};
use crate::reservations::lottery::{self, Lottery, MAX_WISHES};
use crate::reservations::today;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::unchanged;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// A lottery with its room and facility (the page and the API).
pub async fn parts(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<(Lottery, Facility, Room)> {
    let db = st.reader(ctx);
    let org = ctx.org_id();
    let lot = lottery::get(db, org, id).await?.ok_or(AppError::NotFound)?;
    let room = store::room(db, org, lot.room_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = store::get(db, org, room.facility_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((lot, f, room))
}

pub struct WinRow {
    pub entry: i64,
    pub rank: i64,
    pub when: String,
}

#[derive(Template)]
#[template(path = "reservations/lottery.html")]
struct LotteryPage<'a> {
    s: Shell<'a>,
    lot: Lottery,
    f: Facility,
    room: Room,
    heading: String,
    period: String,
    digest: String,
    applicants: usize,
    wins: Vec<WinRow>,
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let (lot, f, room) = parts(&st, &ctx, id).await?;
    let slots = store::slots(st.reader(&ctx), ctx.org_id(), room.id).await?;
    let wishes = lottery::wishes(st.reader(&ctx), ctx.org_id(), id).await?;
    let applicants = wishes
        .iter()
        .map(|w| w.0)
        .collect::<std::collections::HashSet<_>>()
        .len();
    let wins = wishes
        .into_iter()
        .filter(|w| w.4 == 1)
        .map(|(entry, rank, day, code, _)| WinRow {
            entry,
            rank,
            when: when(t, &day, &code, &slots),
        })
        .collect();
    let page = LotteryPage {
        heading: t.f("rsv.lottery_heading", &[&f.name, &room.name, &lot.month]),
        period: format!(
            "{} 〜 {}",
            super::day(t, &lot.apply_from),
            super::day(t, &lot.apply_until)
        ),
        digest: draw::seed_digest(&lot.seed),
        s: Shell::new(&ctx, "rsv.lottery_title"),
        lot,
        f,
        room,
        applicants,
        wins,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

fn when(t: crate::i18n::Tr, day: &str, code: &str, slots: &[Slot]) -> String {
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| short_day(t, d))
        .unwrap_or_else(|_| day.to_string());
    match slots.iter().find(|s| s.code == code) {
        Some(s) => format!("{d} {} {}〜{}", s.label, s.starts_at, s.ends_at),
        None => format!("{d} {code}"),
    }
}

/// The draw's inputs after the draw, as open data: every wish by entry number (never a name) and
/// the pairs that were not available. With the published seed, `kyodo reservations draw`
/// reproduces the result.
pub async fn inputs_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (lot, _, _) = parts(&st, &ctx, id).await?;
    if lot.is_open() {
        return Err(AppError::NotFound);
    }
    let mut rows: Vec<Vec<String>> = lottery::wishes(st.reader(&ctx), ctx.org_id(), id)
        .await?
        .into_iter()
        .map(|(e, r, d, s, _)| vec!["希望".into(), e.to_string(), r.to_string(), d, s])
        .collect();
    for line in lot.excluded.lines() {
        if let Some((d, s)) = line.split_once(' ') {
            rows.push(vec![
                "除外".into(),
                String::new(),
                String::new(),
                d.into(),
                s.into(),
            ]);
        }
    }
    crate::web::download::csv_body(&COLUMNS, rows, format!("lottery-{id}-inputs.csv"))
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    wish1_date: String,
    wish1_slot: String,
    wish2_date: String,
    wish2_slot: String,
    wish3_date: String,
    wish3_slot: String,
}

#[derive(Template)]
#[template(path = "reservations/lottery_apply.html")]
struct ApplyPage<'a> {
    s: Shell<'a>,
    lot: Lottery,
    heading: String,
    slots: Vec<Slot>,
    entry: Option<i64>,
    wishes: Vec<WishRow>,
}

pub struct WishRow {
    pub legend: String,
    pub date_field: String,
    pub slot_field: String,
    pub date: String,
    pub slot: String,
}

async fn apply_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: ApplyForm,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let user = ctx.require_user()?.user_id;
    let (lot, f, room) = parts(st, ctx, id).await?;
    let slots = store::slots(&st.app.db, ctx.org_id(), room.id).await?;
    let entry = lottery::entry_of(&st.app.db, ctx.org_id(), id, user).await?;
    let typed = [
        (form.wish1_date, form.wish1_slot),
        (form.wish2_date, form.wish2_slot),
        (form.wish3_date, form.wish3_slot),
    ];
    let wishes = typed
        .into_iter()
        .take(MAX_WISHES)
        .enumerate()
        .map(|(i, (date, slot))| WishRow {
            legend: t.f("rsv.lottery_wish", &[&(i + 1)]),
            date_field: format!("wish{}_date", i + 1),
            slot_field: format!("wish{}_slot", i + 1),
            date,
            slot,
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ApplyPage {
        s: Shell::new(ctx, "rsv.lottery_apply_title").with_errors(errs),
        heading: t.f("rsv.lottery_heading", &[&f.name, &room.name, &lot.month]),
        lot,
        slots,
        entry,
        wishes,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn apply_form(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    apply_page(&st, &ctx, id, ApplyForm::default(), FieldErrors::default()).await
}

pub async fn apply(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ApplyForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let lot = lottery::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let wishes = [
        (f.wish1_date.clone(), f.wish1_slot.clone()),
        (f.wish2_date.clone(), f.wish2_slot.clone()),
        (f.wish3_date.clone(), f.wish3_slot.clone()),
    ];
    match lottery::apply(&st.app, ctx.org_id(), user, &lot, &wishes, today()).await {
        // The applicant count shows on the lottery's page only after the draw.
        Ok(_) => Ok(unchanged(see_other(
            &st,
            &format!("/facilities/lotteries/{id}/apply"),
            "rsv.lottery_applied",
        ))),
        Err(AppError::Invalid(errs)) => apply_page(&st, &ctx, id, f, errs).await,
        Err(e) => Err(e),
    }
}
