//! 施設予約 — public facilities booked on the web (seed S-3.1.6): 空き状況 open to anyone,
//! 利用者登録 online then at a counter, 仮予約 with a number and a deadline, 本予約 on payment at the
//! counter, automatic release of what is not completed, 減免 per fiscal year.
//!
//! - `facilities`: facilities, rooms, slots and their fees, closures (休館);
//! - `cars`: 公用車 — official cars booked by staff by the hour, keys out and in with the
//!   odometer, use per car and month;
//! - `closures`: 休館 for repairs, with the bookings to contact;
//! - `facility_list`: the 公共施設一覧 open-data layout, exported and imported;
//! - `availability`: a room's month as a grid of days × slots (空き / 予約済 / 休館 …);
//! - `booking`: the booking rules and the one write that takes a slot, guarded by the database
//!   (a partial unique index: one holder per room, day and slot, across instances);
//! - `lifecycle`: 本予約, cancellation, release of 仮予約 past their deadline; `listing`: bookings
//!   as pages show them;
//! - `lottery`: 抽選 — applications and the draw (`draw`: the pure, reproducible computation;
//!   `lottery_draw`: writing its wins as 仮予約);
//! - `rooms`: adding a room with its fee table as typed (problems by line);
//! - `utilisation`: 利用状況 per month (rate, fees), published per facility;
//! - `management`: 指定管理者 monthly reports and the yearly monitoring evaluation;
//! - `permit_pdf`: the 利用許可書 of a 本予約 as PDF; `reminders`: mail before a 仮予約's
//!   deadline and the day before a 本予約;
//! - `registrations`: 利用者登録 and 減免; `fees`: the fee arithmetic; `demo`: demonstration data.

pub mod availability;
pub mod booking;
pub mod cars;
pub mod closures;
pub mod demo;
pub mod draw;
pub mod facilities;
pub mod facility_edit;
pub mod facility_list;
pub mod fees;
pub mod lifecycle;
pub mod listing;
pub mod lottery;
mod lottery_draw;
pub mod management;
pub mod manager_accounts;
pub mod members;
mod numbers;
pub mod permit_pdf;
pub mod registrations;
pub mod reminders;
pub mod rooms;
pub mod utilisation;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use members::MAX_MEMBERS;

/// The organization's booking rules (`org_settings` keys `reservations.*`, each with a default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Bookings open on the 1st of the month this many months before the month of use.
    pub window_months: u32,
    /// The last day to book is this many days before the day of use (0: the same day).
    pub last_days_before: i64,
    /// A 仮予約 must be completed (paid or confirmed) within this many days, else it is released.
    pub provisional_days: i64,
    /// Bookings a user may hold at once (仮予約 and 本予約 still to come).
    pub per_user_limit: i64,
    /// A user may cancel online until this many days before the day of use; later, at the counter.
    pub cancel_days_before: i64,
    /// A 団体登録 lists at least this many members (構成員).
    pub group_min_members: usize,
    pub rounding: fees::Rounding,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            window_months: 2,
            last_days_before: 1,
            provisional_days: 7,
            per_user_limit: 4,
            cancel_days_before: 3,
            group_min_members: 2,
            rounding: fees::Rounding::default(),
        }
    }
}

impl Rules {
    pub async fn load(
        db: impl sqlx::Executor<'_, Database = sqlx::Any>,
        org: i64,
    ) -> sqlx::Result<Rules> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT key, value FROM org_settings WHERE organization_id = $1 AND key LIKE 'reservations.%'",
        )
        .bind(org)
        .fetch_all(db)
        .await?;
        let mut r = Rules::default();
        for (key, value) in rows {
            let n = value.trim().parse::<i64>().ok().filter(|n| *n >= 0);
            match (key.as_str(), n) {
                ("reservations.window_months", Some(n)) => r.window_months = n.min(24) as u32,
                ("reservations.last_days_before", Some(n)) => r.last_days_before = n,
                ("reservations.provisional_days", Some(n)) => r.provisional_days = n.max(1),
                ("reservations.per_user_limit", Some(n)) => r.per_user_limit = n.max(1),
                ("reservations.cancel_days_before", Some(n)) => r.cancel_days_before = n,
                ("reservations.group_min_members", Some(n)) => {
                    r.group_min_members = n.clamp(1, MAX_MEMBERS as i64) as usize
                }
                ("reservations.rounding", _) => {
                    r.rounding = fees::Rounding::parse(&value).unwrap_or_default()
                }
                _ => {}
            }
        }
        Ok(r)
    }

    /// The last day that can be booked today: the end of the month `window_months` ahead.
    pub fn last_bookable(&self, today: NaiveDate) -> NaiveDate {
        let first = today.with_day0(0).unwrap_or(today);
        let after = first
            .checked_add_months(chrono::Months::new(self.window_months + 1))
            .unwrap_or(first);
        after.pred_opt().unwrap_or(after)
    }

    /// The first day that can be booked today.
    pub fn first_bookable(&self, today: NaiveDate) -> NaiveDate {
        today + chrono::Duration::days(self.last_days_before)
    }

    /// When a 仮予約 made at `now` for a slot starting at `slot_starts` ("HH:MM") on `date` must be
    /// completed: `provisional_days` from now, but no later than the start of the day of use (the
    /// counter has the day before). A booking made on the day itself (`last_days_before = 0`)
    /// would be past that already and released by the next timer run: its deadline is the start
    /// of its slot.
    pub fn deadline(
        &self,
        now: DateTime<Utc>,
        date: NaiveDate,
        slot_starts: &str,
    ) -> DateTime<Utc> {
        let limit = now + chrono::Duration::days(self.provisional_days);
        let day_starts = jst_instant(date, NaiveTime::MIN).unwrap_or(limit);
        if day_starts > now {
            return limit.min(day_starts);
        }
        slot_start(date, slot_starts).map_or(limit, |t| limit.min(t))
    }
}

/// When a slot starting at `starts_at` ("HH:MM", Japan time) on `date` begins.
pub fn slot_start(date: NaiveDate, starts_at: &str) -> Option<DateTime<Utc>> {
    let time = NaiveTime::parse_from_str(starts_at.trim(), "%H:%M").ok()?;
    jst_instant(date, time)
}

fn jst_instant(date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    date.and_time(time)
        .and_local_timezone(crate::i18n::jst())
        .single()
        .map(|t| t.with_timezone(&Utc))
}

use chrono::Datelike;

/// Today in Japan (where the facilities are).
pub fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&crate::i18n::jst())
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_opens_on_the_first_of_the_month_two_months_before() {
        let r = Rules::default();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(r.last_bookable(d("2026-12-03")), d("2027-02-28"));
        assert_eq!(r.last_bookable(d("2026-12-31")), d("2027-02-28"));
        assert_eq!(r.last_bookable(d("2027-01-01")), d("2027-03-31"));
        assert_eq!(r.first_bookable(d("2026-12-03")), d("2026-12-04"));
    }

    #[test]
    fn a_provisional_booking_is_never_born_past_its_deadline() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let r = Rules::default();
        // 2026-12-03 10:00 JST: seven days on, or the start of a near day of use (JST midnight).
        let now = at("2026-12-03T01:00:00Z");
        assert_eq!(
            r.deadline(now, d("2027-01-20"), "09:00"),
            at("2026-12-10T01:00:00Z")
        );
        assert_eq!(
            r.deadline(now, d("2026-12-05"), "09:00"),
            at("2026-12-04T15:00:00Z")
        );
        // Booked on the day itself: the start of its slot, later than now.
        let same_day = Rules {
            last_days_before: 0,
            ..r
        };
        let deadline = same_day.deadline(now, d("2026-12-03"), "18:00");
        assert_eq!(deadline, at("2026-12-03T09:00:00Z"));
        assert!(deadline > now);
        assert_eq!(
            slot_start(d("2026-12-03"), "9:00"),
            Some(at("2026-12-03T00:00:00Z"))
        );
        assert_eq!(slot_start(d("2026-12-03"), "午前"), None);
    }
}

/// The area's text parsers (fee tables, opening days, lottery inputs, the facility list) on
/// hostile input: each answers with a result or its problems, never a panic.
#[cfg(test)]
mod hostile_input {
    const CELLS: &[&str] = &[
        "",
        " ",
        "\u{0}",
        "\u{202e}abc",
        "😀",
        "<script>",
        "=SUM(A1:A9)",
        "99999999999999999999",
        "-9223372036854775808",
        "△100",
        "１２：６０",
        "25:00",
        "9:",
        ":30",
        "９時",
        "月～",
        "～金",
        "火から",
        "毎日毎日",
        "月月月",
        "、",
        "\"",
        ",,,,,,",
        "\t\t\t",
        "希望",
        "除外",
        "1e400",
        "2027-02-30",
        "ｱ",
        "長い名前長い名前長い名前長い名前長い名前長い名前長い名前",
    ];

    /// Lines of 0–8 hostile cells joined by commas or tabs.
    fn lines() -> Vec<String> {
        let mut out = Vec::new();
        for (i, a) in CELLS.iter().enumerate() {
            for n in 0..9 {
                let cells: Vec<&str> = (0..n).map(|k| CELLS[(i + k * 7) % CELLS.len()]).collect();
                out.push(cells.join(if n % 2 == 0 { "," } else { "\t" }));
                out.push(format!("{a},午前,9:00,12:00,{a},{a},{a}"));
            }
        }
        out
    }

    #[test]
    fn hostile_text_never_panics_a_parser() {
        let lines = lines();
        for line in &lines {
            let _ = super::rooms::read_slots(line);
            let _ = super::facility_list::closed_weekdays(line);
            if let Ok((wishes, excluded)) =
                super::draw::parse_inputs(&format!("希望,{line}\n除外,,,{line}"))
            {
                let _ = super::draw::draw(line, &wishes, &excluded);
            }
        }
        let _ = super::rooms::read_slots(&lines.join("\n"));
        let sheet = kyodo_decode::sheet::Sheet {
            name: "x".into(),
            rows: std::iter::once(vec![
                "名称".to_string(),
                "住所".into(),
                "利用可能曜日".into(),
                "開始時間".into(),
            ])
            .chain(
                lines
                    .iter()
                    .map(|l| l.split(',').map(String::from).collect()),
            )
            .collect(),
        };
        let _ = super::facility_list::plan(&sheet);
    }
}
