//! 施策評価 — the rollup of each 施策 (measure): its outcome indicators and their achievement, the
//! programmes under it (directly or through a 基本事業) with their cost and direction, a score
//! banded by the configurable `policy_band` list, and the direction the HQ set for the 施策.
//!
//! Score = the mean achievement (%) of the 施策's outcome indicators in the year, each capped at
//! 100 % so that one over-achieved indicator cannot hide another that is behind.

use super::costs::{self, ColumnTotal};
use super::sheet_data::SheetData;
use super::store::{Indicator, IndicatorValue, PolicyNode, Programme, UnitCost};
use crate::codes::{self, Code};
use crate::evaluation::stage::Stage;
use crate::plans::metrics::achievement;

#[derive(Debug, Clone)]
pub struct IndicatorRow {
    pub indicator: Indicator,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub achievement: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct ProgrammeRow {
    pub programme: Programme,
    pub sheet_id: Option<i64>,
    /// `None`: no sheet this year.
    pub stage: Option<Stage>,
    /// The year's settled column (or budget, while not settled).
    pub cost: Option<ColumnTotal>,
    pub direction: String,
}

#[derive(Debug, Clone)]
pub struct Measure {
    pub node: PolicyNode,
    pub indicators: Vec<IndicatorRow>,
    pub score: Option<f64>,
    pub band: Option<Code>,
    pub programmes: Vec<ProgrammeRow>,
    pub total_cost: i64,
    pub direction: Option<(String, String)>,
}

/// The band of a score: the band with the highest minimum at or below it.
pub fn band(all_codes: &[Code], score: f64) -> Option<&Code> {
    codes::of_list(all_codes, codes::POLICY_BAND)
        .filter_map(|c| c.code.parse::<f64>().ok().map(|min| (min, c)))
        .filter(|(min, _)| *min <= score)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Mean achievement of the indicators that have both target and actual, each capped at 100 %.
pub fn score(rows: &[IndicatorRow]) -> Option<f64> {
    let v: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.achievement)
        .map(|a| a.min(100.0))
        .collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

pub struct Inputs<'a> {
    pub fiscal_year: i64,
    pub nodes: &'a [PolicyNode],
    pub programmes: &'a [Programme],
    pub data: &'a SheetData,
    pub indicators: &'a [Indicator],
    pub values: &'a [IndicatorValue],
    pub units: &'a [UnitCost],
    pub codes: &'a [Code],
    /// (node, direction, reason) set by the HQ for the year.
    pub directions: &'a [(i64, String, String)],
}

/// Every 施策 (level `measure`), in hierarchy order.
pub fn measures(i: &Inputs<'_>) -> Vec<Measure> {
    i.nodes
        .iter()
        .filter(|n| n.level == "measure")
        .map(|n| measure(i, n))
        .collect()
}

pub fn measure(i: &Inputs<'_>, n: &PolicyNode) -> Measure {
    let under: Vec<i64> = std::iter::once(n.id)
        .chain(
            i.nodes
                .iter()
                .filter(|c| c.parent_id == Some(n.id))
                .map(|c| c.id),
        )
        .collect();
    let indicators: Vec<IndicatorRow> = i
        .indicators
        .iter()
        .filter(|ind| ind.owner_kind == "policy" && ind.owner_id == n.id)
        .map(|ind| {
            let v = i
                .values
                .iter()
                .find(|v| v.indicator_id == ind.id && v.fiscal_year == i.fiscal_year);
            let (target, actual) = (v.and_then(|v| v.target), v.and_then(|v| v.actual));
            IndicatorRow {
                indicator: ind.clone(),
                target,
                actual,
                achievement: target
                    .zip(actual)
                    .and_then(|(t, a)| achievement(ind.higher_is_better, t, a)),
            }
        })
        .collect();
    let programmes: Vec<ProgrammeRow> = i
        .programmes
        .iter()
        .filter(|p| p.policy_node_id.is_some_and(|id| under.contains(&id)))
        .map(|p| {
            let sheet = i.data.sheets.iter().find(|s| s.programme_id == p.id);
            let cost = sheet.map(|s| {
                let cols = costs::columns(
                    i.fiscal_year,
                    &i.data.costs_of(s.id),
                    &i.data.staffing_of(s.id),
                    i.units,
                );
                let settled = costs::column(&cols, "settled").cloned().unwrap_or_default();
                if settled.total == 0 {
                    costs::column(&cols, "budget").cloned().unwrap_or_default()
                } else {
                    settled
                }
            });
            ProgrammeRow {
                programme: p.clone(),
                sheet_id: sheet.map(|s| s.id),
                stage: sheet.map(|s| s.stage),
                direction: sheet
                    .and_then(|s| i.data.latest_verdict(s.id))
                    .map(|v| v.direction.clone())
                    .unwrap_or_default(),
                cost,
            }
        })
        .collect();
    let score = score(&indicators);
    Measure {
        node: n.clone(),
        band: score.and_then(|s| band(i.codes, s)).cloned(),
        score,
        total_cost: programmes
            .iter()
            .filter_map(|p| p.cost.as_ref())
            .map(|c| c.total)
            .sum(),
        indicators,
        programmes,
        direction: i
            .directions
            .iter()
            .find(|(id, _, _)| *id == n.id)
            .map(|(_, d, r)| (d.clone(), r.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(list: &str, code: &str) -> Code {
        Code {
            list: list.into(),
            code: code.into(),
            label: code.into(),
            label_en: String::new(),
            sort_order: 0,
        }
    }

    fn row(a: Option<f64>) -> IndicatorRow {
        IndicatorRow {
            indicator: Indicator {
                id: 1,
                owner_kind: "policy".into(),
                owner_id: 1,
                kind: "outcome".into(),
                name: "x".into(),
                unit: String::new(),
                higher_is_better: true,
                position: 0,
            },
            target: None,
            actual: None,
            achievement: a,
        }
    }

    #[test]
    fn score_caps_each_indicator_and_bands_by_minimum() {
        let bands = [
            code("policy_band", "100"),
            code("policy_band", "80"),
            code("policy_band", "0"),
            code("other", "90"),
        ];
        assert_eq!(
            score(&[row(Some(150.0)), row(Some(70.0)), row(None)]),
            Some(85.0)
        );
        assert_eq!(score(&[row(None)]), None);
        assert_eq!(band(&bands, 85.0).unwrap().code, "80");
        assert_eq!(band(&bands, 100.0).unwrap().code, "100");
        assert_eq!(band(&bands, 12.5).unwrap().code, "0");
        assert!(band(&bands[..1], 50.0).is_none());
    }
}
