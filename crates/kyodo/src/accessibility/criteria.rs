//! The success criteria of levels A and AA: JIS X 8341-3:2016 (= WCAG 2.0) and the twelve WCAG
//! 2.1 added. Their names are in the catalogues under `wcag.c<number with _>`.

/// 適合レベル — conformance level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    A,
    AA,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::A => "A",
            Level::AA => "AA",
        }
    }
}

/// 達成基準 — one success criterion.
#[derive(Debug, Clone, Copy)]
pub struct Criterion {
    /// e.g. "1.4.10"
    pub number: &'static str,
    pub level: Level,
    /// Added by WCAG 2.1 (not in JIS X 8341-3:2016 itself).
    pub wcag21: bool,
    /// Needs a person's check: automated checks alone cannot show that it is met. Only a page
    /// title and the page's language are fully decided by a machine.
    pub manual: bool,
}

impl Criterion {
    /// The catalogue key of the criterion's name.
    pub fn name_key(&self) -> String {
        format!("wcag.c{}", self.number.replace('.', "_"))
    }
}

const fn c(number: &'static str, level: Level, wcag21: bool) -> Criterion {
    Criterion {
        number,
        level,
        wcag21,
        manual: true,
    }
}

const fn auto(number: &'static str, level: Level) -> Criterion {
    Criterion {
        number,
        level,
        wcag21: false,
        manual: false,
    }
}

use Level::{A, AA};

/// Every criterion of levels A and AA, in the standard's order.
pub const ALL: [Criterion; 50] = [
    c("1.1.1", A, false),
    c("1.2.1", A, false),
    c("1.2.2", A, false),
    c("1.2.3", A, false),
    c("1.2.4", AA, false),
    c("1.2.5", AA, false),
    c("1.3.1", A, false),
    c("1.3.2", A, false),
    c("1.3.3", A, false),
    c("1.3.4", AA, true),
    c("1.3.5", AA, true),
    c("1.4.1", A, false),
    c("1.4.2", A, false),
    c("1.4.3", AA, false),
    c("1.4.4", AA, false),
    c("1.4.5", AA, false),
    c("1.4.10", AA, true),
    c("1.4.11", AA, true),
    c("1.4.12", AA, true),
    c("1.4.13", AA, true),
    c("2.1.1", A, false),
    c("2.1.2", A, false),
    c("2.1.4", A, true),
    c("2.2.1", A, false),
    c("2.2.2", A, false),
    c("2.3.1", A, false),
    c("2.4.1", A, false),
    auto("2.4.2", A),
    c("2.4.3", A, false),
    c("2.4.4", A, false),
    c("2.4.5", AA, false),
    c("2.4.6", AA, false),
    c("2.4.7", AA, false),
    c("2.5.1", A, true),
    c("2.5.2", A, true),
    c("2.5.3", A, true),
    c("2.5.4", A, true),
    auto("3.1.1", A),
    c("3.1.2", AA, false),
    c("3.2.1", A, false),
    c("3.2.2", A, false),
    c("3.2.3", AA, false),
    c("3.2.4", AA, false),
    c("3.3.1", A, false),
    c("3.3.2", A, false),
    c("3.3.3", AA, false),
    c("3.3.4", AA, false),
    c("4.1.1", A, false),
    c("4.1.2", A, false),
    c("4.1.3", AA, true),
];

/// The criterion with this number, if it is one of levels A and AA.
pub fn find(number: &str) -> Option<&'static Criterion> {
    ALL.iter().find(|c| c.number == number)
}

/// Whether `number` has the form of a success criterion number (`1.4.10`), of any level.
pub fn well_formed(number: &str) -> bool {
    let parts: Vec<&str> = number.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The criterion an axe-core tag names (`wcag1410` → 1.4.10); level tags (`wcag2aa`) name none.
pub fn from_axe_tag(tag: &str) -> Option<&'static Criterion> {
    let digits = tag.strip_prefix("wcag")?;
    if digits.len() < 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = format!("{}.{}.{}", &digits[..1], &digits[1..2], &digits[2..]);
    find(&number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_a_and_twenty_aa_with_twelve_from_wcag_2_1() {
        assert_eq!(ALL.iter().filter(|c| c.level == A).count(), 30);
        assert_eq!(ALL.iter().filter(|c| c.level == AA).count(), 20);
        assert_eq!(ALL.iter().filter(|c| c.wcag21).count(), 12);
        let mut numbers: Vec<_> = ALL.iter().map(|c| c.number).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), 50);
    }

    #[test]
    fn axe_tags_name_criteria() {
        assert_eq!(from_axe_tag("wcag1410").map(|c| c.number), Some("1.4.10"));
        assert_eq!(from_axe_tag("wcag111").map(|c| c.number), Some("1.1.1"));
        assert!(from_axe_tag("wcag2aa").is_none());
        assert!(from_axe_tag("wcag21a").is_none());
        // Level AAA is not part of the report.
        assert!(from_axe_tag("wcag146").is_none());
        assert!(from_axe_tag("best-practice").is_none());
        assert!(well_formed("2.1.3") && well_formed("1.4.10"));
        assert!(!well_formed("1.4") && !well_formed("1.4.x") && !well_formed("9.9.9.9"));
    }
}
