//! 総コストの推移 — a programme's cost by fiscal year, from every column its published sheets carry.
//! A year's 決算 comes from its own sheet, else from the next year's sheet (前年度決算); its 予算 from
//! its own sheet, else from the previous year's (翌年度予算). A column nobody filled in is missing,
//! never 0: a year with only a budget shows the budget and no settled figure.

use super::costs::{self, ColumnTotal};
use super::store::{CostRow, StaffRow, UnitCost};
use std::collections::BTreeMap;

/// One published sheet's cost entries.
pub struct SheetCosts<'a> {
    pub fiscal_year: i64,
    pub costs: Vec<&'a CostRow>,
    pub staffing: Vec<&'a StaffRow>,
}

#[derive(Debug, Default, PartialEq)]
pub struct YearCost {
    pub year: i64,
    pub settled: Option<ColumnTotal>,
    pub budget: Option<ColumnTotal>,
}

/// Every year with a settled or budget figure, oldest first.
pub fn trend(sheets: &[SheetCosts<'_>], units: &[UnitCost]) -> Vec<YearCost> {
    // (year, is settled) → (from the year's own sheet, the column)
    let mut found: BTreeMap<(i64, bool), (bool, ColumnTotal)> = BTreeMap::new();
    for s in sheets {
        let cols = costs::columns(s.fiscal_year, &s.costs, &s.staffing, units);
        for c in cols {
            let entered =
                s.costs.iter().any(|x| x.col == c.col) || s.staffing.iter().any(|x| x.col == c.col);
            if !entered {
                continue;
            }
            let settled = matches!(c.col, "settled" | "prev_settled");
            let own = c.year == s.fiscal_year;
            let slot = found.entry((c.year, settled)).or_insert((own, c.clone()));
            if own && !slot.0 {
                *slot = (true, c);
            }
        }
    }
    let mut out: Vec<YearCost> = Vec::new();
    for ((year, settled), (_, c)) in found {
        let at = match out.iter().position(|y| y.year == year) {
            Some(i) => i,
            None => {
                out.push(YearCost {
                    year,
                    ..Default::default()
                });
                out.len() - 1
            }
        };
        if settled {
            out[at].settled = Some(c);
        } else {
            out[at].budget = Some(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(col: &str, amount: i64) -> CostRow {
        CostRow {
            sheet_id: 0,
            col: col.into(),
            source: "general".into(),
            amount,
        }
    }

    #[test]
    fn a_year_with_only_a_budget_shows_no_settled_figure_and_last_years_comes_from_its_sheet() {
        let rows = [cost("prev_settled", 900), cost("budget", 1_000)];
        let sheets = [SheetCosts {
            fiscal_year: 2024,
            costs: rows.iter().collect(),
            staffing: vec![],
        }];
        let t = trend(&sheets, &[]);
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].year, t[0].settled.as_ref().map(|c| c.total)),
            (2023, Some(900))
        );
        assert!(t[0].budget.is_none());
        assert_eq!(t[1].year, 2024);
        assert!(t[1].settled.is_none());
        assert_eq!(t[1].budget.as_ref().map(|c| c.total), Some(1_000));
    }

    #[test]
    fn a_years_own_sheet_wins_over_the_next_years_copy() {
        let (a, b) = ([cost("settled", 500)], [cost("prev_settled", 480)]);
        let sheets = [
            SheetCosts {
                fiscal_year: 2024,
                costs: b.iter().collect(),
                staffing: vec![],
            },
            SheetCosts {
                fiscal_year: 2023,
                costs: a.iter().collect(),
                staffing: vec![],
            },
        ];
        let t = trend(&sheets, &[]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].settled.as_ref().map(|c| c.total), Some(500));
    }
}
