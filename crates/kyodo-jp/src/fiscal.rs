//! 年度 — the fiscal year. Local governments run April–March (地方自治法第208条); the start month is
//! configurable per organization because some bodies (e.g. 公営企業 or foreign partners) differ.

use crate::wareki::{Era, era_year_ja};
use chrono::{Datelike, NaiveDate};

/// A fiscal year named by the calendar year in which it starts (FY2025 = 2025-04-01..2026-03-31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(pub i32);

impl FiscalYear {
    /// The fiscal year containing `date`, for years starting on the 1st of `start_month`.
    pub fn containing(date: NaiveDate, start_month: u32) -> Self {
        if date.month() >= start_month {
            Self(date.year())
        } else {
            Self(date.year() - 1)
        }
    }

    pub fn first_day(self, start_month: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.0, start_month, 1)
    }

    pub fn last_day(self, start_month: u32) -> Option<NaiveDate> {
        Self(self.0 + 1).first_day(start_month)?.pred_opt()
    }

    /// The era a fiscal year is named in: the era in effect at the end of its starting calendar year, so
    /// FY2019 is 令和元年度 (the whole year, as cities name it after 2019-05-01) and FY1988 is 昭和63年度.
    pub fn era(self) -> Option<(Era, i32)> {
        let dec31 = NaiveDate::from_ymd_opt(self.0, 12, 31)?;
        let era = Era::of(dec31)?;
        Some((era, self.0 - era.start().year() + 1))
    }

    /// 「令和7年度(2025年度)」.
    pub fn label_ja(self) -> String {
        match self.era() {
            Some((era, n)) => format!("{}年度({}年度)", era_year_ja(era, n), self.0),
            None => format!("{}年度", self.0),
        }
    }

    /// Parses how people write a fiscal year in a sheet header or cell: 「2008」「2008年度」「FY2008」
    /// 「平成20年度」「平成二十年度」is not accepted (kanji numerals are rare in sheets); 「H20」「R1」
    /// 「令和元年度」「平成20年度(2008年度)」 are. Years outside 1868–2200 are refused.
    pub fn parse(input: &str) -> Option<Self> {
        let s: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                'Ａ'..='Ｚ' => char::from_u32(c as u32 - 'Ａ' as u32 + 'A' as u32).unwrap_or(c),
                c => c.to_ascii_uppercase(),
            })
            .collect();
        // 「平成20年度(2008年度)」: the part before a bracket is enough.
        let s = s.split(['(', '（']).next()?.trim();
        let s = s
            .strip_suffix("年度")
            .or_else(|| s.strip_suffix('年'))
            .unwrap_or(s)
            .trim();
        let s = s.strip_prefix("FY").unwrap_or(s).trim();
        let year = if let Ok(y) = s.parse::<i32>() {
            y
        } else {
            let eras = [
                (Era::Reiwa, ["令和", "R"]),
                (Era::Heisei, ["平成", "H"]),
                (Era::Showa, ["昭和", "S"]),
                (Era::Taisho, ["大正", "T"]),
                (Era::Meiji, ["明治", "M"]),
            ];
            let (era, rest) = eras.iter().find_map(|(e, names)| {
                names
                    .iter()
                    .find_map(|n| s.strip_prefix(n))
                    .map(|r| (*e, r.trim()))
            })?;
            let n = if rest == "元" {
                1
            } else {
                rest.parse::<i32>().ok().filter(|n| (1..=999).contains(n))?
            };
            let year = era.gregorian_year(n);
            // An era year past the era's end (H100) is a typing error; the last year itself is kept
            // (sheets say 平成31年度 for FY2019).
            if era.next().is_some_and(|next| year > next.start().year()) {
                return None;
            }
            year
        };
        (1868..=2200).contains(&year).then_some(Self(year))
    }

    /// "FY2025 (Reiwa 7)".
    pub fn label_en(self) -> String {
        match self.era() {
            Some((era, n)) => format!("FY{} ({} {})", self.0, era.romaji(), n),
            None => format!("FY{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_year_headers_as_sheets_write_them() {
        for (input, year) in [
            ("2008", 2008),
            ("2008年度", 2008),
            ("FY2012", 2012),
            ("fy 2012", 2012),
            ("平成20年度", 2008),
            ("H24", 2012),
            ("Ｈ２４", 2012),
            ("令和元年度", 2019),
            ("R7", 2025),
            ("平成20年度(2008年度)", 2008),
            ("昭和64年", 1989),
        ] {
            assert_eq!(FiscalYear::parse(input), Some(FiscalYear(year)), "{input}");
        }
        for bad in [
            "",
            "年度",
            "平成",
            "H0",
            "H100",
            "1200",
            "20080",
            "令和x年度",
            "目標",
        ] {
            assert_eq!(FiscalYear::parse(bad), None, "{bad}");
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn april_to_march() {
        assert_eq!(FiscalYear::containing(d(2026, 3, 31), 4), FiscalYear(2025));
        assert_eq!(FiscalYear::containing(d(2025, 4, 1), 4), FiscalYear(2025));
        assert_eq!(FiscalYear::containing(d(2025, 11, 24), 4), FiscalYear(2025));
        assert_eq!(FiscalYear(2025).first_day(4), Some(d(2025, 4, 1)));
        assert_eq!(FiscalYear(2025).last_day(4), Some(d(2026, 3, 31)));
        assert_eq!(FiscalYear::containing(d(2025, 1, 1), 1), FiscalYear(2025));
    }

    #[test]
    fn labels() {
        assert_eq!(FiscalYear(2025).label_ja(), "令和7年度(2025年度)");
        assert_eq!(FiscalYear(2019).label_ja(), "令和元年度(2019年度)");
        assert_eq!(FiscalYear(2018).label_ja(), "平成30年度(2018年度)");
        assert_eq!(FiscalYear(2008).label_ja(), "平成20年度(2008年度)");
        assert_eq!(FiscalYear(1988).label_ja(), "昭和63年度(1988年度)");
        assert_eq!(FiscalYear(1989).label_ja(), "平成元年度(1989年度)");
        assert_eq!(FiscalYear(2025).label_en(), "FY2025 (Reiwa 7)");
    }
}
