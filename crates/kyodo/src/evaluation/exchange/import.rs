//! Importing a year's evaluation sheets from a city's workbook. Every cell is checked first and
//! every problem is reported by row and column. Errors (a missing, invalid or duplicate code, an
//! amount that is not a whole number of 千円 …) block the import; flags (a policy name that matches
//! no node — with the closest names offered —, a stated total that disagrees with its parts, or a
//! numeric code whose leading zeros Excel dropped, taken as the master's code) block it too unless
//! the user accepts the flagged rows explicitly. Totals are always recomputed.
//!
//! The header may be on any row (title rows above it are skipped); the rows below it are the
//! programmes. Names work as well as codes (departments, methods, directions), and the mapping's
//! translation table turns the city's own words into Kyodo's codes.

use super::blocks::Slot;
use super::cells::{code_for, staff_years};
use super::history::{self, Outcome};
pub use super::lookup::Lookup;
use super::lookup::*;
pub use super::mapping::Mapping;
use super::*;
use crate::evaluation::costs;
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{CostRow, StaffRow};
use crate::evaluation::year::year_cost;
use crate::plans::exchange::sheet::Sheet;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Row as Excel numbers it.
    pub row: usize,
    /// 「F(施策)」
    pub column: String,
    /// Catalogue key.
    pub message: &'static str,
    pub value: String,
    /// Closest names, or the stated and computed totals.
    pub detail: String,
    /// A flag the user may accept; otherwise an error.
    pub flag: bool,
}

/// One programme row, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub department_id: Option<i64>,
    /// `None` when the cell is empty or matched nothing (the programme keeps its position).
    pub policy_node_id: Option<i64>,
    pub method: Option<String>,
    pub legal_basis: Option<String>,
    pub direction: Option<String>,
    pub reason: Option<String>,
    /// 事業期間: the first and last fiscal year, when the sheet has them.
    pub first_year: Option<i64>,
    pub last_year: Option<i64>,
    pub costs: Vec<(&'static str, String, i64)>,
    pub staffing: Vec<(&'static str, String, f64)>,
    /// Year blocks of earlier years: they fill the programme's earlier sheets (`history`).
    pub history_costs: Vec<(Slot, String, i64)>,
    pub history_staffing: Vec<(Slot, String, f64)>,
}

/// Choices made for one upload (not saved with the mapping).
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Round fractional 千円 amounts to the nearest 千円 (half up) instead of refusing them.
    pub round: bool,
    /// The basis staff is read on when the sheet has several (`None`: the first it has).
    pub staff: Option<Staff>,
    /// 人工 per person, for head-counts.
    pub head_factor: f64,
    /// Hours in a staff-year, for hours.
    pub hours_per_year: f64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            round: false,
            staff: None,
            head_factor: 1.0,
            hours_per_year: HOURS_PER_STAFF_YEAR,
        }
    }
}

/// Hours a staff-year stands for unless the upload says otherwise (7時間45分 × 約240日 ≈ 1,860;
/// cities round it differently, so it is a choice on the page).
pub const HOURS_PER_STAFF_YEAR: f64 = 1_860.0;

#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub problems: Vec<Problem>,
    /// Amounts rounded (with [`Options::round`]) and the largest change, in 千円.
    pub rounded: usize,
    pub largest_rounding: f64,
    /// Field → the words its column holds that are not a code or label as written (the
    /// translation table's rows).
    pub words: BTreeMap<&'static str, BTreeSet<String>>,
    /// Departments the sheet names that are not registered.
    pub unknown_departments: BTreeSet<String>,
    /// (政策, 施策) as the sheet writes them, for 施策 the comprehensive plan does not have.
    pub new_policies: BTreeSet<(String, String)>,
}

/// Parses the programmes below the header row `header_row` (0-based).
pub fn parse(
    sheet: &Sheet,
    header_row: usize,
    mapping: &Mapping,
    options: Options,
    l: &Lookup<'_>,
) -> Parsed {
    let header = columns::header_of(sheet, header_row, l.fiscal_year, l.codes);
    let (columns, problems) = columns::classify(&header, header_row + 1, mapping, options.staff, l);
    let mut out = Parsed {
        problems,
        ..Default::default()
    };
    if !out.problems.is_empty() {
        return out;
    }
    let position = |field: &str| {
        columns
            .iter()
            .position(|c| matches!(c, Some(Column::Field(f)) if *f == field))
            .unwrap_or(0)
    };
    let (code_col, name_col) = (position("code"), position("name"));
    let mut codes_seen = HashSet::new();
    for (i, cells) in sheet.rows.iter().enumerate().skip(header_row + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        let mut row = Row {
            line,
            ..Default::default()
        };
        let mut stated_total = None;
        let mut skipped = false;
        let (mut area, mut unmatched_policy) = (String::new(), None);
        let mut problems = Vec::new();
        let mut problem = |c: usize, message: &'static str, value: &str, detail: String, flag| {
            problems.push(Problem {
                row: line,
                column: columns::name(&header, c),
                message,
                value: value.to_string(),
                detail,
                flag,
            });
        };
        for (c, col) in columns.iter().enumerate() {
            let Some(col) = col else { continue };
            let v = cells.get(c).map(|s| s.trim()).unwrap_or("");
            match col {
                Column::Field("code") => match programme_code(v) {
                    // 0 is what a sheet shows for a deleted or missing ID: the row is left out
                    // (once accepted), never imported as programme 「0」.
                    Err(m @ "eval.import_code_zero") => {
                        skipped = true;
                        problem(c, m, v, String::new(), true)
                    }
                    Err(m) => problem(c, m, v, String::new(), false),
                    Ok(code) => {
                        let code = match zeros_dropped(l.programmes, &code) {
                            // Excel stored 0101 as the number 101: the master's code, once accepted.
                            Some(full) => {
                                problem(c, "eval.import_code_zeros", v, full.clone(), true);
                                full
                            }
                            None => {
                                if let Some(example) = off_pattern(l.programmes, &code) {
                                    problem(c, "eval.import_code_pattern", v, example, true);
                                }
                                code
                            }
                        };
                        if !codes_seen.insert(code.clone()) {
                            problem(c, "eval.import_code_duplicate", v, String::new(), false);
                        }
                        row.code = code;
                    }
                },
                Column::Field("name") => {
                    if v.is_empty() || v.chars().count() > 200 {
                        let m = if v.is_empty() {
                            "field.required"
                        } else {
                            "field.too_long"
                        };
                        problem(c, m, v, String::new(), false);
                    }
                    row.name = v.to_string();
                }
                Column::Field("department") if !v.is_empty() => match department(l, v) {
                    Some(id) => row.department_id = Some(id),
                    None => {
                        out.unknown_departments.insert(v.to_string());
                        problem(c, "eval.import_department", v, String::new(), false)
                    }
                },
                Column::Field("policy") if !v.is_empty() => match policy(l.nodes, v) {
                    Ok(id) => row.policy_node_id = Some(id),
                    Err(closest) => {
                        unmatched_policy = Some(v.to_string());
                        problem(c, "eval.import_policy_unmatched", v, closest, true)
                    }
                },
                Column::Field("policy_area") => area = v.to_string(),
                Column::Field(f @ ("method" | "direction")) if !v.is_empty() => {
                    let (found, word) = code_for(l.codes, mapping, f, v);
                    if word {
                        out.words.entry(f).or_default().insert(v.to_string());
                    }
                    match found {
                        Some(code) if *f == "method" => row.method = Some(code),
                        Some(code) => row.direction = Some(code),
                        None => problem(c, "eval.import_untranslated", v, String::new(), false),
                    }
                }
                Column::Field(f @ ("first_year" | "last_year")) if !v.is_empty() => {
                    match kyodo_jp::FiscalYear::parse(v) {
                        Some(y) if *f == "first_year" => row.first_year = Some(i64::from(y.0)),
                        Some(y) => row.last_year = Some(i64::from(y.0)),
                        None => problem(c, "eval.bad_year", v, String::new(), false),
                    }
                }
                Column::Field("legal_basis") => row.legal_basis = Some(v.to_string()),
                Column::Field("reason") => row.reason = Some(v.to_string()),
                Column::Field("total") if !v.is_empty() => match kyodo_jp::numbers::parse_amount(v)
                {
                    Ok(Some(t)) => stated_total = Some((c, t, v.to_string())),
                    _ => problem(c, "eval.import_not_integer", v, String::new(), false),
                },
                Column::Field(_) => {}
                Column::Cost(slot, src) if !v.is_empty() => match amount(v, options.round) {
                    Ok((a, change)) => {
                        if change != 0.0 {
                            out.rounded += 1;
                            out.largest_rounding = out.largest_rounding.max(change.abs());
                        }
                        if slot.year == l.fiscal_year {
                            row.costs.push((slot.col, src.clone(), a))
                        } else {
                            row.history_costs.push((*slot, src.clone(), a))
                        }
                    }
                    Err(m) => problem(c, m, v, String::new(), false),
                },
                Column::Staff(slot, basis, cat) if !v.is_empty() => {
                    match staff_years(slot.money_year(), *basis, cat, v, options, l) {
                        Ok((cat, fte)) if slot.year == l.fiscal_year => {
                            row.staffing.push((slot.col, cat, fte))
                        }
                        Ok((cat, fte)) => row.history_staffing.push((*slot, cat, fte)),
                        Err(m) => problem(c, m, v, String::new(), false),
                    }
                }
                Column::Cost(..) | Column::Staff(..) => {}
            }
        }
        let existing = l.programmes.iter().find(|p| p.code == row.code);
        if let Some(p) = existing {
            if normalize(&p.name) == normalize(&row.name) {
                row.name = p.name.clone();
            } else if !row.name.is_empty() {
                // Published years show the programme's name: it never changes under them.
                let message = if l.published.contains(&p.id) {
                    "eval.import_name_differs_kept"
                } else {
                    "eval.import_name_differs_renamed"
                };
                problem(name_col, message, &row.name.clone(), p.name.clone(), true);
            }
        }
        match existing {
            // A new programme needs its department; a submitted sheet is no longer the workbook's.
            None if !row.code.is_empty() && row.department_id.is_none() => {
                let code = row.code.clone();
                problem(
                    code_col,
                    "eval.import_new_needs_department",
                    &code,
                    String::new(),
                    false,
                );
            }
            Some(p) if l.stages.get(&p.id).is_some_and(|s| *s != Stage::Draft) => {
                let code = row.code.clone();
                problem(
                    code_col,
                    "eval.import_sheet_locked",
                    &code,
                    String::new(),
                    false,
                );
            }
            _ => {}
        }
        // A registered earlier column stays: a different figure in the workbook is flagged.
        for (slot, total) in history::slots(l, &row) {
            if let Outcome::Kept(Some(old)) =
                history::outcome(l, existing.map(|p| p.id), slot, total)
            {
                let c = columns
                    .iter()
                    .position(|x| matches!(x, Some(Column::Cost(s, _) | Column::Staff(s, _, _)) if *s == slot))
                    .unwrap_or(0);
                let fmt = |n: i64| crate::charts::fmt_num(n as f64);
                problem(
                    c,
                    "eval.import_history_differs",
                    &fmt(total),
                    fmt(old),
                    true,
                );
            }
        }
        if let Some((c, stated, raw)) = stated_total {
            let computed = computed_total(l, &row);
            if computed != stated {
                let detail = crate::charts::fmt_num(computed as f64);
                problem(c, "eval.import_total_mismatch", &raw, detail, true);
            }
        }
        if let Some(measure) = unmatched_policy.filter(|_| !area.is_empty()) {
            out.new_policies.insert((area, measure));
        }
        if skipped {
            // Only why it is left out: the rest of a row that is not imported does not matter.
            problems.retain(|p| p.message == "eval.import_code_zero");
        } else {
            out.rows.push(row);
        }
        out.problems.extend(problems);
    }
    out
}

/// A row's four columns as the server computes them, each with whether the row fills it.
pub fn row_columns(l: &Lookup<'_>, row: &Row) -> Vec<(costs::ColumnTotal, bool)> {
    let costs: Vec<CostRow> = row
        .costs
        .iter()
        .map(|(col, source, amount)| CostRow {
            sheet_id: 0,
            col: col.to_string(),
            source: source.clone(),
            amount: *amount,
        })
        .collect();
    let staffing: Vec<StaffRow> = row
        .staffing
        .iter()
        .map(|(col, category, fte)| StaffRow {
            sheet_id: 0,
            col: col.to_string(),
            category: category.clone(),
            fte: *fte,
        })
        .collect();
    costs::columns(
        l.fiscal_year,
        &costs.iter().collect::<Vec<_>>(),
        &staffing.iter().collect::<Vec<_>>(),
        l.units,
    )
    .into_iter()
    .map(|c| {
        let filled =
            row.costs.iter().any(|x| x.0 == c.col) || row.staffing.iter().any(|x| x.0 == c.col);
        (c, filled)
    })
    .collect()
}

/// The total the server computes for a row (the year's settled total, or its budget).
pub fn computed_total(l: &Lookup<'_>, row: &Row) -> i64 {
    let cols: Vec<costs::ColumnTotal> = row_columns(l, row).into_iter().map(|(c, _)| c).collect();
    year_cost(&cols)
}

/// Whether the problems let the rows be applied: no errors, and flags only when accepted.
pub fn can_apply(problems: &[Problem], accept_flagged: bool) -> bool {
    problems.iter().all(|p| p.flag && accept_flagged)
}
