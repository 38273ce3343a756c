//! Importing an implementation plan from a workbook or CSV: every cell is checked first and every
//! problem is reported with its sheet, row and column; only a sheet without problems is applied,
//! in one transaction.

use super::sheet::Sheet;
use super::*;
use crate::codes;
use kyodo_jp::FiscalYear;
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

pub use super::parsed::{
    Lookup, Meta, MetaInput, Parsed, ParsedEffect, ParsedIndicator, ParsedNode, Problem,
};
use super::parsed::{Problems, code_of, data_rows, headers, too_long_or_control};

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
