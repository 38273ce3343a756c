//! A year's sheets as a workbook (and CSV) in the import layout: one row per programme, the fixed
//! columns, then a year block per column × funding source and per column × staff category.

use super::*;
use crate::codes;
use crate::evaluation::costs::COLUMNS;
use crate::evaluation::stage::Stage;
use crate::evaluation::year::{YearData, year_cost};
use crate::i18n::Lang;
use crate::plans::exchange::export::to_xlsx;
use crate::plans::exchange::sheet::Sheet;

/// The headers of a year's workbook: fixed columns (as mapped), then the year blocks.
pub fn headers(y: &YearData, fixed: &[String]) -> Vec<String> {
    let mut h: Vec<String> = fixed.to_vec();
    for (col, _) in COLUMNS {
        for src in codes::of_list(&y.codes, codes::FUNDING_SOURCE) {
            h.push(block_header(col, y.cycle.fiscal_year, &src.label, false));
        }
        for cat in codes::of_list(&y.codes, codes::STAFF_CATEGORY) {
            h.push(block_header(col, y.cycle.fiscal_year, &cat.label, true));
        }
    }
    h
}

fn amount(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// The year as one sheet (no contact fields exist in the layout). A `public` copy shows what the
/// public pages show — no draft's verdict —; the HQ's copy keeps them, so it imports back unchanged.
pub fn year_sheet(y: &YearData, public: bool) -> Sheet {
    let fixed: Vec<String> = FIELDS.iter().map(|(_, h, _)| h.to_string()).collect();
    let mut rows = vec![headers(y, &fixed)];
    let ja = Lang::Ja;
    let mut sheets: Vec<_> = y
        .data
        .sheets
        .iter()
        .filter_map(|s| Some((y.programme(s.programme_id)?, s)))
        .collect();
    sheets.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    for (p, s) in sheets {
        let first = y
            .data
            .verdict(s.id, Stage::First)
            .filter(|_| !public || s.stage.verdicts_public());
        let node = y.node(p.policy_node_id);
        let policy = node
            .map(|n| format!("{} {}", n.number, n.title))
            .unwrap_or_default();
        // The 政策 above the programme's 施策 (or 基本事業).
        let mut area = node.and_then(|n| y.node(n.parent_id));
        while let Some(n) = area.filter(|n| n.level != "policy") {
            area = y.node(n.parent_id);
        }
        let area = area
            .map(|n| format!("{} {}", n.number, n.title))
            .unwrap_or_default();
        let cols = y.columns(s);
        let mut r = vec![
            p.code.clone(),
            p.name.clone(),
            y.departments
                .iter()
                .find(|d| d.id == p.department_id)
                .map(|d| d.code.clone())
                .unwrap_or_default(),
            area,
            policy,
            if p.method.is_empty() {
                String::new()
            } else {
                y.label(codes::IMPL_METHOD, &p.method, ja).to_string()
            },
            p.legal_basis.clone(),
            first
                .filter(|v| !v.direction.is_empty())
                .map(|v| y.label(codes::EVAL_DIRECTION, &v.direction, ja).to_string())
                .unwrap_or_default(),
            first.map(|v| v.reason.clone()).unwrap_or_default(),
            p.first_year.to_string(),
            p.last_year.map(|y| y.to_string()).unwrap_or_default(),
            year_cost(&cols).to_string(),
        ];
        let data = &y.data;
        for (col, _) in COLUMNS {
            for src in codes::of_list(&y.codes, codes::FUNDING_SOURCE) {
                let v = data
                    .costs_of(s.id)
                    .iter()
                    .find(|c| c.col == col && c.source == src.code)
                    .map(|c| c.amount);
                r.push(v.map(|v| v.to_string()).unwrap_or_default());
            }
            for cat in codes::of_list(&y.codes, codes::STAFF_CATEGORY) {
                let v = data
                    .staffing_of(s.id)
                    .iter()
                    .find(|c| c.col == col && c.category == cat.code)
                    .map(|c| c.fte);
                r.push(v.map(amount).unwrap_or_default());
            }
        }
        rows.push(r);
    }
    Sheet {
        name: SHEET.into(),
        rows,
    }
}

pub fn year_xlsx(
    y: &YearData,
    public: bool,
    demo: bool,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let sheet = year_sheet(y, public);
    // The stated total and every year block are numbers in Excel.
    let numeric: Vec<String> = sheet
        .rows
        .first()
        .map(|h| h[FIELDS.len() - 1..].to_vec())
        .unwrap_or_default();
    let numeric: Vec<&str> = numeric.iter().map(String::as_str).collect();
    to_xlsx(&[sheet], &numeric, demo)
}
