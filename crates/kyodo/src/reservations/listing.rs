//! Bookings as pages show them: a user's own, a day's at every facility (the counter's list), one
//! booking with everything its 利用許可書 needs.

use crate::db::Db;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BookingRow {
    pub id: i64,
    pub number: String,
    pub room_id: i64,
    pub room: String,
    pub facility_id: i64,
    pub facility: String,
    pub used_on: String,
    pub slot_code: String,
    pub slot: String,
    pub starts_at: String,
    pub ends_at: String,
    pub user_id: i64,
    /// The user's name and registration: shown to the user and to staff only.
    pub user_name: String,
    /// The registration's telephone (staff contact the user with it).
    pub phone: String,
    pub status: String,
    pub purpose: String,
    pub attendees: i64,
    pub audience: String,
    pub fee: i64,
    pub exemption_percent: i64,
    pub fee_due: i64,
    pub deadline: String,
    pub created_at: String,
    pub confirmed_at: Option<String>,
    /// Set when staff marked a 本予約 不使用 (nobody came).
    pub no_show_at: Option<String>,
}

impl BookingRow {
    /// Still holding its slot (a 仮予約 before its deadline, or a 本予約).
    pub fn holds(&self, now: &str) -> bool {
        self.status == "confirmed"
            || (self.status == "provisional" && self.deadline.as_str() >= now)
    }

    /// The status shown: a 仮予約 past its deadline is released even before the timer wrote it.
    pub fn shown_status(&self, now: &str) -> &str {
        if self.status == "provisional" && self.deadline.as_str() < now {
            "released"
        } else if self.status == "confirmed" && self.no_show_at.is_some() {
            "no_show"
        } else {
            &self.status
        }
    }
}

pub(super) const SELECT: &str = "SELECT b.id, b.number, b.room_id, r.name AS room, r.facility_id, f.name AS facility, b.used_on, \
     b.slot_code, COALESCE(s.label, b.slot_code) AS slot, COALESCE(s.starts_at, '') AS starts_at, COALESCE(s.ends_at, '') AS ends_at, \
     b.user_id, u.display_name AS user_name, COALESCE(g.phone, '') AS phone, b.status, b.purpose, b.attendees, b.audience, b.fee, b.exemption_percent, b.fee_due, \
     b.deadline, b.created_at, b.confirmed_at, b.no_show_at \
     FROM rsv_bookings b \
     JOIN rsv_rooms r ON r.organization_id = b.organization_id AND r.id = b.room_id \
     JOIN rsv_facilities f ON f.organization_id = r.organization_id AND f.id = r.facility_id \
     JOIN users u ON u.organization_id = b.organization_id AND u.id = b.user_id \
     LEFT JOIN rsv_registrations g ON g.organization_id = b.organization_id AND g.user_id = b.user_id \
     LEFT JOIN rsv_slots s ON s.organization_id = b.organization_id AND s.room_id = b.room_id AND s.code = b.slot_code";

/// The user's bookings, the coming ones first by date, then the past, at most 200.
pub async fn of_user(db: &Db, org: i64, user: i64) -> sqlx::Result<Vec<BookingRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE b.organization_id = $1 AND b.user_id = $2 ORDER BY b.used_on DESC, s.starts_at LIMIT 200"
    )))
    .bind(org)
    .bind(user)
    .fetch_all(db)
    .await
}

/// Every booking for a day that holds or held a slot, by facility, room and time.
pub async fn of_day(db: &Db, org: i64, day: &str) -> sqlx::Result<Vec<BookingRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE b.organization_id = $1 AND b.used_on = $2 ORDER BY f.kana, f.name, r.sort, r.id, s.starts_at, b.created_at"
    )))
    .bind(org)
    .bind(day)
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<BookingRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE b.organization_id = $1 AND b.id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// (used_on, slot_code, status, deadline) of the bookings of a room in [from, to] that hold a
/// slot: what the availability grid needs, nothing personal.
pub async fn held_in(
    db: &Db,
    org: i64,
    room: i64,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<(String, String, String, String)>> {
    sqlx::query_as(
        "SELECT used_on, slot_code, status, deadline FROM rsv_bookings WHERE organization_id = $1 AND room_id = $2 \
         AND held = 1 AND used_on >= $3 AND used_on <= $4",
    )
    .bind(org)
    .bind(room)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
