//! 空き状況 — a room's month as a grid: one row per day, one cell per slot, each 空き (free),
//! 予約済 (taken), 休館 (closed), 受付前 (not yet open) or 受付終了 (too late to book). Nothing
//! personal: who booked is never part of it.

use super::Rules;
use super::facilities::{self, Facility, Room, Slot};
use crate::db::{Db, now};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Cell {
    Free,
    Taken,
    Closed,
    /// 抽選受付中 — the month is let by lot.
    Lottery,
    NotOpen,
    Over,
}

impl Cell {
    pub fn key(self) -> &'static str {
        match self {
            Cell::Free => "rsv.cell_free",
            Cell::Taken => "rsv.cell_taken",
            Cell::Closed => "rsv.cell_closed",
            Cell::Lottery => "rsv.cell_lottery",
            Cell::NotOpen => "rsv.cell_not_open",
            Cell::Over => "rsv.cell_over",
        }
    }
    pub fn class(self) -> &'static str {
        match self {
            Cell::Free => "free",
            Cell::Taken => "taken",
            Cell::Closed => "closed",
            Cell::Lottery => "lottery",
            Cell::NotOpen | Cell::Over => "none",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub struct Month {
    pub first: NaiveDate,
    pub slots: Vec<Slot>,
    pub days: Vec<Day>,
    /// The month's lottery not drawn yet (asked only `with_lottery`).
    pub lottery: Option<i64>,
}

/// The first day of a month written `YYYY-MM` (or the current month when it cannot be read).
pub fn month_start(raw: &str, today: NaiveDate) -> NaiveDate {
    NaiveDate::parse_from_str(&format!("{}-01", raw.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()))
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
}

/// What the grid is made of, read from the database.
pub struct Inputs<'a> {
    pub facility: &'a Facility,
    /// (starts_on, ends_on) of closures, inclusive.
    pub closures: Vec<(String, String)>,
    /// (used_on, slot_code) of the slots held now.
    pub held: Vec<(String, String)>,
    /// The month has a lottery not drawn yet.
    pub lottery: bool,
}

/// The grid of a month, decided from its inputs (no database): unit-tested below.
pub fn grid(
    first: NaiveDate,
    slots: Vec<Slot>,
    inp: &Inputs,
    rules: &Rules,
    today: NaiveDate,
) -> Month {
    let open_from = rules.first_bookable(today);
    let open_to = rules.last_bookable(today);
    let days = first
        .iter_days()
        .take_while(|d| d.month() == first.month())
        .map(|date| {
            let iso = date.format("%Y-%m-%d").to_string();
            let closed = inp
                .facility
                .closed_on_weekday(date.weekday().number_from_monday())
                || inp
                    .closures
                    .iter()
                    .any(|(a, b)| a.as_str() <= iso.as_str() && iso.as_str() <= b.as_str());
            let cells = slots
                .iter()
                .map(|s| {
                    if closed {
                        Cell::Closed
                    } else if inp.held.iter().any(|(d, c)| *d == iso && *c == s.code) {
                        Cell::Taken
                    } else if inp.lottery {
                        Cell::Lottery
                    } else if date < open_from {
                        Cell::Over
                    } else if date > open_to {
                        Cell::NotOpen
                    } else {
                        Cell::Free
                    }
                })
                .collect();
            Day { date, cells }
        })
        .collect();
    Month {
        first,
        slots,
        days,
        lottery: None,
    }
}

/// What a room's month is drawn on that changes only with the facilities area: the public pages
/// take it from the facility's snapshot.
pub struct Fixed<'a> {
    pub facility: &'a Facility,
    pub room: &'a Room,
    pub slots: &'a [Slot],
    pub rules: &'a Rules,
}

/// A room's month as it stands now (`with_lottery`: cells of a month under a lottery not drawn
/// yet say so; the draw itself asks without).
pub async fn month(
    db: &Db,
    org: i64,
    facility: &Facility,
    room: &Room,
    first: NaiveDate,
    today: NaiveDate,
    with_lottery: bool,
) -> sqlx::Result<Month> {
    let (rules, slots) =
        tokio::try_join!(Rules::load(db, org), facilities::slots(db, org, room.id))?;
    let fixed = Fixed {
        facility,
        room,
        slots: &slots,
        rules: &rules,
    };
    month_of(db, org, fixed, first, today, with_lottery).await
}

/// [`month`] with its fixed parts given: only closures, held slots and the lottery are read.
pub async fn month_of(
    db: &Db,
    org: i64,
    fixed: Fixed<'_>,
    first: NaiveDate,
    today: NaiveDate,
    with_lottery: bool,
) -> sqlx::Result<Month> {
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    let (from, to) = (
        first.format("%Y-%m-%d").to_string(),
        last.format("%Y-%m-%d").to_string(),
    );
    let (room, month_key) = (fixed.room, first.format("%Y-%m").to_string());
    // The three reads are independent: at once (the room's month page is read far more than written).
    let (closures, held, lottery) = tokio::try_join!(
        facilities::closures(db, org, room, &from, &to),
        super::listing::held_in(db, org, room.id, &from, &to),
        async {
            if !with_lottery {
                return Ok(None);
            }
            super::lottery::open_for(db, org, room.id, &month_key).await
        },
    )?;
    let at = now();
    let inp = Inputs {
        facility: fixed.facility,
        closures: closures.into_iter().map(|(a, b, _)| (a, b)).collect(),
        held: held
            .into_iter()
            .filter(|(_, _, status, deadline)| status == "confirmed" || *deadline >= at)
            .map(|(d, c, _, _)| (d, c))
            .collect(),
        lottery: lottery.is_some(),
    };
    let mut m = grid(first, fixed.slots.to_vec(), &inp, fixed.rules, today);
    m.lottery = lottery.map(|l| l.id);
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(code: &str) -> Slot {
        Slot {
            code: code.into(),
            label: code.into(),
            starts_at: "09:00".into(),
            ends_at: "12:00".into(),
            fee_resident: 1,
            fee_nonresident: 2,
            fee_commercial: 3,
        }
    }

    #[test]
    fn cells_say_closed_taken_free_and_outside_the_window() {
        let facility = Facility {
            id: 1,
            name: "f".into(),
            kana: String::new(),
            address: String::new(),
            hours: String::new(),
            closed_weekdays: "1".into(),
            contact: String::new(),
            manager_kind: "direct".into(),
            manager_name: String::new(),
            booking_rule: "any".into(),
            is_demo: false,
        };
        let inp = Inputs {
            facility: &facility,
            closures: vec![("2026-12-20".into(), "2026-12-21".into())],
            held: vec![("2026-12-10".into(), "pm".into())],
            lottery: false,
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let m = grid(
            d("2026-12-01"),
            vec![slot("am"), slot("pm")],
            &inp,
            &Rules::default(),
            d("2026-12-03"),
        );
        assert_eq!(m.days.len(), 31);
        let at = |day: u32| &m.days[day as usize - 1].cells;
        assert_eq!(at(3), &[Cell::Over, Cell::Over], "today is too late");
        assert_eq!(at(4), &[Cell::Free, Cell::Free]);
        assert_eq!(at(7), &[Cell::Closed, Cell::Closed], "Mondays");
        assert_eq!(at(10), &[Cell::Free, Cell::Taken]);
        assert_eq!(at(20), &[Cell::Closed, Cell::Closed]);
        assert_eq!(at(22), &[Cell::Free, Cell::Free]);
        let far = grid(
            d("2027-03-01"),
            vec![slot("am")],
            &inp,
            &Rules::default(),
            d("2026-12-03"),
        );
        assert_eq!(far.days[1].cells, vec![Cell::NotOpen]);
    }
}
