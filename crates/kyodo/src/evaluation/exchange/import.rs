//! Importing a year's evaluation sheets from a city's workbook. Every cell is checked first and
//! every problem is reported by row and column. Errors (a missing, invalid or duplicate code, an
//! amount that is not a whole number of 千円 …) block the import; flags (a policy name that matches
//! no node — with the closest names offered —, a stated total that disagrees with its parts, or a
//! numeric code whose leading zeros Excel dropped, taken as the master's code) block it too unless
//! the user accepts the flagged rows explicitly. Totals are always recomputed.

pub use super::lookup::Lookup;
use super::lookup::*;
use super::*;
use crate::codes::{self};
use crate::evaluation::costs;
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{CostRow, StaffRow};
use crate::evaluation::year::year_cost;
use crate::plans::exchange::sheet::{Sheet, column_letter};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Which header of the city's sheet holds each fixed field; saved per organization.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Mapping(pub BTreeMap<String, String>);

impl Default for Mapping {
    fn default() -> Self {
        Self(
            FIELDS
                .iter()
                .map(|(f, h, _)| (f.to_string(), h.to_string()))
                .collect(),
        )
    }
}

impl Mapping {
    pub fn header(&self, field: &str) -> &str {
        self.0.get(field).map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Row as Excel numbers it (1 = the header row).
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
    pub costs: Vec<(&'static str, String, i64)>,
    pub staffing: Vec<(&'static str, String, f64)>,
}

pub fn parse(sheet: &Sheet, mapping: &Mapping, l: &Lookup<'_>) -> (Vec<Row>, Vec<Problem>) {
    let mut problems = Vec::new();
    let header = sheet.rows.first().cloned().unwrap_or_default();
    let colname = |c: usize| {
        format!(
            "{}({})",
            column_letter(c),
            header.get(c).map(String::as_str).unwrap_or("")
        )
    };
    let mut columns: Vec<Option<Column>> = Vec::new();
    let mut seen_blocks = HashSet::new();
    for (c, h) in header.iter().enumerate() {
        let n = normalize(h);
        let field = FIELDS
            .iter()
            .find(|(f, _, _)| !n.is_empty() && normalize(mapping.header(f)) == n)
            .map(|(f, _, _)| *f);
        let col = match (field, block(h, l)) {
            (Some(f), _) => Some(Column::Field(f)),
            (None, Some(Ok((col, code, fte)))) => {
                if !seen_blocks.insert((col, code.clone(), fte)) {
                    problems.push(Problem {
                        row: 1,
                        column: colname(c),
                        message: "eval.import_block_twice",
                        value: h.clone(),
                        detail: String::new(),
                        flag: false,
                    });
                }
                Some(if fte {
                    Column::Fte(col, code)
                } else {
                    Column::Cost(col, code)
                })
            }
            (None, Some(Err(m))) => {
                problems.push(Problem {
                    row: 1,
                    column: colname(c),
                    message: m,
                    value: h.clone(),
                    detail: String::new(),
                    flag: false,
                });
                None
            }
            (None, None) => None,
        };
        columns.push(col);
    }
    for (f, _, required) in FIELDS {
        if required
            && !columns
                .iter()
                .any(|c| matches!(c, Some(Column::Field(x)) if *x == f))
        {
            problems.push(Problem {
                row: 1,
                column: String::new(),
                message: "import.missing_column",
                value: mapping.header(f).to_string(),
                detail: String::new(),
                flag: false,
            });
        }
    }
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut rows = Vec::new();
    let mut codes_seen = HashSet::new();
    for (i, cells) in sheet.rows.iter().enumerate().skip(1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        let mut row = Row {
            line,
            ..Default::default()
        };
        let mut stated_total = None;
        let mut problem =
            |c: usize, message: &'static str, value: &str, detail: String, flag: bool| {
                problems.push(Problem {
                    row: line,
                    column: colname(c),
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
                        problem(
                            c,
                            if v.is_empty() {
                                "field.required"
                            } else {
                                "field.too_long"
                            },
                            v,
                            String::new(),
                            false,
                        );
                    }
                    row.name = v.to_string();
                }
                Column::Field("department") if !v.is_empty() => match l
                    .departments
                    .iter()
                    .find(|(code, _)| normalize(code) == normalize(v))
                {
                    Some((_, id)) => row.department_id = Some(*id),
                    None => problem(c, "eval.import_department", v, String::new(), false),
                },
                Column::Field("policy") if !v.is_empty() => match policy(l.nodes, v) {
                    Ok(id) => row.policy_node_id = Some(id),
                    Err(closest) => problem(c, "eval.import_policy_unmatched", v, closest, true),
                },
                Column::Field("method") if !v.is_empty() => {
                    match code_of(l.codes, codes::IMPL_METHOD, v) {
                        Some(m) => row.method = Some(m),
                        None => problem(c, "field.bad_choice", v, String::new(), false),
                    }
                }
                Column::Field("direction") if !v.is_empty() => {
                    match code_of(l.codes, codes::EVAL_DIRECTION, v) {
                        Some(d) => row.direction = Some(d),
                        None => problem(c, "field.bad_choice", v, String::new(), false),
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
                Column::Cost(col, src) if !v.is_empty() => match amount(v) {
                    Ok(a) => row.costs.push((col, src.clone(), a)),
                    Err(m) => problem(c, m, v, String::new(), false),
                },
                Column::Fte(col, cat) if !v.is_empty() => match kyodo_jp::numbers::parse_decimal(v)
                {
                    Ok(Some(f)) if (0.0..=1000.0).contains(&f) => {
                        row.staffing.push((col, cat.clone(), f))
                    }
                    _ => problem(c, "eval.fte_range", v, String::new(), false),
                },
                Column::Cost(..) | Column::Fte(..) => {}
            }
        }
        // A new programme needs its department; a submitted sheet is no longer the workbook's.
        let code_col = columns
            .iter()
            .position(|c| matches!(c, Some(Column::Field("code"))))
            .unwrap_or(0);
        let name_col = columns
            .iter()
            .position(|c| matches!(c, Some(Column::Field("name"))))
            .unwrap_or(0);
        if let Some(p) = l.programmes.iter().find(|p| p.code == row.code) {
            if normalize(&p.name) == normalize(&row.name) {
                row.name = p.name.clone();
            } else if !row.name.is_empty() {
                // Published years show the programme's name: it never changes under them.
                let message = if l.published.contains(&p.id) {
                    "eval.import_name_differs_kept"
                } else {
                    "eval.import_name_differs_renamed"
                };
                problems.push(Problem {
                    row: line,
                    column: colname(name_col),
                    message,
                    value: row.name.clone(),
                    detail: p.name.clone(),
                    flag: true,
                });
            }
        }
        match l.programmes.iter().find(|p| p.code == row.code) {
            None if !row.code.is_empty() && row.department_id.is_none() => {
                problems.push(Problem {
                    row: line,
                    column: colname(code_col),
                    message: "eval.import_new_needs_department",
                    value: row.code.clone(),
                    detail: String::new(),
                    flag: false,
                });
            }
            Some(p) if l.stages.get(&p.id).is_some_and(|s| *s != Stage::Draft) => {
                problems.push(Problem {
                    row: line,
                    column: colname(code_col),
                    message: "eval.import_sheet_locked",
                    value: row.code.clone(),
                    detail: String::new(),
                    flag: false,
                });
            }
            _ => {}
        }
        if let Some((c, stated, raw)) = stated_total {
            let computed = computed_total(l, &row);
            if computed != stated {
                problems.push(Problem {
                    row: line,
                    column: colname(c),
                    message: "eval.import_total_mismatch",
                    value: raw,
                    detail: crate::charts::fmt_num(computed as f64),
                    flag: true,
                });
            }
        }
        rows.push(row);
    }
    (rows, problems)
}

/// The total the server computes for a row (the year's settled total, or its budget).
pub fn computed_total(l: &Lookup<'_>, row: &Row) -> i64 {
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
    let cols = costs::columns(
        l.fiscal_year,
        &costs.iter().collect::<Vec<_>>(),
        &staffing.iter().collect::<Vec<_>>(),
        l.units,
    );
    year_cost(&cols)
}

/// Whether the problems let the rows be applied: no errors, and flags only when accepted.
pub fn can_apply(problems: &[Problem], accept_flagged: bool) -> bool {
    problems.iter().all(|p| p.flag && accept_flagged)
}
