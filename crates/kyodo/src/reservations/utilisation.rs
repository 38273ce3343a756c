//! 利用状況 — a facility's use per month of a fiscal year, computed from the bookings: slots that
//! could be let (days open × slots, closures left out), slots let (本予約), the rate, and the fees
//! collected. Published per facility: the figures behind a 指定管理者's monitoring and behind
//! decisions on fewer, better-used facilities.

use super::facilities::Facility;
use crate::db::Db;
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthUse {
    pub first: NaiveDate,
    pub available: i64,
    pub used: i64,
    /// Of `used`, the 本予約 nobody came for (不使用).
    pub no_shows: i64,
    pub revenue: i64,
}

impl MonthUse {
    /// Slots let as a share of those that could be, in % (None when none could be).
    pub fn rate(&self) -> Option<f64> {
        (self.available > 0).then(|| self.used as f64 * 100.0 / self.available as f64)
    }
}

/// The twelve months of fiscal year `fy` (April–March) for the facility.
pub async fn of_facility(db: &Db, org: i64, f: &Facility, fy: i32) -> sqlx::Result<Vec<MonthUse>> {
    let Some(start) = NaiveDate::from_ymd_opt(fy, 4, 1) else {
        return Ok(Vec::new());
    };
    let end = NaiveDate::from_ymd_opt(fy + 1, 3, 31).unwrap_or(start);
    let (from, to) = (
        start.format("%Y-%m-%d").to_string(),
        end.format("%Y-%m-%d").to_string(),
    );
    // (room, slots per day) of the facility's rooms. The three reads are independent: at once.
    let rooms = sqlx::query_as::<_, (i64, i64)>(
        "SELECT r.id, COUNT(s.code) FROM rsv_rooms r LEFT JOIN rsv_slots s ON s.organization_id = r.organization_id AND s.room_id = r.id \
         WHERE r.organization_id = $1 AND r.facility_id = $2 GROUP BY r.id",
    )
    .bind(org)
    .bind(f.id)
    .fetch_all(db);
    let closures = sqlx::query_as::<_, (i64, String, String)>(
        "SELECT room_id, starts_on, ends_on FROM rsv_closures WHERE organization_id = $1 AND facility_id = $2 \
         AND starts_on <= $3 AND ends_on >= $4",
    )
    .bind(org)
    .bind(f.id)
    .bind(&to)
    .bind(&from)
    .fetch_all(db);
    let used = sqlx::query_as::<_, (String, i64, i64, i64)>(
        "SELECT substr(b.used_on, 1, 7), COUNT(*), CAST(COALESCE(SUM(CASE WHEN b.no_show_at IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(b.fee_due), 0) AS BIGINT) FROM rsv_bookings b \
         JOIN rsv_rooms r ON r.organization_id = b.organization_id AND r.id = b.room_id \
         WHERE b.organization_id = $1 AND r.facility_id = $2 AND b.status = 'confirmed' AND b.used_on >= $3 AND b.used_on <= $4 \
         GROUP BY substr(b.used_on, 1, 7)",
    )
    .bind(org)
    .bind(f.id)
    .bind(&from)
    .bind(&to)
    .fetch_all(db);
    let (rooms, closures, used) = tokio::try_join!(rooms, closures, used)?;
    let mut months = Vec::new();
    let mut first = start;
    while first <= end {
        let key = first.format("%Y-%m").to_string();
        let mut available = 0;
        for day in first.iter_days().take_while(|d| d.month() == first.month()) {
            if f.closed_on_weekday(day.weekday().number_from_monday()) {
                continue;
            }
            let iso = day.format("%Y-%m-%d").to_string();
            for (room, per_day) in &rooms {
                let closed = closures.iter().any(|(r, a, b)| {
                    (*r == 0 || r == room)
                        && a.as_str() <= iso.as_str()
                        && iso.as_str() <= b.as_str()
                });
                if !closed {
                    available += per_day;
                }
            }
        }
        let (n, no_shows, revenue) = used
            .iter()
            .find(|(m, _, _, _)| *m == key)
            .map_or((0, 0, 0), |(_, n, x, r)| (*n, *x, *r));
        months.push(MonthUse {
            first,
            available,
            used: n,
            no_shows,
            revenue,
        });
        first = first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(end.succ_opt().unwrap_or(end));
    }
    Ok(months)
}
