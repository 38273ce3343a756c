//! 施設 — facilities, their rooms and each room's slots and fees, as stored.

use crate::db::flag::{self, Flag};
use crate::db::{Db, new_id};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Facility {
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub address: String,
    pub hours: String,
    pub closed_weekdays: String,
    pub contact: String,
    /// direct | designated (指定管理者)
    pub manager_kind: String,
    pub manager_name: String,
    /// Who may book: any | residents | groups.
    pub booking_rule: String,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub is_demo: bool,
}

impl Facility {
    /// Is the facility closed every week on this ISO weekday (1 = Monday)?
    pub fn closed_on_weekday(&self, weekday: u32) -> bool {
        self.closed_weekdays
            .split(',')
            .any(|d| d.trim().parse::<u32>() == Ok(weekday))
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Room {
    pub id: i64,
    pub facility_id: i64,
    pub name: String,
    pub capacity: i64,
    pub area_m2: Option<f64>,
    pub equipment: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Slot {
    pub code: String,
    pub label: String,
    pub starts_at: String,
    pub ends_at: String,
    pub fee_resident: i64,
    pub fee_nonresident: i64,
    pub fee_commercial: i64,
}

impl Slot {
    pub fn fee_for(&self, audience: super::fees::Audience) -> i64 {
        use super::fees::Audience::*;
        match audience {
            Resident => self.fee_resident,
            NonResident => self.fee_nonresident,
            Commercial => self.fee_commercial,
        }
    }
}

const FACILITY_COLUMNS: &str = "id, name, kana, address, hours, closed_weekdays, contact, manager_kind, manager_name, booking_rule, is_demo";
const ROOM_COLUMNS: &str = "id, facility_id, name, capacity, area_m2, equipment";
const SLOT_COLUMNS: &str =
    "code, label, starts_at, ends_at, fee_resident, fee_nonresident, fee_commercial";

pub async fn list(db: &Db, org: i64) -> sqlx::Result<Vec<Facility>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {FACILITY_COLUMNS} FROM rsv_facilities WHERE organization_id = $1 ORDER BY kana, name"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

pub async fn get(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org: i64,
    id: i64,
) -> sqlx::Result<Option<Facility>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {FACILITY_COLUMNS} FROM rsv_facilities WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Every room of the organization (for the list of facilities), in page order.
pub async fn all_rooms(db: &Db, org: i64) -> sqlx::Result<Vec<Room>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ROOM_COLUMNS} FROM rsv_rooms WHERE organization_id = $1 ORDER BY facility_id, sort, id"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// Every room as staff pages name it: (id, "facility room", capacity), by facility and order.
pub async fn room_names(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, String, i64)>> {
    sqlx::query_as(
        "SELECT r.id, f.name || ' ' || r.name, r.capacity FROM rsv_rooms r \
         JOIN rsv_facilities f ON f.organization_id = r.organization_id AND f.id = r.facility_id \
         WHERE r.organization_id = $1 ORDER BY f.kana, f.name, r.sort, r.id",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

pub async fn rooms(db: &Db, org: i64, facility: i64) -> sqlx::Result<Vec<Room>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ROOM_COLUMNS} FROM rsv_rooms WHERE organization_id = $1 AND facility_id = $2 ORDER BY sort, id"
    )))
    .bind(org)
    .bind(facility)
    .fetch_all(db)
    .await
}

pub async fn room(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org: i64,
    id: i64,
) -> sqlx::Result<Option<Room>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ROOM_COLUMNS} FROM rsv_rooms WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A room's slots in the order of the day.
pub async fn slots(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org: i64,
    room: i64,
) -> sqlx::Result<Vec<Slot>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SLOT_COLUMNS} FROM rsv_slots WHERE organization_id = $1 AND room_id = $2 ORDER BY starts_at, code"
    )))
    .bind(org)
    .bind(room)
    .fetch_all(db)
    .await
}

/// A facility with its rooms in page order, each with its slots in the order of the day.
pub type WithRooms = (Facility, Vec<(Room, Vec<Slot>)>);

/// A facility, its rooms and their slots in three reads at once (the facility's page and API);
/// `None` when the organization has no such facility.
pub async fn with_rooms(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<WithRooms>> {
    let (f, rooms, mut slots) = tokio::try_join!(
        get(db, org, id),
        rooms(db, org, id),
        slots_by_room(db, org, id)
    )?;
    Ok(f.map(|f| {
        let rooms = rooms
            .into_iter()
            .map(|r| {
                let mine = slots.remove(&r.id).unwrap_or_default();
                (r, mine)
            })
            .collect();
        (f, rooms)
    }))
}

/// Every room's slots of a facility in one query, by room.
async fn slots_by_room(
    db: &Db,
    org: i64,
    facility: i64,
) -> sqlx::Result<std::collections::HashMap<i64, Vec<Slot>>> {
    type Row = (i64, String, String, String, String, i64, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.room_id, s.code, s.label, s.starts_at, s.ends_at, s.fee_resident, \
         s.fee_nonresident, s.fee_commercial FROM rsv_slots s JOIN rsv_rooms r \
         ON r.organization_id = s.organization_id AND r.id = s.room_id \
         WHERE s.organization_id = $1 AND r.facility_id = $2 ORDER BY s.room_id, s.starts_at, s.code",
    )
    .bind(org)
    .bind(facility)
    .fetch_all(db)
    .await?;
    let mut by_room: std::collections::HashMap<i64, Vec<Slot>> = Default::default();
    for (room, code, label, starts_at, ends_at, resident, nonresident, commercial) in rows {
        by_room.entry(room).or_default().push(Slot {
            code,
            label,
            starts_at,
            ends_at,
            fee_resident: resident,
            fee_nonresident: nonresident,
            fee_commercial: commercial,
        });
    }
    Ok(by_room)
}

/// A facility to write (demo data and the 公共施設一覧 import).
#[derive(Debug, Clone, Default)]
pub struct NewFacility {
    pub name: String,
    pub kana: String,
    pub address: String,
    pub hours: String,
    pub closed_weekdays: String,
    pub contact: String,
    pub manager_kind: String,
    pub manager_name: String,
}

pub async fn insert_facility(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    f: &NewFacility,
    is_demo: bool,
) -> sqlx::Result<i64> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO rsv_facilities (organization_id, id, name, kana, address, hours, closed_weekdays, contact, manager_kind, manager_name, is_demo) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(org)
    .bind(id)
    .bind(&f.name)
    .bind(&f.kana)
    .bind(&f.address)
    .bind(&f.hours)
    .bind(&f.closed_weekdays)
    .bind(&f.contact)
    .bind(&f.manager_kind)
    .bind(&f.manager_name)
    .bind(i64::from(is_demo))
    .execute(conn)
    .await?;
    Ok(id)
}

/// Replaces a facility's details (the staff's edit form, checked before).
pub async fn update_facility(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    id: i64,
    f: &NewFacility,
    booking_rule: &str,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE rsv_facilities SET name = $1, kana = $2, address = $3, hours = $4, closed_weekdays = $5, \
         contact = $6, manager_kind = $7, manager_name = $8, booking_rule = $9 WHERE organization_id = $10 AND id = $11",
    )
    .bind(&f.name)
    .bind(&f.kana)
    .bind(&f.address)
    .bind(&f.hours)
    .bind(&f.closed_weekdays)
    .bind(&f.contact)
    .bind(&f.manager_kind)
    .bind(&f.manager_name)
    .bind(booking_rule)
    .bind(org)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Adds a room with its slots: (code, label, start, end, [市内, 市外, 営利] fees).
pub async fn insert_room(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    facility: i64,
    (name, capacity, area_m2, equipment, sort): (&str, i64, Option<f64>, &str, i64),
    slots: &[(&str, &str, &str, &str, [i64; 3])],
) -> sqlx::Result<i64> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO rsv_rooms (organization_id, id, facility_id, name, capacity, area_m2, equipment, sort) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(org)
    .bind(id)
    .bind(facility)
    .bind(name)
    .bind(capacity)
    .bind(crate::db::Real(area_m2))
    .bind(equipment)
    .bind(sort)
    .execute(&mut *conn)
    .await?;
    for (code, label, starts, ends, [resident, nonresident, commercial]) in slots {
        sqlx::query(
            "INSERT INTO rsv_slots (organization_id, room_id, code, label, starts_at, ends_at, fee_resident, fee_nonresident, fee_commercial) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(org)
        .bind(id)
        .bind(*code)
        .bind(*label)
        .bind(*starts)
        .bind(*ends)
        .bind(*resident)
        .bind(*nonresident)
        .bind(*commercial)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// A closure (休館) of a facility (`room` 0) or of one room, inclusive dates.
pub async fn insert_closure(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    facility: i64,
    room: i64,
    (starts_on, ends_on): (&str, &str),
    reason: &str,
) -> sqlx::Result<i64> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO rsv_closures (organization_id, id, facility_id, room_id, starts_on, ends_on, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(org)
    .bind(id)
    .bind(facility)
    .bind(room)
    .bind(starts_on)
    .bind(ends_on)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(id)
}

/// (starts_on, ends_on, reason) of the closures of a room (its own and its facility's) that
/// overlap [from, to].
pub async fn closures(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org: i64,
    room: &Room,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT starts_on, ends_on, reason FROM rsv_closures WHERE organization_id = $1 AND facility_id = $2 \
         AND (room_id = 0 OR room_id = $3) AND starts_on <= $4 AND ends_on >= $5 ORDER BY starts_on",
    )
    .bind(org)
    .bind(room.facility_id)
    .bind(room.id)
    .bind(to)
    .bind(from)
    .fetch_all(db)
    .await
}
