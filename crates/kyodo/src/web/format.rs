//! How every area's pages write fiscal years and amounts.

use crate::charts::fmt_num;

pub use crate::i18n::fy;

/// An amount (千円) grouped as a spreadsheet shows it: 「1,234,567」.
pub fn amount(v: i64) -> String {
    fmt_num(v as f64)
}

/// A stored date (YYYY-MM-DD or a timestamp) as 令和8年(2026年)4月1日; empty if it is neither.
pub fn stored_day(t: crate::i18n::Tr, stored: &str) -> String {
    stored
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| t.date(d))
        .unwrap_or_default()
}

/// An amount, or 「—」 when there is none.
pub fn opt_amount(v: Option<i64>) -> String {
    v.map(amount).unwrap_or_else(|| "—".into())
}

/// A mean or score with two decimals, as survey results show them.
pub fn fmt2(v: f64) -> String {
    format!("{v:.2}")
}

/// RFC 5545 TEXT (iCal feeds): backslash, semicolon, comma and newlines escaped.
pub fn ical_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Two stored dates (YYYY-MM-DD) as a period in the page's language: 令和8年1月5日 〜 令和8年2月4日
/// (a consultation's period, a call's, an adviser's term). A date that does not parse shows as stored.
pub fn date_range(t: crate::i18n::Tr, from: &str, to: &str) -> String {
    let day = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| t.date(d))
            .unwrap_or_else(|_| s.to_string())
    };
    t.f("pc.period_value", &[&day(from), &day(to)])
}
