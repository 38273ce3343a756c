//! Office days: weekdays that are not a 国民の祝日, not 年末年始 (12-29 … 01-03) and not one of the
//! organization's own closed days (`org_holidays`). Deadlines are counted over them.

use crate::db::Db;
use chrono::NaiveDate;
use std::collections::HashSet;

/// The organization's own closed days between two dates (inclusive).
pub async fn closed_days(
    db: &Db,
    org: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<HashSet<NaiveDate>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT day FROM org_holidays WHERE organization_id = $1 AND day >= $2 AND day <= $3",
    )
    .bind(org)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(db)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|(d,)| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .collect())
}

/// The `n`-th office day after `start` (the day it arrived does not count, as 行政手続法's
/// 標準処理期間 is counted).
pub fn office_days_after(start: NaiveDate, n: i64, closed: &HashSet<NaiveDate>) -> NaiveDate {
    let mut day = start;
    let mut left = n.max(0);
    while left > 0 {
        day = day.succ_opt().unwrap_or(day);
        if kyodo_jp::holidays::is_office_day(day) && !closed.contains(&day) {
            left -= 1;
        }
    }
    day
}

/// The last day whose closing can matter to a deadline `n` office days after `start`: n office
/// days never span more than 3n + 14 calendar days (weekends, Golden Week, 年末年始); a city's own
/// closed days could stretch it, so the window is generous.
pub fn window_end(start: NaiveDate, n: i64) -> NaiveDate {
    start + chrono::Duration::days(4 * n.max(0) + 60)
}

/// The deadline of a case that arrived on `start`, `n` office days later.
pub async fn due_on(db: &Db, org: i64, start: NaiveDate, n: i64) -> sqlx::Result<NaiveDate> {
    let closed = closed_days(db, org, start, window_end(start, n)).await?;
    Ok(office_days_after(start, n, &closed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn ten_office_days_over_holidays() {
        let none = HashSet::new();
        // Fri 2026-04-24 + 10 office days: 4/27, 4/28, (4/29 昭和の日), 4/30, 5/1, (5/2–5/6), 5/7,
        // 5/8, 5/11, 5/12, 5/13, 5/14.
        assert_eq!(office_days_after(d(2026, 4, 24), 10, &none), d(2026, 5, 14));
        // Over 年末年始: Fri 2026-12-25 + 3 → 12/28, 1/4, 1/5.
        assert_eq!(office_days_after(d(2026, 12, 25), 3, &none), d(2027, 1, 5));
        let closed: HashSet<_> = [d(2027, 1, 4)].into();
        assert_eq!(
            office_days_after(d(2026, 12, 25), 3, &closed),
            d(2027, 1, 6)
        );
        assert_eq!(office_days_after(d(2026, 4, 24), 0, &none), d(2026, 4, 24));
    }
}
