//! Importing a year's evaluation sheets from a city's workbook. Every cell is checked first and
//! every problem is reported by row and column. Errors (a missing, invalid or duplicate code, an
//! amount that is not a whole number of 千円 …) block the import; flags (a policy name that matches
//! no node — with the closest names offered —, a stated total that disagrees with its parts, or a
//! numeric code whose leading zeros Excel dropped, taken as the master's code) block it too unless
//! the user accepts the flagged rows explicitly. Totals are always recomputed.

use super::*;
use crate::codes::{self, Code};
use crate::evaluation::costs;
use crate::evaluation::store::{CostRow, PolicyNode, Programme, StaffRow, UnitCost};
use crate::evaluation::year::year_cost;
use crate::plans::exchange::sheet::{Sheet, column_letter};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

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

pub struct Lookup<'a> {
    pub fiscal_year: i64,
    /// (department code, id)
    pub departments: &'a [(String, i64)],
    pub nodes: &'a [PolicyNode],
    pub codes: &'a [Code],
    pub programmes: &'a [Programme],
    /// Stage of each programme's sheet in the cycle being imported.
    pub stages: &'a HashMap<i64, String>,
    pub units: &'a [UnitCost],
}

enum Column {
    Field(&'static str),
    Cost(&'static str, String),
    Fte(&'static str, String),
}

/// An amount in 千円 as the sheet form takes it (a whole number from 0 to `MAX_AMOUNT`), or why not.
pub(super) fn amount(v: &str) -> Result<i64, &'static str> {
    use kyodo_jp::numbers::{parse_amount, parse_decimal};
    let max = crate::evaluation::sheets::MAX_AMOUNT;
    match parse_amount(v) {
        Ok(Some(a)) if (0..=max).contains(&a) => Ok(a),
        Ok(_) => Err("eval.amount_range"),
        Err(_) => match parse_decimal(v) {
            Ok(Some(f)) if f.fract() != 0.0 => Err("eval.import_not_integer"),
            Ok(Some(_)) => Err("eval.amount_range"),
            // Digits alone, too many for any number: out of range, not "not a number".
            _ if v.chars().all(|c| c.is_ascii_digit() || c == ',') => Err("eval.amount_range"),
            _ => Err("eval.import_not_number"),
        },
    }
}

/// The master code a numeric cell stands for when Excel dropped its leading zeros (`101` for
/// `0101`): only when no programme has the code as typed and exactly one has it with zeros.
fn zeros_dropped(programmes: &[Programme], typed: &str) -> Option<String> {
    if !typed.bytes().all(|b| b.is_ascii_digit()) || programmes.iter().any(|p| p.code == typed) {
        return None;
    }
    let mut found = programmes.iter().filter(|p| {
        p.code.len() > typed.len()
            && p.code.bytes().all(|b| b.is_ascii_digit())
            && p.code.trim_start_matches('0') == typed.trim_start_matches('0')
    });
    match (found.next(), found.next()) {
        (Some(p), None) => Some(p.code.clone()),
        _ => None,
    }
}

/// A code of `list` from its code or label as typed.
fn code_of(all: &[Code], list: &str, typed: &str) -> Option<String> {
    let n = normalize(typed);
    codes::of_list(all, list)
        .find(|c| {
            normalize(&c.code) == n || normalize(&c.label) == n || normalize(&c.label_en) == n
        })
        .map(|c| c.code.clone())
}

/// 「令和6年度決算 一般財源」→ (column, source or staff category, is FTE), or the problem.
fn block(
    header: &str,
    l: &Lookup<'_>,
) -> Option<Result<(&'static str, String, bool), &'static str>> {
    let at = header.find("年度")?;
    let year = kyodo_jp::FiscalYear::parse(&header[..at + "年度".len()])?.0 as i64;
    let rest = header[at + "年度".len()..].trim_start_matches(|c: char| {
        c == '(' || c.is_ascii_digit() || c == '年' || c == '度' || c == ')'
    });
    let rest = rest.trim();
    let (kind, rest) = if let Some(r) = rest.strip_prefix(SETTLED) {
        (SETTLED, r)
    } else if let Some(r) = rest.strip_prefix(BUDGET) {
        (BUDGET, r)
    } else {
        return Some(Err("eval.import_block_kind"));
    };
    let fy = l.fiscal_year;
    let col = match (year - fy, kind) {
        (-1, SETTLED) => "prev_settled",
        (0, BUDGET) => "budget",
        (0, SETTLED) => "settled",
        (1, BUDGET) => "next_budget",
        _ => return Some(Err("eval.import_block_year")),
    };
    let rest = rest.trim();
    Some(match rest.strip_prefix(FTE) {
        Some(cat) => code_of(l.codes, codes::STAFF_CATEGORY, cat)
            .map(|c| (col, c, true))
            .ok_or("eval.import_block_label"),
        None => code_of(l.codes, codes::FUNDING_SOURCE, rest)
            .map(|c| (col, c, false))
            .ok_or("eval.import_block_label"),
    })
}

/// The policy node a typed name means, or the three closest names.
fn policy(nodes: &[PolicyNode], typed: &str) -> Result<i64, String> {
    let n = normalize(typed);
    let candidates: Vec<&PolicyNode> = nodes.iter().filter(|x| x.level != "policy").collect();
    if let Some(x) = candidates.iter().find(|x| {
        normalize(&x.title) == n
            || normalize(&format!("{}{}", x.number, x.title)) == n
            || normalize(&x.number) == n
    }) {
        return Ok(x.id);
    }
    let mut scored: Vec<(usize, String)> = candidates
        .iter()
        .map(|x| {
            (
                distance(&n, &normalize(&x.title)).min(distance(
                    &n,
                    &normalize(&format!("{}{}", x.number, x.title)),
                )),
                format!("{} {}", x.number, x.title),
            )
        })
        .collect();
    scored.sort();
    Err(scored
        .into_iter()
        .take(3)
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join("、"))
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
                Column::Field("code") => {
                    if v.is_empty() {
                        problem(c, "eval.import_code_missing", v, String::new(), false);
                    } else if !v
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                        || v.len() > 40
                    {
                        problem(c, "eval.bad_code", v, String::new(), false);
                    } else if let Some(full) = zeros_dropped(l.programmes, v) {
                        // Excel stored 0101 as the number 101: the master's code, once accepted.
                        problem(c, "eval.import_code_zeros", v, full.clone(), true);
                        if !codes_seen.insert(full.clone()) {
                            problem(c, "eval.import_code_duplicate", v, String::new(), false);
                        }
                        row.code = full;
                        continue;
                    } else if !codes_seen.insert(v.to_string()) {
                        problem(c, "eval.import_code_duplicate", v, String::new(), false);
                    }
                    row.code = v.to_string();
                }
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
            Some(p) if l.stages.get(&p.id).is_some_and(|s| s != "draft") => {
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
