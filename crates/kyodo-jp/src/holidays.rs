//! 国民の祝日 — Japan's national holidays (国民の祝日に関する法律), with 振替休日 (a holiday on a Sunday
//! moves to the next weekday that is not a holiday) and 国民の休日 (a day between two holidays).
//! The law as it stands since 2007, with its later changes: 山の日 from 2016, 天皇誕生日 on 12-23
//! until 2018 and on 02-23 from 2020, the 2019 accession days, and the Olympic moves of 2020–21.
//! 春分・秋分 follow the usual formula, correct for 1980–2099 (the government announces them each
//! February for the next year; the formula has matched every announcement so far).
//!
//! City offices also close 年末年始 (12-29 … 01-03); that is the organization's calendar, not
//! this module's: see [`is_year_end_closure`].

use chrono::{Datelike, NaiveDate, Weekday};

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The `n`-th Monday (1-based) of the month (ハッピーマンデー).
fn nth_monday(y: i32, m: u32, n: u32) -> Option<NaiveDate> {
    let first = ymd(y, m, 1)?;
    let offset = (7 - first.weekday().num_days_from_monday() as i64) % 7;
    first.checked_add_signed(chrono::Duration::days(offset + 7 * (n as i64 - 1)))
}

fn equinox(y: i32, base: f64) -> u32 {
    let k = (y - 1980) as f64;
    (base + 0.242194 * k - (k / 4.0).floor()).floor() as u32
}

/// The holiday's name when `date` is a 祝日 by date alone (before 振替休日 and 国民の休日).
fn fixed(date: NaiveDate) -> Option<&'static str> {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let is = |o: Option<NaiveDate>| o == Some(date);
    let olympic = matches!(y, 2020 | 2021);
    Some(match (m, d) {
        (1, 1) => "元日",
        _ if is(nth_monday(y, 1, 2)) => "成人の日",
        (2, 11) => "建国記念の日",
        (2, 23) if y >= 2020 => "天皇誕生日",
        (3, _) if d == equinox(y, 20.8431) => "春分の日",
        (4, 29) => "昭和の日",
        (5, 3) => "憲法記念日",
        (5, 4) => "みどりの日",
        (5, 5) => "こどもの日",
        (5, 1) if y == 2019 => "天皇の即位の日",
        (10, 22) if y == 2019 => "即位礼正殿の儀の行われる日",
        (7, 23) if y == 2020 => "海の日",
        (7, 22) if y == 2021 => "海の日",
        _ if !olympic && is(nth_monday(y, 7, 3)) => "海の日",
        (8, 10) if y == 2020 => "山の日",
        (8, 8) if y == 2021 => "山の日",
        (8, 11) if y >= 2016 && !olympic => "山の日",
        _ if is(nth_monday(y, 9, 3)) => "敬老の日",
        (9, _) if d == equinox(y, 23.2488) => "秋分の日",
        (7, 24) if y == 2020 => "スポーツの日",
        (7, 23) if y == 2021 => "スポーツの日",
        _ if !olympic && is(nth_monday(y, 10, 2)) => {
            if y >= 2020 {
                "スポーツの日"
            } else {
                "体育の日"
            }
        }
        (11, 3) => "文化の日",
        (11, 23) => "勤労感謝の日",
        (12, 23) if (1989..=2018).contains(&y) => "天皇誕生日",
        _ => return None,
    })
}

/// The name of the national holiday on `date`, if it is one.
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    if let Some(name) = fixed(date) {
        return Some(name);
    }
    // 振替休日: walk back over the run of holidays before this day; one that began on a Sunday
    // moves here.
    let mut day = date.pred_opt()?;
    while fixed(day).is_some() {
        if day.weekday() == Weekday::Sun {
            return Some("振替休日");
        }
        day = day.pred_opt()?;
    }
    // 国民の休日: a weekday between two holidays.
    if date.weekday() != Weekday::Sun
        && date.pred_opt().and_then(fixed).is_some()
        && date.succ_opt().and_then(fixed).is_some()
    {
        return Some("国民の休日");
    }
    None
}

/// 年末年始: 12-29 … 01-03, when city offices are closed.
pub fn is_year_end_closure(date: NaiveDate) -> bool {
    matches!((date.month(), date.day()), (12, 29..=31) | (1, 1..=3))
}

/// A day city offices work by default: not a Saturday, Sunday, national holiday or 年末年始.
pub fn is_office_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
        && holiday_name(date).is_none()
        && !is_year_end_closure(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn holidays_of(y: i32) -> Vec<(NaiveDate, &'static str)> {
        let mut day = d(y, 1, 1);
        let mut out = Vec::new();
        while day.year() == y {
            if let Some(n) = holiday_name(day) {
                out.push((day, n));
            }
            day = day.succ_opt().unwrap();
        }
        out
    }

    /// The Cabinet Office's published list for 2026 (令和8年), day by day.
    #[test]
    fn the_2026_calendar() {
        let got: Vec<String> = holidays_of(2026)
            .iter()
            .map(|(day, n)| format!("{} {n}", day.format("%m-%d")))
            .collect();
        assert_eq!(
            got,
            [
                "01-01 元日",
                "01-12 成人の日",
                "02-11 建国記念の日",
                "02-23 天皇誕生日",
                "03-20 春分の日",
                "04-29 昭和の日",
                "05-03 憲法記念日",
                "05-04 みどりの日",
                "05-05 こどもの日",
                "05-06 振替休日",
                "07-20 海の日",
                "08-11 山の日",
                "09-21 敬老の日",
                "09-22 国民の休日",
                "09-23 秋分の日",
                "10-12 スポーツの日",
                "11-03 文化の日",
                "11-23 勤労感謝の日",
            ]
        );
    }

    #[test]
    fn counts_and_special_years() {
        // 16 holidays a year plus substitutes; published totals.
        assert_eq!(holidays_of(2025).len(), 19);
        assert_eq!(holidays_of(2024).len(), 21);
        assert_eq!(holiday_name(d(2019, 5, 1)), Some("天皇の即位の日"));
        assert_eq!(holiday_name(d(2019, 4, 30)), Some("国民の休日"));
        assert_eq!(holiday_name(d(2021, 8, 9)), Some("振替休日"));
        assert_eq!(
            holiday_name(d(2021, 7, 19)),
            None,
            "海の日 moved for the Olympics"
        );
        assert_eq!(holiday_name(d(2018, 12, 24)), Some("振替休日"));
        assert_eq!(holiday_name(d(2025, 3, 20)), Some("春分の日"));
        assert_eq!(holiday_name(d(2025, 9, 23)), Some("秋分の日"));
    }

    #[test]
    fn office_days() {
        assert!(!is_office_day(d(2026, 12, 29)), "年末年始");
        assert!(
            is_office_day(d(2027, 1, 4)),
            "the first Monday after 年末年始"
        );
        assert!(!is_office_day(d(2026, 5, 6)), "振替休日");
        assert!(is_office_day(d(2026, 5, 7)));
        assert!(!is_office_day(d(2026, 12, 5)), "Saturday");
    }
}
