//! 休館 — closing a facility or one room for a period (repairs, events). Bookings already in the
//! period are not cancelled by the closure: staff get the list with each user's telephone to
//! contact them, and cancel at the counter.

use super::facilities;
use super::listing::{BookingRow, SELECT};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::AppResult;
use crate::validation::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ClosureForm {
    pub facility: String,
    /// A room's id, or empty / 0 for the whole facility.
    pub room: String,
    pub starts_on: String,
    pub ends_on: String,
    pub reason: String,
}

/// A closure as listed: (facility, room or "", from, to, reason).
pub async fn list(
    db: &Db,
    org: i64,
) -> sqlx::Result<Vec<(String, String, String, String, String)>> {
    sqlx::query_as(
        "SELECT f.name, COALESCE(r.name, ''), c.starts_on, c.ends_on, c.reason FROM rsv_closures c \
         JOIN rsv_facilities f ON f.organization_id = c.organization_id AND f.id = c.facility_id \
         LEFT JOIN rsv_rooms r ON r.organization_id = c.organization_id AND r.id = c.room_id \
         WHERE c.organization_id = $1 ORDER BY c.starts_on DESC LIMIT 200",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// Closes a facility or a room; returns the bookings in the period still holding their slots.
pub async fn close(app: &App, org: i64, staff: i64, f: &ClosureForm) -> AppResult<Vec<BookingRow>> {
    let mut errs = FieldErrors::default();
    let facility = f.facility.trim().parse::<i64>().unwrap_or(0);
    let room = f.room.trim().parse::<i64>().unwrap_or(0);
    if facilities::get(&app.db, org, facility).await?.is_none() {
        errs.add("facility", "field.bad_choice");
    }
    if room != 0
        && facilities::room(&app.db, org, room)
            .await?
            .is_none_or(|r| r.facility_id != facility)
    {
        errs.add("room", "field.bad_choice");
    }
    let from = kyodo_jp::wareki::parse_date(&f.starts_on).ok();
    let to = kyodo_jp::wareki::parse_date(&f.ends_on).ok();
    if from.is_none() {
        errs.add("starts_on", "field.bad_date");
    }
    match (from, to) {
        (_, None) => errs.add("ends_on", "field.bad_date"),
        (Some(a), Some(b)) if b < a => errs.add("ends_on", "rsv.period_reversed"),
        _ => {}
    }
    let reason = errs.text("reason", &f.reason, 200);
    errs.into_result()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Ok(Vec::new());
    };
    let (from, to) = (
        from.format("%Y-%m-%d").to_string(),
        to.format("%Y-%m-%d").to_string(),
    );
    let mut tx = app.begin_write().await?;
    let id =
        facilities::insert_closure(&mut tx, org, facility, room, (&from, &to), &reason).await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.close",
            target_type: "closure",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "facility": facility, "room": room, "from": from, "to": to, "reason": reason })),
        },
    )
    .await?;
    Ok(affected(&app.db, org, facility, room, &from, &to).await?)
}

/// Bookings of the facility (or one room) in [from, to] that still hold their slots.
pub async fn affected(
    db: &Db,
    org: i64,
    facility: i64,
    room: i64,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<BookingRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE b.organization_id = $1 AND r.facility_id = $2 AND ($3 = 0 OR b.room_id = $3) \
         AND b.used_on >= $4 AND b.used_on <= $5 AND b.held = 1 ORDER BY b.used_on, s.starts_at"
    )))
    .bind(org)
    .bind(facility)
    .bind(room)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
