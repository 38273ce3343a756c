//! Running a lottery's draw against the database: what was not available, the draw, and its wins
//! written as 仮予約 (numbers, fees with 減免, deadlines), the wishes marked, the winners mailed —
//! in one transaction, once (a second draw finds the lottery drawn).

use super::availability::{self, Cell};
use super::draw::{Wish, draw};
use super::facilities::{self, Slot};
use super::fees::{self, Audience};
use super::lottery::{self, invalid};
use super::{Rules, booking::number_for, today};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{new_id, now, timestamp};
use crate::error::{AppError, AppResult};
use std::collections::{HashMap, HashSet};

/// Bookings written by one INSERT (9 parameters each, 5 shared).
const ROWS_PER_INSERT: usize = 100;

/// What a draw did: applicants and wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    pub applicants: usize,
    pub wins: usize,
}

/// Draws the lottery `id` (its application period over) and books the wins.
pub async fn run_draw(app: &App, org: i64, actor: &Actor, id: i64) -> AppResult<Drawn> {
    let lot = lottery::get(&app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !lot.is_open() {
        return Err(invalid("lottery", "rsv.lottery_drawn"));
    }
    if today().format("%Y-%m-%d").to_string() <= lot.apply_until {
        return Err(invalid("lottery", "rsv.lottery_not_ended"));
    }
    let room = facilities::room(&app.db, org, lot.room_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let facility = facilities::get(&app.db, org, room.facility_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let first = chrono::NaiveDate::parse_from_str(&format!("{}-01", lot.month), "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest("rsv.bad_month"))?;
    // Not available: closed days and pairs already held (booked before the lottery opened).
    let month = availability::month(&app.db, org, &facility, &room, first, today(), false).await?;
    let mut excluded: Vec<(String, String)> = Vec::new();
    for d in &month.days {
        for (cell, slot) in d.cells.iter().zip(&month.slots) {
            if matches!(cell, Cell::Closed | Cell::Taken) {
                excluded.push((d.date.format("%Y-%m-%d").to_string(), slot.code.clone()));
            }
        }
    }
    let wishes: Vec<Wish> = lottery::wishes(&app.db, org, id)
        .await?
        .into_iter()
        .map(|(e, r, d, s, _)| (e, r, d, s))
        .collect();
    let applicants = wishes.iter().map(|w| w.0).collect::<HashSet<_>>().len();
    let excluded_set: HashSet<(String, String)> = excluded.iter().cloned().collect();
    let wins = draw(&lot.seed, &wishes, &excluded_set);

    // Who each entry is, for fees and mail: one query.
    let fy = i64::from(kyodo_jp::FiscalYear::containing(first, 4).0);
    let people: Vec<(i64, i64, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT e.entry_no, e.user_id, r.resident, x.rate_percent, u.email FROM rsv_lottery_entries e \
         JOIN rsv_registrations r ON r.organization_id = e.organization_id AND r.user_id = e.user_id \
         JOIN users u ON u.organization_id = e.organization_id AND u.id = e.user_id \
         LEFT JOIN rsv_exemptions x ON x.organization_id = e.organization_id AND x.user_id = e.user_id AND x.fiscal_year = $3 \
         WHERE e.organization_id = $1 AND e.lottery_id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(fy)
    .fetch_all(&app.db)
    .await?;
    let people: HashMap<i64, (i64, i64, i64, String)> = people
        .into_iter()
        .map(|(e, u, res, rate, email)| (e, (u, res, rate.unwrap_or(0), email)))
        .collect();
    let slots: Vec<Slot> = facilities::slots(&app.db, org, room.id).await?;
    let rules = Rules::load(&app.db, org).await?;
    let at = now();
    let deadline = timestamp(chrono::Utc::now() + chrono::Duration::days(rules.provisional_days));

    let mut tx = app.begin_write().await?;
    crate::db::serialize(&mut tx, org, &format!("reservations.lottery.{id}")).await?;
    let excluded_text: String = excluded.iter().map(|(d, s)| format!("{d} {s}\n")).collect();
    let claimed = sqlx::query(
        "UPDATE rsv_lotteries SET status = 'drawn', drawn_at = $1, excluded = $2 WHERE organization_id = $3 AND id = $4 AND status = 'open'",
    )
    .bind(&at)
    .bind(&excluded_text)
    .bind(org)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        return Err(invalid("lottery", "rsv.lottery_drawn"));
    }
    let booked_year = kyodo_jp::FiscalYear::containing(today(), 4).0;
    let last = super::numbers::take(app, &mut tx, org, booked_year, wins.len() as i64).await?;
    let first_number = last - wins.len() as i64 + 1;
    for (chunk_no, chunk) in wins.chunks(ROWS_PER_INSERT).enumerate() {
        let mut sql = String::from(
            "INSERT INTO rsv_bookings (organization_id, id, number, room_id, used_on, slot_code, user_id, status, held, purpose, \
             attendees, audience, fee, exemption_percent, fee_due, deadline, created_at) VALUES ",
        );
        let mut rows = Vec::new();
        for (i, (entry, _, day, code)) in chunk.iter().enumerate() {
            let (user, resident, rate, _) = people.get(entry).cloned().ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("entry {entry} has no registration"))
            })?;
            let audience = if resident == 1 {
                Audience::Resident
            } else {
                Audience::NonResident
            };
            let fee = slots
                .iter()
                .find(|s| s.code == *code)
                .map_or(0, |s| s.fee_for(audience));
            let n = first_number + (chunk_no * ROWS_PER_INSERT + i) as i64;
            let due = fees::charge(fee, rate, audience, rules.rounding);
            rows.push((
                new_id(),
                number_for(booked_year, n),
                day,
                code,
                user,
                audience,
                fee,
                rate,
                due,
            ));
            let p = 5 + i * 9;
            sql.push_str(&format!(
                "{}($1, ${}, ${}, $2, ${}, ${}, ${}, 'provisional', 1, $3, 1, ${}, ${}, ${}, ${}, $4, $5)",
                if i == 0 { "" } else { ", " },
                p + 1,
                p + 2,
                p + 3,
                p + 4,
                p + 5,
                p + 6,
                p + 7,
                p + 8,
                p + 9,
            ));
        }
        sql.push_str(
            " ON CONFLICT (organization_id, room_id, used_on, slot_code) WHERE held = 1 DO NOTHING",
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org)
            .bind(room.id)
            .bind("抽選")
            .bind(&deadline)
            .bind(&at);
        for (bid, number, day, code, user, audience, fee, rate, due) in &rows {
            q = q
                .bind(*bid)
                .bind(number)
                .bind(*day)
                .bind(*code)
                .bind(*user)
                .bind(audience.code())
                .bind(*fee)
                .bind(*rate)
                .bind(*due);
        }
        let written = q.execute(&mut *tx).await?;
        if written.rows_affected() as usize != rows.len() {
            return Err(invalid("lottery", "rsv.lottery_conflict"));
        }
    }
    for (entry, rank, _, _) in &wins {
        sqlx::query(
            "UPDATE rsv_lottery_wishes SET won = 1 WHERE organization_id = $1 AND lottery_id = $2 AND entry_no = $3 AND rank = $4",
        )
        .bind(org)
        .bind(id)
        .bind(*entry)
        .bind(*rank)
        .execute(&mut *tx)
        .await?;
        if let Some((_, _, _, email)) = people.get(entry) {
            let body = format!(
                "{} {} の抽選に当選しました(応募番号 {entry}、第{rank}希望)。仮予約として登録しましたので、期限までに窓口で手続きをしてください。\n\
                 You won the lottery for {} {} (entry {entry}, wish {rank}). It is a provisional booking: complete it at the counter by its deadline.\n",
                facility.name, room.name, facility.name, room.name
            );
            app.mailer
                .enqueue(&mut tx, org, email, "抽選の結果 / Lottery result", &body)
                .await?;
        }
    }
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "reservations.lottery_draw",
            target_type: "lottery",
            target_id: id.to_string(),
            before: Some(serde_json::json!({ "status": "open" })),
            after: Some(serde_json::json!({
                "status": "drawn", "seed": lot.seed, "applicants": applicants, "wins": wins.len(),
            })),
        },
    )
    .await?;
    app.mailer.wake();
    Ok(Drawn {
        applicants,
        wins: wins.len(),
    })
}
