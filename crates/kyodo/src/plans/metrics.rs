//! Derived figures: indicator achievement and fiscal-effect totals on both bases.
//!
//! 財政効果額 rows record the effect that *arises* in a fiscal year. Two bases are reported (§1.3 of
//! the municipal-practice notes): 単年度効果額 — only the effects arising that year; 継続的効果額 —
//! that year's effects plus every earlier recurring effect, which keeps saving money each year.

use super::store::{Effect, Indicator, IndicatorValue};
use serde::Serialize;
use std::collections::BTreeMap;

/// Achievement in percent: actual ÷ target when higher is better, target ÷ actual when lower is better.
pub fn achievement(higher_is_better: bool, target: f64, actual: f64) -> Option<f64> {
    let (num, den) = if higher_is_better {
        (actual, target)
    } else {
        (target, actual)
    };
    (den != 0.0 && num.is_finite() && den.is_finite()).then(|| num / den * 100.0)
}

/// The latest year that has both target and actual, with its achievement.
pub fn latest_achievement(ind: &Indicator, values: &[IndicatorValue]) -> Option<(i64, f64)> {
    values
        .iter()
        .filter(|v| v.indicator_id == ind.id)
        .filter_map(|v| {
            Some((
                v.fiscal_year,
                achievement(ind.higher_is_better, v.target?, v.actual?)?,
            ))
        })
        .max_by_key(|(y, _)| *y)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Amounts {
    pub planned: i64,
    /// `None` until some actual of that year is reported.
    pub actual: Option<i64>,
}

impl Amounts {
    fn add(&mut self, planned: i64, actual: Option<i64>) {
        self.planned += planned;
        if let Some(a) = actual {
            self.actual = Some(self.actual.unwrap_or(0) + a);
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct YearTotals {
    pub fiscal_year: i64,
    pub single_year: Amounts,
    pub continuing: Amounts,
}

/// Totals per fiscal year from `first` to `last` on both bases.
pub fn effect_totals(effects: &[&Effect], first: i64, last: i64) -> Vec<YearTotals> {
    let mut by_year: BTreeMap<i64, YearTotals> = (first..=last)
        .map(|y| {
            (
                y,
                YearTotals {
                    fiscal_year: y,
                    ..Default::default()
                },
            )
        })
        .collect();
    for e in effects {
        for (year, t) in by_year.iter_mut() {
            if e.fiscal_year == *year {
                t.single_year.add(e.planned, e.actual);
                t.continuing.add(e.planned, e.actual);
            } else if e.fiscal_year < *year && e.recurring {
                // A recurring effect keeps counting; its actual counts once it has been reported.
                t.continuing.add(e.planned, e.actual);
            }
        }
    }
    by_year.into_values().collect()
}

/// Sum over years.
pub fn grand_total(rows: &[YearTotals]) -> (Amounts, Amounts) {
    let mut single = Amounts::default();
    let mut cont = Amounts::default();
    for r in rows {
        single.add(r.single_year.planned, r.single_year.actual);
        cont.add(r.continuing.planned, r.continuing.actual);
    }
    (single, cont)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(year: i64, planned: i64, actual: Option<i64>, recurring: bool) -> Effect {
        Effect {
            id: year,
            node_id: 1,
            fiscal_year: year,
            kind: "cut".into(),
            account: "general".into(),
            planned,
            actual,
            recurring,
        }
    }

    #[test]
    fn achievement_respects_direction() {
        assert_eq!(achievement(true, 200.0, 150.0), Some(75.0));
        // Staff numbers: target 1,027, actual 1,025 — lower is better, so slightly over 100 %.
        let a = achievement(false, 1027.0, 1025.0).unwrap();
        assert!((a - 100.195).abs() < 0.001, "{a}");
        assert_eq!(achievement(true, 0.0, 5.0), None);
    }

    #[test]
    fn continuing_basis_recounts_recurring_effects() {
        let rows = [
            e(2008, 100, Some(90), true),
            e(2009, 50, None, false),
            e(2010, 10, Some(10), true),
        ];
        let refs: Vec<&Effect> = rows.iter().collect();
        let t = effect_totals(&refs, 2008, 2011);
        assert_eq!(
            t[0].single_year,
            Amounts {
                planned: 100,
                actual: Some(90)
            }
        );
        assert_eq!(
            t[1].single_year,
            Amounts {
                planned: 50,
                actual: None
            }
        );
        assert_eq!(
            t[1].continuing,
            Amounts {
                planned: 150,
                actual: Some(90)
            }
        );
        assert_eq!(
            t[2].continuing,
            Amounts {
                planned: 110,
                actual: Some(100)
            }
        );
        assert_eq!(
            t[3].single_year,
            Amounts {
                planned: 0,
                actual: None
            }
        );
        assert_eq!(
            t[3].continuing,
            Amounts {
                planned: 110,
                actual: Some(100)
            }
        );
        let (single, cont) = grand_total(&t);
        assert_eq!(
            single,
            Amounts {
                planned: 160,
                actual: Some(100)
            }
        );
        assert_eq!(
            cont,
            Amounts {
                planned: 470,
                actual: Some(380)
            },
            "90 + 90 + 100 + 100"
        );
    }
}
