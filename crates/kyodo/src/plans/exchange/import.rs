//! Importing an implementation plan from a workbook or CSV: every cell is checked first and every
//! problem is reported with its sheet, row and column; only a sheet without problems is applied,
//! in one transaction.

use super::sheet::{Sheet, column_letter};
use super::*;
use crate::plans::codes::{self, Code};
use kyodo_jp::FiscalYear;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which header of the city's sheet holds each field (PLAN_FIELDS).
#[derive(Debug, Clone)]
pub struct Mapping(pub BTreeMap<String, String>);

impl Default for Mapping {
    fn default() -> Self {
        Self(
            PLAN_FIELDS
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

/// One problem, located as Excel shows it: sheet, row number (0 = the sheet as a whole), column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub sheet: String,
    pub row: usize,
    pub column: String,
    /// Catalogue key.
    pub message: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, Default)]
pub struct MetaInput {
    pub title: String,
    pub goal: String,
    pub first_year: String,
    pub last_year: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub goal: String,
    pub first_year: i64,
    pub last_year: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedNode {
    pub number: String,
    pub parent: Option<String>,
    pub title: String,
    pub seed_ref: String,
    pub issues: String,
    pub body: String,
    pub departments: Vec<i64>,
    pub trackable: bool,
    pub schedule: Vec<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedIndicator {
    pub number: String,
    pub name: String,
    pub unit: String,
    pub baseline_year: Option<i64>,
    pub baseline_value: Option<f64>,
    pub higher_is_better: bool,
    pub values: Vec<(i64, Option<f64>, Option<f64>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedEffect {
    pub number: String,
    pub fiscal_year: i64,
    pub kind: String,
    pub account: String,
    pub planned: i64,
    pub actual: Option<i64>,
    pub recurring: bool,
}

#[derive(Debug, Clone)]
pub struct Parsed {
    pub meta: Meta,
    pub nodes: Vec<ParsedNode>,
    pub indicators: Vec<ParsedIndicator>,
    pub effects: Vec<ParsedEffect>,
}

/// What cells are checked against: the organization's departments (code, id) and vocabularies.
pub struct Lookup<'a> {
    pub departments: &'a [(String, i64)],
    pub codes: &'a [Code],
}

pub(super) struct Problems(pub(super) Vec<Problem>);

impl Problems {
    pub(super) fn add(
        &mut self,
        sheet: &Sheet,
        row: usize,
        col: Option<(usize, &str)>,
        message: &'static str,
        value: &str,
    ) {
        let column = col
            .map(|(i, h)| {
                if h.is_empty() {
                    column_letter(i)
                } else {
                    format!("{}({h})", column_letter(i))
                }
            })
            .unwrap_or_default();
        self.0.push(Problem {
            sheet: sheet.name.clone(),
            row,
            column,
            message,
            value: value.chars().take(60).collect(),
        });
    }
}

pub(super) fn code_of(codes: &[Code], list: &str, cell: &str) -> Option<String> {
    codes::of_list(codes, list)
        .find(|c| c.code == cell || c.label == cell || c.label_en == cell)
        .map(|c| c.code.clone())
}

pub(super) fn too_long_or_control(s: &str, max: usize, multiline: bool) -> Option<&'static str> {
    if s.chars().count() > max {
        Some("field.too_long")
    } else if s
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
    {
        Some("field.invalid_chars")
    } else {
        None
    }
}

/// Column index of each header in row 0 (first occurrence wins).
pub(super) fn headers(sheet: &Sheet) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    if let Some(r) = sheet.rows.first() {
        for (i, h) in r.iter().enumerate() {
            m.entry(h.trim().to_string()).or_insert(i);
        }
    }
    m
}

pub(super) fn data_rows(sheet: &Sheet) -> impl Iterator<Item = (usize, &Vec<String>)> {
    sheet
        .rows
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| (i + 1, r))
}

fn meta(sheets: &[Sheet], input: &MetaInput, p: &mut Problems) -> Option<Meta> {
    let sheet = sheets
        .iter()
        .find(|s| s.name == META_SHEET)
        .cloned()
        .unwrap_or(Sheet {
            name: META_SHEET.into(),
            rows: Vec::new(),
        });
    let value = |key: &str, over: &str| -> (usize, String) {
        if !over.trim().is_empty() {
            return (0, over.trim().to_string());
        }
        sheet
            .rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.first().is_some_and(|k| k.trim() == key))
            .map(|(i, r)| (i + 1, r.get(1).cloned().unwrap_or_default()))
            .unwrap_or((0, String::new()))
    };
    let (row, title) = value(META_KEYS[0], &input.title);
    if title.is_empty() {
        p.add(&sheet, row, Some((1, META_KEYS[0])), "field.required", "");
    } else if let Some(m) = too_long_or_control(&title, 200, false) {
        p.add(&sheet, row, Some((1, META_KEYS[0])), m, &title);
    }
    let (_, goal) = value(META_KEYS[1], &input.goal);
    let mut year = |key: &str, over: &str| -> Option<i64> {
        let (row, v) = value(key, over);
        let parsed = FiscalYear::parse(&v).map(|y| i64::from(y.0));
        if parsed.is_none() {
            p.add(
                &sheet,
                row,
                Some((1, key)),
                if v.is_empty() {
                    "field.required"
                } else {
                    "import.bad_year"
                },
                &v,
            );
        }
        parsed
    };
    let first = year(META_KEYS[2], &input.first_year);
    let last = year(META_KEYS[3], &input.last_year);
    let (first, last) = (first?, last?);
    if last < first || last - first > 20 {
        p.add(
            &sheet,
            0,
            Some((1, META_KEYS[3])),
            "import.bad_period",
            &format!("{first}–{last}"),
        );
        return None;
    }
    (!title.is_empty()).then_some(Meta {
        title,
        goal: goal.trim().to_string(),
        first_year: first,
        last_year: last,
    })
}

fn plan_sheet(sheets: &[Sheet]) -> Option<&Sheet> {
    sheets.iter().find(|s| s.name == PLAN_SHEET).or_else(|| {
        sheets
            .iter()
            .find(|s| ![META_SHEET, INDICATOR_SHEET, EFFECT_SHEET].contains(&s.name.as_str()))
    })
}

fn nodes(
    sheet: &Sheet,
    mapping: &Mapping,
    meta: Option<&Meta>,
    lookup: &Lookup<'_>,
    p: &mut Problems,
) -> Vec<ParsedNode> {
    let heads = headers(sheet);
    let mut cols: HashMap<&str, usize> = HashMap::new();
    for (field, _, required) in PLAN_FIELDS {
        let header = mapping.header(field).trim();
        match heads.get(header) {
            Some(i) if !header.is_empty() => {
                cols.insert(field, *i);
            }
            _ if required || !header.is_empty() => {
                p.add(sheet, 1, None, "import.missing_column", header)
            }
            _ => {}
        }
    }
    if !cols.contains_key("number") || !cols.contains_key("title") {
        return Vec::new();
    }
    let used: HashSet<usize> = cols.values().copied().collect();
    let mut years = Vec::new();
    for (i, h) in sheet.rows.first().into_iter().flatten().enumerate() {
        if used.contains(&i) {
            continue;
        }
        if let Some(y) = FiscalYear::parse(h) {
            let y = i64::from(y.0);
            if meta.is_some_and(|m| y < m.first_year || y > m.last_year) {
                p.add(sheet, 1, Some((i, h)), "import.year_outside_plan", h);
            } else {
                years.push((i, y));
            }
        }
    }
    let header_of = |col: usize| sheet.cell(0, col).to_string();
    let mut out: Vec<ParsedNode> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (row, _) in data_rows(sheet) {
        let r = row - 1;
        let get = |field: &str| {
            cols.get(field)
                .map(|c| sheet.cell(r, *c).trim().to_string())
                .unwrap_or_default()
        };
        let at = |field: &str| cols.get(field).map(|c| (*c, header_of(*c)));
        let text = |field: &str,
                    max: usize,
                    multiline: bool,
                    required: bool,
                    p: &mut Problems|
         -> String {
            let v = get(field);
            let (c, h) = at(field).unwrap_or((0, String::new()));
            if required && v.is_empty() {
                p.add(sheet, row, Some((c, &h)), "field.required", "");
            } else if let Some(m) = too_long_or_control(&v, max, multiline) {
                p.add(sheet, row, Some((c, &h)), m, &v);
            }
            v
        };
        let number = text("number", 40, false, true, p);
        let title = text("title", 200, false, true, p);
        let seed_ref = text("seed_ref", 40, false, false, p);
        let issues = text("issues", 4000, true, false, p);
        let body = text("body", 4000, true, false, p);
        if !number.is_empty() && !seen.insert(number.clone()) {
            let (c, h) = at("number").unwrap_or_default();
            p.add(
                sheet,
                row,
                Some((c, &h)),
                "import.duplicate_number",
                &number,
            );
        }
        let parent = Some(get("parent")).filter(|s| !s.is_empty());
        if let Some(par) = &parent
            && (!out.iter().any(|n| &n.number == par) || *par == number)
        {
            let (c, h) = at("parent").unwrap_or_default();
            p.add(sheet, row, Some((c, &h)), "import.unknown_parent", par);
        }
        let mut departments = Vec::new();
        for code in get("departments")
            .split([',', '、', '，', ' ', '\u{3000}', '\n'])
            .filter(|s| !s.is_empty())
        {
            match lookup.departments.iter().find(|(c, _)| c == code) {
                Some((_, id)) if !departments.contains(id) => departments.push(*id),
                Some(_) => {}
                None => {
                    let (c, h) = at("departments").unwrap_or_default();
                    p.add(sheet, row, Some((c, &h)), "import.unknown_department", code);
                }
            }
        }
        let flag = get("trackable");
        let trackable = parse_flag(&flag).unwrap_or_else(|| {
            let (c, h) = at("trackable").unwrap_or_default();
            p.add(sheet, row, Some((c, &h)), "import.bad_flag", &flag);
            false
        });
        let mut schedule = Vec::new();
        for (c, y) in &years {
            let v = sheet.cell(r, *c).trim();
            if v.is_empty() {
                continue;
            }
            match code_of(lookup.codes, codes::SCHEDULE_STEP, v) {
                Some(code) => schedule.push((*y, code)),
                None => p.add(
                    sheet,
                    row,
                    Some((*c, &header_of(*c))),
                    "import.unknown_step",
                    v,
                ),
            }
        }
        out.push(ParsedNode {
            number,
            parent,
            title,
            seed_ref,
            issues,
            body,
            departments,
            trackable,
            schedule,
        });
    }
    if out.is_empty() {
        p.add(sheet, 0, None, "import.empty_sheet", "");
    }
    out
}

/// Checks every sheet; `Err` lists every problem found (nothing is half-read).
pub fn parse(
    sheets: &[Sheet],
    mapping: &Mapping,
    input: &MetaInput,
    lookup: &Lookup<'_>,
) -> Result<Parsed, Vec<Problem>> {
    let mut p = Problems(Vec::new());
    let meta = meta(sheets, input, &mut p);
    let Some(plan) = plan_sheet(sheets) else {
        return Err(vec![Problem {
            sheet: PLAN_SHEET.into(),
            row: 0,
            column: String::new(),
            message: "import.no_plan_sheet",
            value: String::new(),
        }]);
    };
    let nodes = nodes(plan, mapping, meta.as_ref(), lookup, &mut p);
    let numbers: HashSet<String> = nodes.iter().map(|n| n.number.clone()).collect();
    let indicators = sheets
        .iter()
        .find(|s| s.name == INDICATOR_SHEET)
        .map(|s| super::import_facts::indicators(s, meta.as_ref(), &numbers, &mut p))
        .unwrap_or_default();
    let effects = sheets
        .iter()
        .find(|s| s.name == EFFECT_SHEET)
        .map(|s| super::import_facts::effects(s, meta.as_ref(), &numbers, lookup.codes, &mut p))
        .unwrap_or_default();
    match meta {
        Some(meta) if p.0.is_empty() => Ok(Parsed {
            meta,
            nodes,
            indicators,
            effects,
        }),
        _ => Err(p.0),
    }
}
