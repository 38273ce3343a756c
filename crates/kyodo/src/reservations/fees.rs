//! 使用料と減免 — a booking's fee: the slot's fee for the user's audience (市内 / 市外 / 営利), less
//! the user's 減免 for the fiscal year (全額免除, 半額 or another rate), rounded as the
//! organization's rules say (端数処理: the charge is rounded down, to nearest or up to 1 or 10 円).
//! Commercial use is never reduced.

use serde::Serialize;

/// Who a fee is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Audience {
    /// 市内 — lives, works or studies in the city.
    Resident,
    /// 市外
    NonResident,
    /// 営利 — commercial use.
    Commercial,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Audience::Resident => "resident",
            Audience::NonResident => "nonresident",
            Audience::Commercial => "commercial",
        }
    }
}

/// How the charge after 減免 is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundMode {
    Down,
    Nearest,
    Up,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rounding {
    pub mode: RoundMode,
    /// 1 or 10 (円)
    pub unit: i64,
}

impl Rounding {
    /// The organization setting's form: `down:10`, `nearest:1`, `up:1` (default `down:1`).
    pub fn parse(s: &str) -> Option<Rounding> {
        let (mode, unit) = s.split_once(':')?;
        let mode = match mode {
            "down" => RoundMode::Down,
            "nearest" => RoundMode::Nearest,
            "up" => RoundMode::Up,
            _ => return None,
        };
        let unit: i64 = unit.parse().ok()?;
        matches!(unit, 1 | 10 | 100).then_some(Rounding { mode, unit })
    }
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            mode: RoundMode::Down,
            unit: 1,
        }
    }
}

/// The charge for `fee` 円 with `exemption_percent` % exempted (0–100), in whole yen and exact
/// arithmetic (no floating point): fee × (100 − rate) / 100, rounded.
pub fn charge(fee: i64, exemption_percent: i64, audience: Audience, rounding: Rounding) -> i64 {
    let rate = if audience == Audience::Commercial {
        0
    } else {
        exemption_percent.clamp(0, 100)
    };
    // In hundredths of a yen, then to the rounding unit.
    let hundredths = fee * (100 - rate);
    let step = 100 * rounding.unit;
    let whole = hundredths.div_euclid(step);
    let rest = hundredths.rem_euclid(step);
    let units = match rounding.mode {
        RoundMode::Down => whole,
        RoundMode::Up => whole + i64::from(rest > 0),
        RoundMode::Nearest => whole + i64::from(rest * 2 >= step),
    };
    units * rounding.unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exemptions_are_computed_exactly_and_rounded_as_configured() {
        let r = Rounding::default();
        assert_eq!(charge(2_100, 0, Audience::Resident, r), 2_100);
        assert_eq!(charge(2_100, 100, Audience::Resident, r), 0);
        assert_eq!(charge(2_100, 50, Audience::Resident, r), 1_050);
        // 1,575 × 0.5 = 787.5: down 787, up 788, nearest 788; to 10 円: 780 / 790 / 790.
        assert_eq!(charge(1_575, 50, Audience::Resident, r), 787);
        let up = Rounding::parse("up:1").unwrap();
        assert_eq!(charge(1_575, 50, Audience::Resident, up), 788);
        let near = Rounding::parse("nearest:1").unwrap();
        assert_eq!(charge(1_575, 50, Audience::Resident, near), 788);
        let down10 = Rounding::parse("down:10").unwrap();
        assert_eq!(charge(1_575, 50, Audience::Resident, down10), 780);
        let near10 = Rounding::parse("nearest:10").unwrap();
        assert_eq!(charge(1_575, 50, Audience::Resident, near10), 790);
        assert_eq!(charge(1_574, 50, Audience::Resident, near10), 790);
        assert_eq!(charge(1_560, 50, Audience::Resident, near10), 780);
        // 75 % exempted of 1,010 = 252.5 charged.
        assert_eq!(charge(1_010, 75, Audience::NonResident, r), 252);
        // Commercial use is never reduced.
        assert_eq!(charge(3_000, 100, Audience::Commercial, r), 3_000);
        assert_eq!(Rounding::parse("sideways:1"), None);
        assert_eq!(Rounding::parse("down:3"), None);
    }
}
