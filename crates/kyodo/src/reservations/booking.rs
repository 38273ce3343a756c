//! 予約 — taking a slot. A 仮予約 (provisional booking) gets a number and a deadline; staff make it
//! 本予約 (confirmed) when it is paid at the counter; what is not completed by the deadline is
//! released. Two people never hold one slot: the database's partial unique index on (room, day,
//! slot) among the bookings that hold one decides, on any number of instances; the loser is told
//! the slot is taken.

use super::facilities::{self, Facility, Room, Slot};
use super::fees::{self, Audience};
use super::{Rules, registrations};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{new_id, now, timestamp};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// What the booking form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BookingForm {
    /// The day of use: ISO or as people write it (令和8年1月15日).
    pub date: String,
    pub slot: String,
    pub purpose: String,
    pub attendees: String,
    /// "1": 営利目的 (commercial use; never reduced)
    pub commercial: String,
}

/// A booking that was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub id: i64,
    pub number: String,
    pub fee_due: i64,
    pub deadline: String,
}

/// Checks a booking request against the room and the rules (everything but the slot being free),
/// with each problem beside its field.
async fn check(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    (facility, room, slots): (&Facility, &Room, &[Slot]),
    f: &BookingForm,
    rules: &Rules,
    today: NaiveDate,
) -> AppResult<(NaiveDate, Slot, String, i64)> {
    let mut errs = FieldErrors::default();
    let slot = slots.iter().find(|s| s.code == f.slot.trim()).cloned();
    if slot.is_none() {
        errs.add("slot", "field.bad_choice");
    }
    let date = kyodo_jp::wareki::parse_date(&f.date).ok();
    match date {
        None => errs.add("date", "field.bad_date"),
        Some(d) if d < today => errs.add("date", "rsv.in_past"),
        Some(d) if d < rules.first_bookable(today) => errs.add("date", "rsv.too_late"),
        Some(d) if d > rules.last_bookable(today) => errs.add("date", "rsv.beyond_window"),
        Some(d) => {
            let iso = d.format("%Y-%m-%d").to_string();
            if facility.closed_on_weekday(d.weekday().number_from_monday())
                || !facilities::closures(&mut *conn, org, room, &iso, &iso)
                    .await?
                    .is_empty()
            {
                errs.add("date", "rsv.closed");
            } else if super::lottery::open_for(&mut *conn, org, room.id, &iso[..7])
                .await?
                .is_some()
            {
                errs.add("date", "rsv.lottery_month_err");
            }
        }
    }
    // A slot of today that has begun (bookable on the day when `last_days_before` is 0).
    if let (Some(d), Some(s)) = (date, &slot)
        && d == today
        && super::slot_start(d, &s.starts_at).is_some_and(|t| t <= chrono::Utc::now())
    {
        errs.add("slot", "rsv.slot_started");
    }
    let purpose = errs.text("purpose", &f.purpose, 200);
    let attendees = kyodo_jp::numbers::parse_amount(&f.attendees);
    let attendees = match attendees {
        Ok(Some(n)) if n >= 1 && n <= room.capacity => n,
        Ok(Some(n)) if n > room.capacity => {
            errs.add("attendees", "rsv.over_capacity");
            0
        }
        Ok(None) => {
            errs.add("attendees", "field.required");
            0
        }
        _ => {
            errs.add("attendees", "field.not_a_number");
            0
        }
    };
    errs.into_result()?;
    match (date, slot) {
        (Some(d), Some(s)) => Ok((d, s, purpose, attendees)),
        _ => Err(AppError::BadRequest("field.bad_choice")),
    }
}

/// Makes a 仮予約 of `room` for the signed-in `user` (who needs an active 利用者登録).
///
/// The slot is taken first, in the write transaction, and everything else is checked after it
/// in the same transaction (dropping `tx` on any refusal rolls the claim back): when many want
/// one slot, every loser leaves after the claim's two statements instead of reading the room,
/// its rules and the user's registration first — only the winner pays for those.
pub async fn book(
    app: &App,
    org: i64,
    user: i64,
    room_id: i64,
    f: &BookingForm,
    today: NaiveDate,
) -> AppResult<Booked> {
    let day = kyodo_jp::wareki::parse_date(&f.date)
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string());
    let slot_code = f.slot.trim();
    // A slot already held is the common refusal after a burst: said after one read, outside
    // the write queue. (Only a refusal is decided here; the insert below decides who gets it.)
    let hold = match &day {
        Some(day) => hold_on(app, org, room_id, day, slot_code).await?,
        None => Hold::Free,
    };
    if hold == Hold::Held {
        return Err(taken());
    }
    let now_ts = now();
    let id = new_id();
    let mut tx = app.begin_write().await?;
    if let Some(day) = &day {
        let wanted = Claim {
            org,
            id,
            room: room_id,
            day,
            slot: slot_code,
            user,
        };
        claim(&mut tx, &wanted, &now_ts, hold == Hold::Lapsed).await?;
    }
    let room = facilities::room(&mut *tx, org, room_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slots = facilities::slots(&mut *tx, org, room.id).await?;
    let rules = Rules::load(&mut *tx, org).await?;
    let registration = registrations::get(&mut *tx, org, user).await?;
    let Some(registration) = registration.filter(|r| r.is_active()) else {
        let mut errs = FieldErrors::default();
        errs.add("registration", "rsv.not_registered");
        return Err(AppError::Invalid(errs));
    };
    let facility = facilities::get(&mut *tx, org, room.facility_id)
        .await?
        .ok_or(AppError::NotFound)?;
    super::facility_edit::check_may_book(&facility, &registration)?;
    let (date, slot, purpose, attendees) =
        check(&mut tx, org, (&facility, &room, &slots), f, &rules, today).await?;
    let audience = if f.commercial == "1" {
        Audience::Commercial
    } else if registration.resident == 1 {
        Audience::Resident
    } else {
        Audience::NonResident
    };
    let used_on = date.format("%Y-%m-%d").to_string();
    let fee = slot.fee_for(audience);
    let deadline = timestamp(rules.deadline(chrono::Utc::now(), date, &slot.starts_at));
    let use_year = i64::from(kyodo_jp::FiscalYear::containing(date, 4).0);

    // One user's bookings one at a time (on any instance), so the limit below holds: under
    // READ COMMITTED the count after the lock sees whatever the user's other booking committed.
    crate::db::serialize(&mut tx, org, &format!("reservations.user.{user}")).await?;
    // The user's limit, counting the booking just made.
    let holding: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rsv_bookings WHERE organization_id = $1 AND user_id = $2 AND held = 1 \
         AND used_on >= $3 AND (status = 'confirmed' OR deadline >= $4)",
    )
    .bind(org)
    .bind(user)
    .bind(today.format("%Y-%m-%d").to_string())
    .bind(&now_ts)
    .fetch_one(&mut *tx)
    .await?;
    if holding > rules.per_user_limit {
        let mut errs = FieldErrors::default();
        errs.add("slot", "rsv.limit_reached");
        return Err(AppError::Invalid(errs));
    }
    let exemption = registrations::exemption(&mut tx, org, user, use_year)
        .await?
        .map_or(0, |(_, rate)| rate);
    let fee_due = fees::charge(fee, exemption, audience, rules.rounding);
    // Numbers count per fiscal year of booking; only a booking that got its slot and passed
    // every check takes one.
    let booked_year = kyodo_jp::FiscalYear::containing(super::today(), 4).0;
    let n = super::numbers::take(app, &mut tx, org, booked_year, 1).await?;
    let number = number_for(booked_year, n);
    sqlx::query(
        "UPDATE rsv_bookings SET number = $1, purpose = $2, attendees = $3, audience = $4, fee = $5, \
         exemption_percent = $6, fee_due = $7, deadline = $8 WHERE organization_id = $9 AND id = $10",
    )
    .bind(&number)
    .bind(&purpose)
    .bind(attendees)
    .bind(audience.code())
    .bind(fee)
    .bind(if audience == Audience::Commercial {
        0
    } else {
        exemption
    })
    .bind(fee_due)
    .bind(&deadline)
    .bind(org)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    // The receipt by mail, queued with the booking (sent once it commits).
    let email: Option<String> =
        sqlx::query_scalar("SELECT email FROM users WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(to) = email {
        let due = crate::i18n::Tr::new(crate::i18n::Lang::Ja).datetime(&deadline);
        let body = format!(
            "仮予約を受け付けました。\n予約番号: {number}\n部屋: {}\n利用日: {used_on} {} {}〜{}\n納付額: {fee_due}円\n\
             手続きの期限: {due}(期限までに窓口で手続きがないと自動的に取り消されます)\n\n\
             Your provisional booking {number} ({used_on} {}–{}) was received. Complete it at the counter by {deadline}.\n",
            room.name, slot.label, slot.starts_at, slot.ends_at, slot.starts_at, slot.ends_at
        );
        app.mailer
            .enqueue(&mut tx, org, &to, "仮予約の受付 / Booking received", &body)
            .await?;
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(user),
        Change {
            action: "reservations.book",
            target_type: "booking",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "number": number, "room": room.id, "used_on": used_on, "slot": slot.code,
                "fee": fee, "exemption_percent": exemption, "fee_due": fee_due,
            })),
        },
    )
    .await?;
    app.mailer.wake();
    Ok(Booked {
        id,
        number,
        fee_due,
        deadline,
    })
}

/// "Someone else holds this slot", beside the slot field.
fn taken() -> AppError {
    let mut errs = FieldErrors::default();
    errs.add("slot", "rsv.taken");
    AppError::Invalid(errs)
}

/// A booking's claim on a (room, day, slot).
struct Claim<'a> {
    org: i64,
    id: i64,
    room: i64,
    day: &'a str,
    slot: &'a str,
    user: i64,
}

/// Takes the slot for booking `c.id` in `tx`, or says it is taken. The row's details (fee,
/// deadline, number) are placeholders until the checks after it pass; nobody else sees them
/// before the commit.
///
/// A 仮予約 past its deadline no longer holds its slot, whether or not the timer ran: with
/// `release_lapsed` (the read before found one) it is released first. When that read found no
/// holder, the release is skipped — it is one statement of three in the write queue for every
/// loser of a burst — and a holder that appeared since is a booking made moments ago, which holds.
async fn claim(
    tx: &mut sqlx::AnyConnection,
    c: &Claim<'_>,
    now_ts: &str,
    release_lapsed: bool,
) -> AppResult<()> {
    if release_lapsed {
        sqlx::query(
            "UPDATE rsv_bookings SET held = 0, status = 'released', ended_at = $1 WHERE organization_id = $2 \
             AND room_id = $3 AND used_on = $4 AND slot_code = $5 AND held = 1 AND status = 'provisional' AND deadline < $1",
        )
        .bind(now_ts)
        .bind(c.org)
        .bind(c.room)
        .bind(c.day)
        .bind(c.slot)
        .execute(&mut *tx)
        .await?;
    }
    let claimed = sqlx::query(
        "INSERT INTO rsv_bookings (organization_id, id, number, room_id, used_on, slot_code, user_id, status, held, purpose, attendees, \
         audience, fee, exemption_percent, fee_due, deadline, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'provisional', 1, '', 0, '', 0, 0, 0, $8, $8) \
         ON CONFLICT (organization_id, room_id, used_on, slot_code) WHERE held = 1 DO NOTHING",
    )
    .bind(c.org)
    .bind(c.id)
    .bind(format!("#{}", c.id))
    .bind(c.room)
    .bind(c.day)
    .bind(c.slot)
    .bind(c.user)
    .bind(now_ts)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        return Err(taken());
    }
    Ok(())
}

/// Who holds a room's slot on a day, as one read finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    Free,
    /// A 本予約, or a 仮予約 before its deadline.
    Held,
    /// A 仮予約 past its deadline, not yet released.
    Lapsed,
}

async fn hold_on(app: &App, org: i64, room: i64, day: &str, slot: &str) -> sqlx::Result<Hold> {
    let live: Option<i64> = sqlx::query_scalar(
        "SELECT CASE WHEN status = 'confirmed' OR deadline >= $5 THEN 1 ELSE 0 END FROM rsv_bookings \
         WHERE organization_id = $1 AND room_id = $2 AND used_on = $3 AND slot_code = $4 AND held = 1",
    )
    .bind(org)
    .bind(room)
    .bind(day)
    .bind(slot)
    .bind(now())
    .fetch_optional(&app.db)
    .await?;
    Ok(match live {
        None => Hold::Free,
        Some(1) => Hold::Held,
        Some(_) => Hold::Lapsed,
    })
}

/// 予約番号: 令和8年度の123件目 → `R8-000123` (the Gregorian year outside 令和).
pub fn number_for(fiscal_year: i32, n: i64) -> String {
    match kyodo_jp::FiscalYear(fiscal_year).era() {
        Some((kyodo_jp::wareki::Era::Reiwa, y)) => format!("R{y}-{n:06}"),
        _ => format!("{fiscal_year}-{n:06}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_name_the_fiscal_year() {
        assert_eq!(super::number_for(2026, 123), "R8-000123");
        assert_eq!(super::number_for(2019, 1), "R1-000001");
        assert_eq!(super::number_for(2018, 7), "2018-000007");
    }
}
