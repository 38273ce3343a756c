//! 和暦 — Japanese era dates, exact at era boundaries.
//!
//! Public documents print 和暦 first with 西暦 in parentheses: 「令和7年(2025年)11月24日」, and the first
//! year of an era is 元年, never 1年.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// 元号 — an era of the modern calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

const ERAS: [Era; 5] = [Era::Reiwa, Era::Heisei, Era::Showa, Era::Taisho, Era::Meiji];

impl Era {
    /// First day of the era (Gregorian).
    #[expect(
        clippy::expect_used,
        reason = "five fixed dates, each a real day (the tests walk every era)"
    )]
    pub fn start(self) -> NaiveDate {
        let (y, m, d) = match self {
            Era::Meiji => (1868, 1, 25),
            Era::Taisho => (1912, 7, 30),
            Era::Showa => (1926, 12, 25),
            Era::Heisei => (1989, 1, 8),
            Era::Reiwa => (2019, 5, 1),
        };
        NaiveDate::from_ymd_opt(y, m, d).expect("valid era start")
    }

    /// The era that follows, if any.
    pub fn next(self) -> Option<Era> {
        match self {
            Era::Meiji => Some(Era::Taisho),
            Era::Taisho => Some(Era::Showa),
            Era::Showa => Some(Era::Heisei),
            Era::Heisei => Some(Era::Reiwa),
            Era::Reiwa => None,
        }
    }

    pub fn kanji(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    pub fn romaji(self) -> &'static str {
        match self {
            Era::Meiji => "Meiji",
            Era::Taisho => "Taisho",
            Era::Showa => "Showa",
            Era::Heisei => "Heisei",
            Era::Reiwa => "Reiwa",
        }
    }

    /// JIS X 0301 letter (M/T/S/H/R) and one-kanji abbreviation.
    fn abbreviations(self) -> (char, char) {
        match self {
            Era::Meiji => ('M', '明'),
            Era::Taisho => ('T', '大'),
            Era::Showa => ('S', '昭'),
            Era::Heisei => ('H', '平'),
            Era::Reiwa => ('R', '令'),
        }
    }

    /// The era in effect on `date`, or `None` before 明治.
    pub fn of(date: NaiveDate) -> Option<Era> {
        ERAS.into_iter().find(|e| date >= e.start())
    }

    /// Gregorian year of era year `n` (1 = 元年).
    pub fn gregorian_year(self, n: i32) -> i32 {
        self.start().year() + n - 1
    }
}

/// `令和7` / `令和元` — an era name and year number.
pub fn era_year_ja(era: Era, n: i32) -> String {
    if n == 1 {
        format!("{}元", era.kanji())
    } else {
        format!("{}{}", era.kanji(), n)
    }
}

/// 「令和7年(2025年)11月24日」; before 明治 only the 西暦 is printed.
pub fn format_date_ja(date: NaiveDate) -> String {
    match Era::of(date) {
        Some(era) => format!(
            "{}年({}年){}月{}日",
            era_year_ja(era, date.year() - era.start().year() + 1),
            date.year(),
            date.month(),
            date.day()
        ),
        None => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
    }
}

/// "24 November 2025 (Reiwa 7)".
pub fn format_date_en(date: NaiveDate) -> String {
    let base = date.format("%-d %B %Y").to_string();
    match Era::of(date) {
        Some(era) => format!(
            "{base} ({} {})",
            era.romaji(),
            date.year() - era.start().year() + 1
        ),
        None => base,
    }
}

/// Why a typed date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarekiError {
    /// Not a date format Kyodo understands.
    Format,
    /// The month/day does not exist (e.g. 2月30日).
    NoSuchDay,
    /// The date lies outside the named era (e.g. 令和元年4月1日, 平成32年).
    OutsideEra(Era),
    /// The 西暦 in parentheses does not match the 和暦.
    Mismatch,
}

impl fmt::Display for WarekiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Format => f.write_str("unrecognised date format"),
            Self::NoSuchDay => f.write_str("no such day"),
            Self::OutsideEra(e) => write!(f, "date is outside the {} era", e.romaji()),
            Self::Mismatch => f.write_str("Japanese and Western years disagree"),
        }
    }
}

impl std::error::Error for WarekiError {}

/// Reads a date as staff type it: `2025-11-24`, `2025/11/24`, `2025年11月24日`, `令和7年11月24日`,
/// `令和元年5月1日`, `令和7年(2025年)11月24日`, `R7.11.24`, `R07.11.24`, `令07.11.24`; full-width digits allowed.
pub fn parse_date(input: &str) -> Result<NaiveDate, WarekiError> {
    let s: String = input.trim().chars().map(normalize_char).collect();
    if s.is_empty() || s.len() > 64 {
        return Err(WarekiError::Format);
    }
    let (era, rest) = split_era(&s);
    let (year, rest) = take_year(rest, era.is_some())?;
    // Optional 「(2025年)」 after a 和暦 year.
    let after_year = rest.strip_prefix('年').unwrap_or(rest);
    let (western, rest) = match after_year.strip_prefix('(').filter(|_| era.is_some()) {
        Some(r) => {
            let end = r.find(')').ok_or(WarekiError::Format)?;
            let inner = r[..end].trim_end_matches('年');
            (Some(parse_num(inner)?), &r[end + 1..])
        }
        None => (None, rest),
    };
    let rest = rest.trim_start_matches(['年', '.', '/', '-']);
    let (month, rest) = take_number(rest)?;
    let rest = rest.trim_start_matches(['月', '.', '/', '-']);
    let (day, rest) = take_number(rest)?;
    if !matches!(rest, "" | "日") {
        return Err(WarekiError::Format);
    }
    let gregorian = match era {
        Some(e) => e.gregorian_year(year),
        None => year,
    };
    if western.is_some_and(|w| w != gregorian) {
        return Err(WarekiError::Mismatch);
    }
    // Dates in municipal records lie between the Meiji restoration and the foreseeable future; a year
    // outside is a typing error (found by fuzzing: 3165.1.6 parsed but could not be written back).
    if !(1868..=2200).contains(&gregorian) {
        return Err(WarekiError::Format);
    }
    let date = u32::try_from(month)
        .ok()
        .zip(u32::try_from(day).ok())
        .and_then(|(m, d)| NaiveDate::from_ymd_opt(gregorian, m, d))
        .ok_or(WarekiError::NoSuchDay)?;
    if let Some(e) = era {
        let before_next = e.next().is_none_or(|n| date < n.start());
        if year < 1 || date < e.start() || !before_next {
            return Err(WarekiError::OutsideEra(e));
        }
    }
    Ok(date)
}

fn normalize_char(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '（' => '(',
        '）' => ')',
        '．' => '.',
        '／' => '/',
        '－' | 'ー' | '−' => '-',
        ' ' | '　' => ' ',
        c if c.is_ascii_lowercase() => c.to_ascii_uppercase(),
        c => c,
    }
}

fn split_era(s: &str) -> (Option<Era>, &str) {
    for era in ERAS {
        let (letter, kanji1) = era.abbreviations();
        if let Some(rest) = s.strip_prefix(era.kanji()) {
            return (Some(era), rest.trim_start());
        }
        if let Some(rest) = s.strip_prefix(letter).or_else(|| s.strip_prefix(kanji1)) {
            return (Some(era), rest.trim_start());
        }
    }
    (None, s)
}

fn take_year(s: &str, is_era: bool) -> Result<(i32, &str), WarekiError> {
    if is_era && let Some(rest) = s.strip_prefix('元') {
        return Ok((1, rest));
    }
    let (n, rest) = take_number(s)?;
    let digits = s.len() - rest.len();
    // A western year must have four digits; an era year at most two or three.
    if (!is_era && digits != 4) || (is_era && digits > 3) {
        return Err(WarekiError::Format);
    }
    Ok((n, rest))
}

fn take_number(s: &str) -> Result<(i32, &str), WarekiError> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 || end > 4 {
        return Err(WarekiError::Format);
    }
    Ok((parse_num(&s[..end])?, &s[end..]))
}

fn parse_num(s: &str) -> Result<i32, WarekiError> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WarekiError::Format);
    }
    s.parse().map_err(|_| WarekiError::Format)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn formats_with_western_year_in_parentheses() {
        assert_eq!(format_date_ja(d(2025, 11, 24)), "令和7年(2025年)11月24日");
        assert_eq!(
            format_date_en(d(2025, 11, 24)),
            "24 November 2025 (Reiwa 7)"
        );
    }

    #[test]
    fn era_boundaries_are_exact() {
        assert_eq!(format_date_ja(d(1989, 1, 7)), "昭和64年(1989年)1月7日");
        assert_eq!(format_date_ja(d(1989, 1, 8)), "平成元年(1989年)1月8日");
        assert_eq!(format_date_ja(d(2019, 4, 30)), "平成31年(2019年)4月30日");
        assert_eq!(format_date_ja(d(2019, 5, 1)), "令和元年(2019年)5月1日");
        assert_eq!(format_date_ja(d(1926, 12, 24)), "大正15年(1926年)12月24日");
        assert_eq!(format_date_ja(d(1926, 12, 25)), "昭和元年(1926年)12月25日");
    }

    #[test]
    fn parses_what_staff_type() {
        let want = d(2025, 11, 24);
        for s in [
            "2025-11-24",
            "2025/11/24",
            "2025年11月24日",
            "令和7年11月24日",
            "令和7年(2025年)11月24日",
            "R7.11.24",
            "r07.11.24",
            "令07.11.24",
            "令和７年１１月２４日",
            " ２０２５／１１／２４ ",
        ] {
            assert_eq!(parse_date(s), Ok(want), "{s}");
        }
        assert_eq!(parse_date("令和元年5月1日"), Ok(d(2019, 5, 1)));
        assert_eq!(parse_date("平成31年4月30日"), Ok(d(2019, 4, 30)));
        assert_eq!(parse_date("昭和64年1月7日"), Ok(d(1989, 1, 7)));
    }

    #[test]
    fn round_trips_its_own_output() {
        for date in [
            d(1989, 1, 7),
            d(1989, 1, 8),
            d(2019, 4, 30),
            d(2019, 5, 1),
            d(2030, 3, 31),
        ] {
            assert_eq!(parse_date(&format_date_ja(date)), Ok(date));
        }
    }

    #[test]
    fn rejects_dates_outside_their_era() {
        assert_eq!(
            parse_date("令和元年4月30日"),
            Err(WarekiError::OutsideEra(Era::Reiwa))
        );
        assert_eq!(
            parse_date("平成31年5月1日"),
            Err(WarekiError::OutsideEra(Era::Heisei))
        );
        assert_eq!(
            parse_date("昭和64年1月8日"),
            Err(WarekiError::OutsideEra(Era::Showa))
        );
        assert_eq!(
            parse_date("平成0年1月8日"),
            Err(WarekiError::OutsideEra(Era::Heisei))
        );
        assert_eq!(
            parse_date("令和7年(2024年)11月24日"),
            Err(WarekiError::Mismatch)
        );
        assert_eq!(parse_date("2025-02-30"), Err(WarekiError::NoSuchDay));
        for bad in [
            "",
            "abc",
            "25-11-24",
            "2025-11",
            "令和",
            "2025-11-24x",
            "99999-1-1",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
