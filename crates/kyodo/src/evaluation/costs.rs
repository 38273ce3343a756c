//! Full cost of a programme (フルコスト). 事業費 is entered by funding source; 人件費 is staff-years
//! (人工, FTE) per staff category × that year's unit cost (単価). Totals are always computed here,
//! never taken from a form or a workbook.
//!
//! A sheet for fiscal year Y carries four columns: Y−1 決算 (`prev_settled`), Y 予算 (`budget`),
//! Y 決算 (`settled`) and Y+1 予算 (`next_budget`). The settled column of Y is the year's cost.

use super::store::{CostRow, IndicatorValue, StaffRow, UnitCost};
use serde::Serialize;
use std::collections::BTreeMap;

/// (column code, catalogue key of its heading).
pub const COLUMNS: [(&str, &str); 4] = [
    ("prev_settled", "eval.col_prev_settled"),
    ("budget", "eval.col_budget"),
    ("settled", "eval.col_settled"),
    ("next_budget", "eval.col_next_budget"),
];

/// The funding source that budget frames count (一般財源).
pub const GENERAL: &str = "general";

pub fn is_column(col: &str) -> bool {
    COLUMNS.iter().any(|(c, _)| *c == col)
}

/// The fiscal year a column's amounts belong to, on a sheet of year `fy`.
pub fn column_year(fy: i64, col: &str) -> i64 {
    match col {
        "prev_settled" => fy - 1,
        "next_budget" => fy + 1,
        _ => fy,
    }
}

/// 人件費単価 for `category` in `year`: that year's, else the latest earlier year's (cities revise
/// it only occasionally). `None` when none was ever set.
pub fn unit_cost(units: &[UnitCost], year: i64, category: &str) -> Option<i64> {
    units
        .iter()
        .filter(|u| u.category == category && u.fiscal_year <= year)
        .max_by_key(|u| u.fiscal_year)
        .map(|u| u.unit_cost)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ColumnTotal {
    pub col: &'static str,
    pub year: i64,
    /// 事業費 by funding source code.
    pub by_source: BTreeMap<String, i64>,
    /// 事業費 (A).
    pub programme_cost: i64,
    pub general: i64,
    pub fte: f64,
    /// 人件費 (B), rounded to 千円.
    pub personnel: i64,
    /// トータルコスト (A + B).
    pub total: i64,
    /// Staff categories that have FTE but no unit cost for the year (their 人件費 counts as 0).
    pub missing_unit_costs: Vec<String>,
}

/// The four columns of one sheet.
pub fn columns(
    fy: i64,
    costs: &[&CostRow],
    staffing: &[&StaffRow],
    units: &[UnitCost],
) -> Vec<ColumnTotal> {
    COLUMNS
        .iter()
        .map(|(col, _)| {
            let year = column_year(fy, col);
            let mut t = ColumnTotal {
                col,
                year,
                ..Default::default()
            };
            for c in costs.iter().filter(|c| c.col == *col) {
                *t.by_source.entry(c.source.clone()).or_default() += c.amount;
                t.programme_cost += c.amount;
                if c.source == GENERAL {
                    t.general += c.amount;
                }
            }
            let mut personnel = 0.0;
            for s in staffing.iter().filter(|s| s.col == *col) {
                t.fte += s.fte;
                match unit_cost(units, year, &s.category) {
                    Some(u) => personnel += s.fte * u as f64,
                    None if s.fte > 0.0 => t.missing_unit_costs.push(s.category.clone()),
                    None => {}
                }
            }
            t.personnel = personnel.round() as i64;
            t.total = t.programme_cost + t.personnel;
            t
        })
        .collect()
}

/// The column named `col` of computed columns.
pub fn column<'a>(cols: &'a [ColumnTotal], col: &str) -> Option<&'a ColumnTotal> {
    cols.iter().find(|c| c.col == col)
}

/// 単位コスト: total cost (千円) per unit of output, from the first activity indicator's actual.
pub fn cost_per_unit(total: i64, output: Option<f64>) -> Option<f64> {
    output.filter(|o| *o > 0.0).map(|o| total as f64 / o)
}

/// The actual of `indicator` in `year`.
pub fn actual(values: &[IndicatorValue], indicator: i64, year: i64) -> Option<f64> {
    values
        .iter()
        .find(|v| v.indicator_id == indicator && v.fiscal_year == year)
        .and_then(|v| v.actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(col: &str, source: &str, amount: i64) -> CostRow {
        CostRow {
            sheet_id: 1,
            col: col.into(),
            source: source.into(),
            amount,
        }
    }

    #[test]
    fn full_cost_adds_personnel_at_each_columns_unit_cost() {
        let costs = [
            cost("settled", "national", 1_000),
            cost("settled", GENERAL, 2_500),
            cost("next_budget", GENERAL, 3_000),
        ];
        let staffing = [
            StaffRow {
                sheet_id: 1,
                col: "settled".into(),
                category: "regular".into(),
                fte: 0.5,
            },
            StaffRow {
                sheet_id: 1,
                col: "settled".into(),
                category: "fixed_term".into(),
                fte: 1.0,
            },
            StaffRow {
                sheet_id: 1,
                col: "next_budget".into(),
                category: "regular".into(),
                fte: 0.3,
            },
        ];
        let units = [
            UnitCost {
                fiscal_year: 2020,
                category: "regular".into(),
                unit_cost: 8_000,
            },
            UnitCost {
                fiscal_year: 2025,
                category: "regular".into(),
                unit_cost: 8_500,
            },
        ];
        let cols = columns(
            2024,
            &costs.iter().collect::<Vec<_>>(),
            &staffing.iter().collect::<Vec<_>>(),
            &units,
        );
        let settled = column(&cols, "settled").unwrap();
        assert_eq!(settled.year, 2024);
        assert_eq!(settled.programme_cost, 3_500);
        assert_eq!(settled.general, 2_500);
        // 0.5 × 8,000 (the 2020 rate still applies in 2024); fixed-term staff have no rate.
        assert_eq!(settled.personnel, 4_000);
        assert_eq!(settled.total, 7_500);
        assert_eq!(settled.missing_unit_costs, vec!["fixed_term".to_string()]);
        let next = column(&cols, "next_budget").unwrap();
        assert_eq!(next.year, 2025);
        assert_eq!(next.personnel, 2_550); // 0.3 × 8,500
        assert_eq!(next.total, 5_550);
        assert_eq!(column(&cols, "prev_settled").unwrap().total, 0);
        assert_eq!(cost_per_unit(7_500, Some(150.0)), Some(50.0));
        assert_eq!(cost_per_unit(7_500, Some(0.0)), None);
    }
}
