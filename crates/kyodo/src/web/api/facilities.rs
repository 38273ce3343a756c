//! 施設予約 in the API: the facilities with their rooms, one facility with every room's slots and
//! fees and this fiscal year's use by month, and a room's month of availability (空き状況) — the
//! same grid as the room page, never who booked.

use crate::error::AppResult;
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
    let data = crate::web::pages::reservations::facility_data::facility_data(&st, ctx.org_id(), id)
        .await?;
    let rooms: Vec<Value> = data
        .rooms
        .iter()
        .map(|(room, slots)| {
            let mut v = json!(room);
            v["slots"] = json!(slots);
            v["availability"] = json!(format!("/api/v1/facilities/rooms/{}/availability", room.id));
            v
        })
        .collect();
    let (f, fy) = (&data.facility, data.fiscal_year);
    let usage: Vec<Value> = data
        .months
        .iter()
        .map(|m| {
            json!({"month": m.first.format("%Y-%m").to_string(), "slots_available": m.available,
                   "slots_used": m.used, "no_shows": m.no_shows, "use_rate_percent": m.rate(),
                   "fees_yen": m.revenue})
        })
        .collect();
    let mut out = facility_json(f);
    out["rooms"] = json!(rooms);
    out["use_this_fiscal_year"] = json!({"fiscal_year": fy, "months": usage});
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
    let (data, at) =
        crate::web::pages::reservations::facility_data::room_data(&st, org, id).await?;
    let (room, m) = data.room_month(db, org, at, &q.month).await?;
    let f = &data.facility;
    let first = m.first;
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
