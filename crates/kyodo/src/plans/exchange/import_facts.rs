//! Checking the fixed-layout sheets of an import: 指標 (one row per indicator and fiscal year) and
//! 財政効果 (one row per effect). Problems are collected like the plan sheet's, by row and column.

use super::parsed::{
    Meta, ParsedEffect, ParsedIndicator, Problems, code_of, data_rows, headers, too_long_or_control,
};
use super::sheet::Sheet;
use super::{EFFECT_HEADERS, HIGHER_IS_BETTER, INDICATOR_HEADERS, LOWER_IS_BETTER, parse_flag};
use crate::codes::{self, Code};
use crate::validation::{parse_amount, parse_number};
use kyodo_jp::FiscalYear;
use std::collections::HashSet;

/// Columns of a fixed-layout sheet (指標, 財政効果) found by their headers.
fn fixed_columns(sheet: &Sheet, wanted: &[&str], p: &mut Problems) -> Option<Vec<usize>> {
    let heads = headers(sheet);
    let mut cols = Vec::new();
    for h in wanted {
        match heads.get(*h) {
            Some(i) => cols.push(*i),
            None => p.add(sheet, 1, None, "import.missing_column", h),
        }
    }
    (cols.len() == wanted.len()).then_some(cols)
}

/// Where a cell is: its sheet, row (1-based), column and the column's header.
struct At<'a> {
    sheet: &'a Sheet,
    row: usize,
    col: usize,
    header: &'a str,
}

/// What a year cell must hold.
#[derive(Clone, Copy)]
enum YearRule {
    /// Any fiscal year, or nothing (an indicator's baseline).
    Optional,
    /// A year of the plan's period, or nothing (an indicator value).
    OptionalInPlan,
    /// A year of the plan's period (a fiscal effect).
    RequiredInPlan,
}

fn year_cell(at: At<'_>, meta: Option<&Meta>, rule: YearRule, p: &mut Problems) -> Option<i64> {
    let At {
        sheet,
        row,
        col,
        header,
    } = at;
    let required = matches!(rule, YearRule::RequiredInPlan);
    let in_plan = !matches!(rule, YearRule::Optional);
    let v = sheet.cell(row - 1, col).trim();
    if v.is_empty() {
        if required {
            p.add(sheet, row, Some((col, header)), "field.required", "");
        }
        return None;
    }
    match FiscalYear::parse(v).map(|y| i64::from(y.0)) {
        Some(y) if in_plan && meta.is_some_and(|m| y < m.first_year || y > m.last_year) => {
            p.add(
                sheet,
                row,
                Some((col, header)),
                "import.year_outside_plan",
                v,
            );
            None
        }
        Some(y) => Some(y),
        None => {
            p.add(sheet, row, Some((col, header)), "import.bad_year", v);
            None
        }
    }
}

pub(super) fn indicators(
    sheet: &Sheet,
    meta: Option<&Meta>,
    numbers: &HashSet<String>,
    p: &mut Problems,
) -> Vec<ParsedIndicator> {
    let Some(c) = fixed_columns(sheet, &INDICATOR_HEADERS, p) else {
        return Vec::new();
    };
    let h = INDICATOR_HEADERS;
    let mut out: Vec<ParsedIndicator> = Vec::new();
    for (row, _) in data_rows(sheet) {
        let cell = |i: usize| sheet.cell(row - 1, c[i]).trim().to_string();
        let number = cell(0);
        if !numbers.contains(&number) {
            p.add(
                sheet,
                row,
                Some((c[0], h[0])),
                "import.unknown_item",
                &number,
            );
        }
        let name = cell(1);
        if name.is_empty() {
            p.add(sheet, row, Some((c[1], h[1])), "field.required", "");
        } else if let Some(m) = too_long_or_control(&name, 200, false) {
            p.add(sheet, row, Some((c[1], h[1])), m, &name);
        }
        let unit = cell(2);
        if let Some(m) = too_long_or_control(&unit, 20, false) {
            p.add(sheet, row, Some((c[2], h[2])), m, &unit);
        }
        let at = At {
            sheet,
            row,
            col: c[3],
            header: h[3],
        };
        let baseline_year = year_cell(at, meta, YearRule::Optional, p);
        let num = |i: usize, p: &mut Problems| {
            parse_number(&cell(i)).unwrap_or_else(|_| {
                p.add(
                    sheet,
                    row,
                    Some((c[i], h[i])),
                    "field.not_a_number",
                    &cell(i),
                );
                None
            })
        };
        let baseline_value = num(4, p);
        let direction = cell(5);
        let higher = match direction.as_str() {
            HIGHER_IS_BETTER | "higher" | "高" | "" => true,
            LOWER_IS_BETTER | "lower" | "低" => false,
            other => {
                p.add(
                    sheet,
                    row,
                    Some((c[5], h[5])),
                    "import.bad_direction",
                    other,
                );
                true
            }
        };
        let at = At {
            sheet,
            row,
            col: c[6],
            header: h[6],
        };
        let year = year_cell(at, meta, YearRule::OptionalInPlan, p);
        let target = num(7, p);
        let actual = num(8, p);
        let existing = out
            .iter_mut()
            .find(|i| i.number == number && i.name == name);
        let ind = match existing {
            Some(i) => i,
            None => {
                out.push(ParsedIndicator {
                    number,
                    name,
                    unit,
                    baseline_year,
                    baseline_value,
                    higher_is_better: higher,
                    values: Vec::new(),
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        if let Some(y) = year {
            if ind.values.iter().any(|v| v.0 == y) {
                p.add(
                    sheet,
                    row,
                    Some((c[6], h[6])),
                    "import.duplicate_year",
                    &y.to_string(),
                );
            }
            ind.values.push((y, target, actual));
        }
    }
    out
}

pub(super) fn effects(
    sheet: &Sheet,
    meta: Option<&Meta>,
    numbers: &HashSet<String>,
    codes: &[Code],
    p: &mut Problems,
) -> Vec<ParsedEffect> {
    let Some(c) = fixed_columns(sheet, &EFFECT_HEADERS, p) else {
        return Vec::new();
    };
    let h = EFFECT_HEADERS;
    let mut out = Vec::new();
    for (row, _) in data_rows(sheet) {
        let cell = |i: usize| sheet.cell(row - 1, c[i]).trim().to_string();
        let number = cell(0);
        if !numbers.contains(&number) {
            p.add(
                sheet,
                row,
                Some((c[0], h[0])),
                "import.unknown_item",
                &number,
            );
        }
        let at = At {
            sheet,
            row,
            col: c[1],
            header: h[1],
        };
        let year = year_cell(at, meta, YearRule::RequiredInPlan, p);
        let code = |i: usize, list: &str, p: &mut Problems| {
            code_of(codes, list, &cell(i)).unwrap_or_else(|| {
                p.add(
                    sheet,
                    row,
                    Some((c[i], h[i])),
                    "import.unknown_code",
                    &cell(i),
                );
                String::new()
            })
        };
        let kind = code(2, codes::EFFECT_KIND, p);
        let account = code(3, codes::ACCOUNT, p);
        let planned = match parse_amount(&cell(4)) {
            Ok(Some(v)) => v,
            Ok(None) => {
                p.add(sheet, row, Some((c[4], h[4])), "field.required", "");
                0
            }
            Err(_) => {
                p.add(
                    sheet,
                    row,
                    Some((c[4], h[4])),
                    "field.not_an_amount",
                    &cell(4),
                );
                0
            }
        };
        let actual = parse_amount(&cell(5)).unwrap_or_else(|_| {
            p.add(
                sheet,
                row,
                Some((c[5], h[5])),
                "field.not_an_amount",
                &cell(5),
            );
            None
        });
        let recurring = parse_flag(&cell(6)).unwrap_or_else(|| {
            p.add(sheet, row, Some((c[6], h[6])), "import.bad_flag", &cell(6));
            false
        });
        out.push(ParsedEffect {
            number,
            fiscal_year: year.unwrap_or(0),
            kind,
            account,
            planned,
            actual,
            recurring,
        });
    }
    out
}
