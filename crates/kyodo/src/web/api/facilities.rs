//! 施設予約 in the API: the facilities with their rooms, one facility with every room's slots and
//! fees and this fiscal year's use by month, and a room's month of availability (空き状況) — the
//! same grid as the room page, never who booked.

use crate::error::{AppError, AppResult};
use crate::participation::today;
use crate::reservations::availability;
use crate::reservations::facilities::{self as store, Facility};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

fn facility_json(f: &Facility) -> Value {
    json!({"id": f.id, "name": f.name, "kana": f.kana, "address": f.address, "hours": f.hours,
           "closed_weekdays": f.closed_weekdays, "contact": f.contact, "manager_kind": f.manager_kind,
           "manager_name": f.manager_name, "booking_rule": f.booking_rule, "is_demo": f.is_demo})
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let (facilities, rooms) = tokio::try_join!(store::list(db, org), store::all_rooms(db, org))?;
    let items: Vec<Value> = facilities
        .iter()
        .map(|f| {
            let mut v = facility_json(f);
            v["rooms"] = json!(
                rooms
                    .iter()
                    .filter(|r| r.facility_id == f.id)
                    .collect::<Vec<_>>()
            );
            v
        })
        .collect();
    Ok(Json(json!({ "facilities": items })))
}

pub async fn facility(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let (f, all_rooms, mut slots) = tokio::try_join!(
        store::get(db, org, id),
        store::rooms(db, org, id),
        store::slots_by_room(db, org, id)
    )?;
    let f = f.ok_or(AppError::NotFound)?;
    let mut rooms = Vec::new();
    for room in all_rooms {
        let slots = slots.remove(&room.id).unwrap_or_default();
        let mut v = json!(room);
        v["slots"] = json!(slots);
        v["availability"] = json!(format!("/api/v1/facilities/rooms/{}/availability", room.id));
        rooms.push(v);
    }
    let fy = kyodo_jp::FiscalYear::containing(today(), 4);
    let months = crate::reservations::utilisation::of_facility(db, org, &f, fy.0).await?;
    let usage: Vec<Value> = months
        .iter()
        .map(|m| {
            json!({"month": m.first.format("%Y-%m").to_string(), "slots_available": m.available,
                   "slots_used": m.used, "no_shows": m.no_shows, "use_rate_percent": m.rate(),
                   "fees_yen": m.revenue})
        })
        .collect();
    let mut out = facility_json(&f);
    out["rooms"] = json!(rooms);
    out["use_this_fiscal_year"] = json!({"fiscal_year": fy.0, "months": usage});
    Ok(Json(out))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MonthQuery {
    /// `YYYY-MM`; this month when left out.
    month: String,
}

/// A room's month: each day's cells by slot (free, taken, closed, lottery, not_open, over).
pub async fn availability(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<MonthQuery>,
) -> AppResult<Json<Value>> {
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let room = store::room(db, org, id).await?.ok_or(AppError::NotFound)?;
    let f = store::get(db, org, room.facility_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let day = today();
    let first = availability::month_start(&q.month, day);
    let m = availability::month(db, org, &f, &room, first, day, true).await?;
    let days: Vec<Value> = m
        .days
        .iter()
        .map(|d| {
            let cells: Vec<&str> = d
                .cells
                .iter()
                .map(|c| c.key().trim_start_matches("rsv.cell_"))
                .collect();
            json!({"date": d.date.format("%Y-%m-%d").to_string(), "slots": cells})
        })
        .collect();
    Ok(Json(json!({
        "room_id": room.id, "facility_id": f.id, "month": first.format("%Y-%m").to_string(),
        "slots": m.slots.iter().map(|s| json!({"code": s.code, "label": s.label, "starts_at": s.starts_at, "ends_at": s.ends_at})).collect::<Vec<_>>(),
        "days": days,
    })))
}

/// 抽選: before the draw its period and the SHA-256 of its seed; after it the seed, the number
/// of applicants and the wins by entry number (never a name), as the lottery's page.
pub async fn lottery(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    use crate::reservations::{draw, lottery};
    let (lot, f, room) = crate::web::pages::reservations::lottery::parts(&st, &ctx, id).await?;
    let mut out = json!({
        "id": lot.id, "facility_id": f.id, "room_id": room.id, "month": lot.month,
        "apply_from": lot.apply_from, "apply_until": lot.apply_until, "status": lot.status,
        "seed_sha256": draw::seed_digest(&lot.seed),
    });
    if !lot.is_open() {
        let wishes = lottery::wishes(st.reader(&ctx), ctx.org_id(), id).await?;
        let applicants = wishes
            .iter()
            .map(|w| w.0)
            .collect::<std::collections::HashSet<_>>()
            .len();
        let wins: Vec<Value> = wishes
            .iter()
            .filter(|w| w.4 == 1)
            .map(|(entry, rank, day, slot, _)| json!({"entry": entry, "rank": rank, "date": day, "slot": slot}))
            .collect();
        out["seed"] = json!(lot.seed);
        out["drawn_at"] = json!(lot.drawn_at);
        out["applicants"] = json!(applicants);
        out["wins"] = json!(wins);
        out["inputs_csv"] = json!(format!("/facilities/lotteries/{id}/inputs.csv"));
    }
    Ok(Json(out))
}
