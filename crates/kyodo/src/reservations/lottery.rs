//! 抽選 — a room's month let by lot: staff open a lottery with an application period, registered
//! users apply with up to three wishes, the draw (`draw::draw`) grants them and each win becomes
//! a 仮予約 with the usual deadline (unclaimed wins are released to first-come booking).

use super::facilities::{self, Slot};
use super::registrations;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub const MAX_WISHES: usize = 3;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Lottery {
    pub id: i64,
    pub room_id: i64,
    pub month: String,
    pub apply_from: String,
    pub apply_until: String,
    pub seed: String,
    pub status: String,
    pub excluded: String,
    pub drawn_at: Option<String>,
}

impl Lottery {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
    pub fn accepts_on(&self, day: &str) -> bool {
        self.is_open() && self.apply_from.as_str() <= day && day <= self.apply_until.as_str()
    }
}

const COLUMNS: &str =
    "id, room_id, month, apply_from, apply_until, seed, status, excluded, drawn_at";

pub(super) fn invalid(field: &str, key: &'static str) -> AppError {
    let mut errs = FieldErrors::default();
    errs.add(field, key);
    AppError::Invalid(errs)
}

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Lottery>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rsv_lotteries WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The organization's lotteries, newest month first.
pub async fn list(db: &Db, org: i64) -> sqlx::Result<Vec<Lottery>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rsv_lotteries WHERE organization_id = $1 ORDER BY month DESC, id LIMIT 200"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// The room's lottery for a month (`YYYY-MM`) that is not drawn yet.
pub async fn open_for(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org: i64,
    room: i64,
    month: &str,
) -> sqlx::Result<Option<Lottery>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rsv_lotteries WHERE organization_id = $1 AND room_id = $2 AND month = $3 AND status = 'open'"
    )))
    .bind(org)
    .bind(room)
    .bind(month)
    .fetch_optional(db)
    .await
}

/// 128 random bits in hex (safe to pass on a command line).
fn new_seed() -> String {
    let mut b = [0u8; 16];
    crate::db::random_fill(&mut b);
    hex::encode(b)
}

/// Opens a lottery for a room's month, applications from `apply_from` to `apply_until` (both
/// before the month). Its seed is fixed now; only its digest is shown until the draw.
pub async fn create(
    app: &App,
    org: i64,
    staff: i64,
    room: i64,
    month: &str,
    apply_from: &str,
    apply_until: &str,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    if facilities::room(&app.db, org, room).await?.is_none() {
        errs.add("room", "field.bad_choice");
    }
    let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").ok();
    if first.is_none() {
        errs.add("month", "rsv.bad_month");
    }
    let from = kyodo_jp::wareki::parse_date(apply_from).ok();
    let until = kyodo_jp::wareki::parse_date(apply_until).ok();
    if from.is_none() {
        errs.add("apply_from", "field.bad_date");
    }
    match (from, until, first) {
        (_, None, _) => errs.add("apply_until", "field.bad_date"),
        (Some(f), Some(u), _) if u < f => errs.add("apply_until", "rsv.period_reversed"),
        (_, Some(u), Some(m)) if u >= m => errs.add("apply_until", "rsv.period_after_month"),
        _ => {}
    }
    errs.into_result()?;
    let month = month.trim().to_string();
    if open_for(&app.db, org, room, &month).await?.is_some() {
        return Err(invalid("month", "rsv.lottery_exists"));
    }
    let id = crate::db::new_id();
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "INSERT INTO rsv_lotteries (organization_id, id, room_id, month, apply_from, apply_until, seed, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open') ON CONFLICT (organization_id, room_id, month) DO NOTHING",
    )
    .bind(org)
    .bind(id)
    .bind(room)
    .bind(&month)
    .bind(from.map(|d| d.format("%Y-%m-%d").to_string()))
    .bind(until.map(|d| d.format("%Y-%m-%d").to_string()))
    .bind(new_seed())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(invalid("month", "rsv.lottery_exists"));
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.lottery_open",
            target_type: "lottery",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "room": room, "month": month })),
        },
    )
    .await?;
    Ok(id)
}

/// A user's application: up to three (day, slot) wishes in order of preference, replacing an
/// earlier application (its entry number is kept). Returns the entry number.
pub async fn apply(
    app: &App,
    org: i64,
    user: i64,
    lottery: &Lottery,
    wishes: &[(String, String)],
    today: NaiveDate,
) -> AppResult<i64> {
    if !lottery.accepts_on(&today.format("%Y-%m-%d").to_string()) {
        return Err(invalid("wish1_date", "rsv.lottery_closed"));
    }
    let Some(registration) = registrations::get(&app.db, org, user)
        .await?
        .filter(|r| r.is_active())
    else {
        return Err(invalid("registration", "rsv.not_registered"));
    };
    let room = facilities::room(&app.db, org, lottery.room_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let facility = facilities::get(&app.db, org, room.facility_id)
        .await?
        .ok_or(AppError::NotFound)?;
    super::facility_edit::check_may_book(&facility, &registration)?;
    let slots: Vec<Slot> = facilities::slots(&app.db, org, room.id).await?;
    let mut errs = FieldErrors::default();
    let mut chosen: Vec<(String, String)> = Vec::new();
    for (i, (date, slot)) in wishes.iter().enumerate().take(MAX_WISHES) {
        if date.trim().is_empty() && slot.trim().is_empty() {
            continue;
        }
        let field = ["wish1_date", "wish2_date", "wish3_date"][i];
        let Ok(day) = kyodo_jp::wareki::parse_date(date) else {
            errs.add(field, "field.bad_date");
            continue;
        };
        let iso = day.format("%Y-%m-%d").to_string();
        if !iso.starts_with(&lottery.month) {
            errs.add(field, "rsv.not_in_month");
        } else if facility.closed_on_weekday(day.weekday().number_from_monday()) {
            errs.add(field, "rsv.closed");
        } else if !slots.iter().any(|s| s.code == slot.trim()) {
            errs.add(&field.replace("_date", "_slot"), "field.bad_choice");
        } else if chosen.iter().any(|(d, s)| *d == iso && s == slot.trim()) {
            errs.add(field, "rsv.wish_twice");
        } else {
            chosen.push((iso, slot.trim().to_string()));
        }
    }
    if chosen.is_empty() && errs.is_empty() {
        errs.add("wish1_date", "field.required");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    crate::db::serialize(
        &mut tx,
        org,
        &format!("reservations.lottery.{}", lottery.id),
    )
    .await?;
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT entry_no FROM rsv_lottery_entries WHERE organization_id = $1 AND lottery_id = $2 AND user_id = $3",
    )
    .bind(org)
    .bind(lottery.id)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    let entry = match existing {
        Some(n) => n,
        None => {
            let n: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(entry_no), 0) + 1 FROM rsv_lottery_entries WHERE organization_id = $1 AND lottery_id = $2",
            )
            .bind(org)
            .bind(lottery.id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO rsv_lottery_entries (organization_id, lottery_id, user_id, entry_no, applied_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(org)
            .bind(lottery.id)
            .bind(user)
            .bind(n)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            n
        }
    };
    sqlx::query("DELETE FROM rsv_lottery_wishes WHERE organization_id = $1 AND lottery_id = $2 AND entry_no = $3")
        .bind(org)
        .bind(lottery.id)
        .bind(entry)
        .execute(&mut *tx)
        .await?;
    for (rank, (day, slot)) in chosen.iter().enumerate() {
        sqlx::query(
            "INSERT INTO rsv_lottery_wishes (organization_id, lottery_id, entry_no, rank, used_on, slot_code) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org)
        .bind(lottery.id)
        .bind(entry)
        .bind(rank as i64 + 1)
        .bind(day)
        .bind(slot)
        .execute(&mut *tx)
        .await?;
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(user),
        Change {
            action: "reservations.lottery_apply",
            target_type: "lottery",
            target_id: lottery.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "entry_no": entry, "wishes": chosen.len() })),
        },
    )
    .await?;
    Ok(entry)
}

/// Every wish of a lottery (entry number, rank, day, slot) with `won`, by entry and rank.
pub async fn wishes(
    db: &Db,
    org: i64,
    lottery: i64,
) -> sqlx::Result<Vec<(i64, i64, String, String, i64)>> {
    sqlx::query_as(
        "SELECT entry_no, rank, used_on, slot_code, won FROM rsv_lottery_wishes WHERE organization_id = $1 AND lottery_id = $2 \
         ORDER BY entry_no, rank",
    )
    .bind(org)
    .bind(lottery)
    .fetch_all(db)
    .await
}

/// The user's entry number in a lottery, if they applied.
pub async fn entry_of(db: &Db, org: i64, lottery: i64, user: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT entry_no FROM rsv_lottery_entries WHERE organization_id = $1 AND lottery_id = $2 AND user_id = $3",
    )
    .bind(org)
    .bind(lottery)
    .bind(user)
    .fetch_optional(db)
    .await
}

pub use super::lottery_draw::run_draw;
