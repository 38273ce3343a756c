//! What a checked import holds (metadata, indicators, effects) and the helpers the plan sheet's
//! checker (`import`) and the fixed-layout sheets' checker (`import_facts`) share, so that neither
//! has to reach into the other.

use super::sheet::{Sheet, column_letter};
use crate::codes::{self, Code};
use serde::Serialize;
use std::collections::HashMap;

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
