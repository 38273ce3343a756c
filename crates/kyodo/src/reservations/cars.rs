//! 公用車 — official cars booked by staff by the hour, the same idea as a room's slots: each hour
//! of a booking is a row keyed by (car, day, hour), so two bookings never hold one hour (on any
//! number of instances). Keys are handed over and returned with the odometer; use per car and
//! month is the data behind "fewer cars".

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// Hours a car can be booked: 7:00 to 22:00.
pub const FIRST_HOUR: i64 = 7;
pub const LAST_HOUR: i64 = 22;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Car {
    pub id: i64,
    pub name: String,
    pub plate: String,
    pub seats: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CarBooking {
    pub id: i64,
    pub car_id: i64,
    pub car: String,
    pub used_on: String,
    pub from_hour: i64,
    pub to_hour: i64,
    pub user_name: String,
    pub purpose: String,
    pub destination: String,
    pub status: String,
    pub odometer_out: Option<i64>,
    pub odometer_in: Option<i64>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CarBookingForm {
    pub car: String,
    pub date: String,
    pub from_hour: String,
    pub to_hour: String,
    pub purpose: String,
    pub destination: String,
}

fn invalid(field: &str, key: &'static str) -> AppError {
    let mut errs = FieldErrors::default();
    errs.add(field, key);
    AppError::Invalid(errs)
}

pub async fn cars(db: &Db, org: i64) -> sqlx::Result<Vec<Car>> {
    sqlx::query_as(
        "SELECT id, name, plate, seats FROM car_vehicles WHERE organization_id = $1 ORDER BY name",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// Adds a car (demo data and the staff page).
pub async fn add_car(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    name: &str,
    plate: &str,
    seats: i64,
    is_demo: bool,
) -> sqlx::Result<i64> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO car_vehicles (organization_id, id, name, plate, seats, is_demo) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org)
    .bind(id)
    .bind(name)
    .bind(plate)
    .bind(seats)
    .bind(i64::from(is_demo))
    .execute(conn)
    .await?;
    Ok(id)
}

/// The bookings of a day, every car, by car and hour.
pub async fn of_day(db: &Db, org: i64, day: &str) -> sqlx::Result<Vec<CarBooking>> {
    sqlx::query_as(
        "SELECT b.id, b.car_id, c.name AS car, b.used_on, b.from_hour, b.to_hour, u.display_name AS user_name, b.purpose, \
         b.destination, b.status, b.odometer_out, b.odometer_in FROM car_bookings b \
         JOIN car_vehicles c ON c.organization_id = b.organization_id AND c.id = b.car_id \
         JOIN users u ON u.organization_id = b.organization_id AND u.id = b.user_id \
         WHERE b.organization_id = $1 AND b.used_on = $2 AND b.status <> 'cancelled' ORDER BY c.name, b.from_hour",
    )
    .bind(org)
    .bind(day)
    .fetch_all(db)
    .await
}

/// Books a car for [from, to) hours of a day.
pub async fn book(
    app: &App,
    org: i64,
    user: i64,
    f: &CarBookingForm,
    today: NaiveDate,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let car = f.car.trim().parse::<i64>().unwrap_or(0);
    if !cars(&app.db, org).await?.iter().any(|c| c.id == car) {
        errs.add("car", "field.bad_choice");
    }
    let day = kyodo_jp::wareki::parse_date(&f.date).ok();
    match day {
        None => errs.add("date", "field.bad_date"),
        Some(d) if d < today => errs.add("date", "rsv.in_past"),
        _ => {}
    }
    let hour = |raw: &str| {
        kyodo_jp::numbers::parse_amount(raw)
            .ok()
            .flatten()
            .filter(|h| (FIRST_HOUR..=LAST_HOUR).contains(h))
    };
    let (from, to) = (hour(&f.from_hour), hour(&f.to_hour));
    if from.is_none() {
        errs.add("from_hour", "car.bad_hour");
    }
    match (from, to) {
        (_, None) => errs.add("to_hour", "car.bad_hour"),
        (Some(a), Some(b)) if b <= a => errs.add("to_hour", "car.hours_reversed"),
        _ => {}
    }
    let purpose = errs.text("purpose", &f.purpose, 200);
    let destination = errs.optional_text("destination", &f.destination, 200);
    errs.into_result()?;
    let (Some(day), Some(from), Some(to)) = (day, from, to) else {
        return Err(AppError::BadRequest("field.bad_choice"));
    };
    let used_on = day.format("%Y-%m-%d").to_string();
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO car_bookings (organization_id, id, car_id, used_on, from_hour, to_hour, user_id, purpose, destination, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'booked', $10)",
    )
    .bind(org)
    .bind(id)
    .bind(car)
    .bind(&used_on)
    .bind(from)
    .bind(to)
    .bind(user)
    .bind(&purpose)
    .bind(&destination)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    for h in from..to {
        let taken = sqlx::query(
            "INSERT INTO car_booking_hours (organization_id, car_id, used_on, hour, booking_id) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (organization_id, car_id, used_on, hour) DO NOTHING",
        )
        .bind(org)
        .bind(car)
        .bind(&used_on)
        .bind(h)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() == 0 {
            // Dropping the transaction rolls back the hours already taken.
            return Err(invalid("from_hour", "car.taken"));
        }
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(user),
        Change {
            action: "cars.book",
            target_type: "car_booking",
            target_id: id.to_string(),
            before: None,
            after: Some(
                serde_json::json!({ "car": car, "used_on": used_on, "from": from, "to": to }),
            ),
        },
    )
    .await?;
    Ok(id)
}

/// Key handed over (`out`) or returned (`in`) with the odometer reading; cancelling frees the hours.
pub async fn step(
    app: &App,
    org: i64,
    staff: i64,
    id: i64,
    step: &str,
    odometer: &str,
) -> AppResult<()> {
    let current: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT status, odometer_out FROM car_bookings WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(&app.db)
    .await?;
    let (status, out_km) = current.ok_or(AppError::NotFound)?;
    let km = kyodo_jp::numbers::parse_amount(odometer)
        .ok()
        .flatten()
        .filter(|k| *k >= 0);
    let (sql, next) = match (step, status.as_str()) {
        ("out", "booked") => {
            let km = km.ok_or_else(|| invalid("odometer", "car.bad_odometer"))?;
            (
                "UPDATE car_bookings SET status = 'out', key_out_at = $1, odometer_out = $2 WHERE organization_id = $3 AND id = $4 AND status = 'booked'",
                Some(km),
            )
        }
        ("in", "out") => {
            let km = km
                .filter(|k| out_km.is_none_or(|o| *k >= o))
                .ok_or_else(|| invalid("odometer", "car.bad_odometer"))?;
            (
                "UPDATE car_bookings SET status = 'returned', key_in_at = $1, odometer_in = $2 WHERE organization_id = $3 AND id = $4 AND status = 'out'",
                Some(km),
            )
        }
        ("cancel", "booked") => (
            "UPDATE car_bookings SET status = 'cancelled', key_in_at = $1, odometer_in = $2 WHERE organization_id = $3 AND id = $4 AND status = 'booked'",
            None,
        ),
        _ => return Err(invalid("odometer", "car.bad_step")),
    };
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(now())
        .bind(next)
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(invalid("odometer", "car.bad_step"));
    }
    if step == "cancel" {
        sqlx::query("DELETE FROM car_booking_hours WHERE organization_id = $1 AND booking_id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "cars.step",
            target_type: "car_booking",
            target_id: id.to_string(),
            before: Some(serde_json::json!({ "status": status })),
            after: Some(serde_json::json!({ "step": step, "odometer": next })),
        },
    )
    .await?;
    Ok(())
}

/// Use per car in a month: (car, hours booked, weekday hours available 8:00–17:00, km driven).
pub async fn month_use(
    db: &Db,
    org: i64,
    first: NaiveDate,
) -> sqlx::Result<Vec<(String, i64, i64, i64)>> {
    let month = first.format("%Y-%m").to_string();
    let weekdays = first
        .iter_days()
        .take_while(|d| d.month() == first.month())
        .filter(|d| d.weekday().number_from_monday() <= 5)
        .count() as i64;
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT c.name, CAST(COALESCE(SUM(CASE WHEN b.status <> 'cancelled' THEN b.to_hour - b.from_hour ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN b.status = 'returned' THEN b.odometer_in - b.odometer_out ELSE 0 END), 0) AS BIGINT) \
         FROM car_vehicles c LEFT JOIN car_bookings b ON b.organization_id = c.organization_id AND b.car_id = c.id \
         AND substr(b.used_on, 1, 7) = $2 WHERE c.organization_id = $1 GROUP BY c.name ORDER BY c.name",
    )
    .bind(org)
    .bind(&month)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, hours, km)| (name, hours, weekdays * 9, km))
        .collect())
}
