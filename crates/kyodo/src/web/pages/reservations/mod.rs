//! 施設予約 pages: facilities and their availability (public), booking and 利用者登録 (signed in),
//! the counter (staff): the day's bookings, 本予約, cancellation, 本登録 and the 利用許可書; 抽選
//! (lotteries: citizens apply, staff open and draw, anyone can check the draw).

pub mod booking;
pub mod cars;
pub mod closures;
pub mod counter;
pub mod facilities;
pub mod facility_data;
pub mod facility_edit;
pub mod facility_import;
pub mod lotteries;
pub mod lottery;
pub mod management;
pub mod manager;
pub mod registration;
pub mod rooms;

/// A staff day page (`/staff/facilities`, `/staff/cars`) for the day a form was about, or today.
pub fn day_page(base: &str, date: &str) -> String {
    match kyodo_jp::wareki::parse_date(date) {
        Ok(d) => format!("{base}?date={}", d.format("%Y-%m-%d")),
        Err(_) => base.to_string(),
    }
}

/// The catalogue key of a booking status.
pub fn status_key(status: &str) -> &'static str {
    match status {
        "provisional" => "rsv.status_provisional",
        "confirmed" => "rsv.status_confirmed",
        "cancelled" => "rsv.status_cancelled",
        "no_show" => "rsv.status_no_show",
        _ => "rsv.status_released",
    }
}

/// 1,234円 / ¥1,234
pub fn yen(t: crate::i18n::Tr, v: i64) -> String {
    t.f("rsv.yen", &[&crate::web::format::amount(v)])
}

/// A day as the visitor reads it: 令和8年1月15日(木).
pub fn day(t: crate::i18n::Tr, iso: &str) -> String {
    use chrono::Datelike;
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => format!(
            "{}({})",
            t.date(d),
            t.t(WEEKDAYS[d.weekday().num_days_from_monday() as usize])
        ),
        Err(_) => iso.to_string(),
    }
}

/// A day in a month's grid: 1月15日(木) / Thu 1/15.
pub fn short_day(t: crate::i18n::Tr, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let wd = t.t(WEEKDAYS[d.weekday().num_days_from_monday() as usize]);
    t.f("rsv.day_short", &[&d.month(), &d.day(), &wd])
}

pub const WEEKDAYS: [&str; 7] = [
    "rsv.mon", "rsv.tue", "rsv.wed", "rsv.thu", "rsv.fri", "rsv.sat", "rsv.sun",
];
