//! What each column of the city's sheet holds: a fixed field (by the mapping's header), a year
//! block (「令和6年度決算 一般財源」), or nothing Kyodo reads (staff names, phones and anything else
//! left unmapped are never read).

use super::blocks::{Slot, block};
use super::import::{Mapping, Problem};
use super::lookup::{Column, Lookup, Staff};
use super::{FIELDS, normalize};
use crate::codes::Code;
use crate::plans::exchange::sheet::{Sheet, column_letter};
use std::collections::HashSet;

/// 「F(施策)」 — a column as the problems table names it.
pub fn name(header: &[String], c: usize) -> String {
    format!(
        "{}({})",
        column_letter(c),
        header.get(c).map(String::as_str).unwrap_or("")
    )
}

/// Each column's meaning, and the header problems (a block twice, an unreadable block, a required
/// field missing). `line` is the header's row as Excel numbers it.
pub(super) fn classify(
    header: &[String],
    line: usize,
    mapping: &Mapping,
    chosen: Option<Staff>,
    l: &Lookup<'_>,
) -> (Vec<Option<Column>>, Vec<Problem>) {
    let basis = staff_basis(header, chosen, l.fiscal_year, l.codes);
    let mut problems = Vec::new();
    let problem = |c: usize, message: &'static str, value: &str| Problem {
        row: line,
        column: name(header, c),
        message,
        value: value.to_string(),
        detail: String::new(),
        flag: false,
    };
    let wanted: Vec<(&'static str, String)> = FIELDS
        .iter()
        .map(|(f, _, _)| (*f, normalize(mapping.header(f))))
        .filter(|(_, h)| !h.is_empty())
        .collect();
    let mut columns: Vec<Option<Column>> = Vec::with_capacity(header.len());
    let mut seen_blocks = HashSet::new();
    let mut seen_fields = HashSet::new();
    for (c, h) in header.iter().enumerate() {
        let n = normalize(h);
        // A field's first column only: a second 「事業名」 further right is not read.
        let field = wanted
            .iter()
            .find(|(f, x)| !n.is_empty() && *x == n && !seen_fields.contains(f))
            .map(|(f, _)| *f);
        let col = match (field, block(h, l.fiscal_year, l.codes)) {
            (Some(f), _) => {
                seen_fields.insert(f);
                Some(Column::Field(f))
            }
            (None, Some(Ok((slot, staff, code)))) => {
                if !seen_blocks.insert((slot, staff, code.clone())) {
                    problems.push(problem(c, "eval.import_block_twice", h));
                }
                match staff {
                    None => Some(Column::Cost(slot, code)),
                    // Staff is read on one basis only: the others' columns are left alone.
                    Some(b) if b == basis => Some(Column::Staff(slot, b, code)),
                    Some(_) => None,
                }
            }
            (None, Some(Err(m))) => {
                problems.push(problem(c, m, h));
                None
            }
            (None, None) => None,
        };
        columns.push(col);
    }
    for (f, _, required) in FIELDS {
        if required && !seen_fields.contains(f) {
            problems.push(Problem {
                row: line,
                column: String::new(),
                message: "import.missing_column",
                value: mapping.header(f).to_string(),
                detail: String::new(),
                flag: false,
            });
        }
    }
    (columns, problems)
}

/// The year blocks of a header row: (column, where its amounts go, staff basis or `None` for a
/// funding source, the source's or staff category's code).
pub fn year_blocks(
    header: &[String],
    fiscal_year: i64,
    all: &[Code],
) -> Vec<(usize, Slot, Option<Staff>, String)> {
    header
        .iter()
        .enumerate()
        .filter_map(|(c, h)| match block(h, fiscal_year, all) {
            Some(Ok((slot, staff, code))) => Some((c, slot, staff, code)),
            _ => None,
        })
        .collect()
}

/// The staff bases the header has columns for, in the order they are preferred.
pub fn staff_bases(header: &[String], fiscal_year: i64, all: &[Code]) -> Vec<Staff> {
    let mut found: Vec<Staff> = header
        .iter()
        .filter_map(|h| match block(h, fiscal_year, all) {
            Some(Ok((_, Some(b), _))) => Some(b),
            _ => None,
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The basis staff is read on: the chosen one when the sheet has it, else the first it has.
pub fn staff_basis(
    header: &[String],
    chosen: Option<Staff>,
    fiscal_year: i64,
    all: &[Code],
) -> Staff {
    let found = staff_bases(header, fiscal_year, all);
    match chosen {
        Some(b) if found.contains(&b) => b,
        _ => found.first().copied().unwrap_or(Staff::Years),
    }
}

/// The header row as read: a cell that is not a year block by itself reads with the cell above it
/// (carried right across merged cells) when the two make one — 「令和5年度決算」 over 「一般財源」
/// 「国庫支出金」 in a two-row header.
pub fn header_of(sheet: &Sheet, row: usize, fiscal_year: i64, all: &[Code]) -> Vec<String> {
    let cells = sheet.rows.get(row).cloned().unwrap_or_default();
    let Some(above) = row.checked_sub(1).and_then(|r| sheet.rows.get(r)) else {
        return cells;
    };
    let mut carried = "";
    cells
        .into_iter()
        .enumerate()
        .map(|(c, cell)| {
            if let Some(a) = above.get(c).map(|a| a.trim()).filter(|a| !a.is_empty()) {
                carried = a;
            }
            if cell.trim().is_empty()
                || carried.is_empty()
                || block(&cell, fiscal_year, all).is_some()
            {
                return cell;
            }
            let joined = format!("{carried} {}", cell.trim());
            match block(&joined, fiscal_year, all) {
                Some(Ok(_)) => joined,
                _ => cell,
            }
        })
        .collect()
}

/// How well a row reads as the header: the number of its cells that are a mapped field's header
/// or a year block.
pub fn score(row: &[String], mapping: &Mapping, l: &Lookup<'_>) -> usize {
    let wanted: Vec<String> = FIELDS
        .iter()
        .map(|(f, _, _)| normalize(mapping.header(f)))
        .filter(|h| !h.is_empty())
        .collect();
    row.iter()
        .filter(|h| {
            let n = normalize(h);
            (!n.is_empty() && wanted.contains(&n))
                || matches!(block(h, l.fiscal_year, l.codes), Some(Ok(_)))
        })
        .count()
}

/// Rows searched for the header (title rows, notes and blank rows may come first).
const HEADER_SEARCH_ROWS: usize = 30;

/// The sheet and header row (0-based) to read when the user has not said: the sheet named
/// 事務事業評価, else the one whose best row matches most; in it, the first row with the most
/// cells that are mapped headers or year blocks.
pub fn detect(sheets: &[Sheet], mapping: &Mapping, l: &Lookup<'_>) -> (usize, usize) {
    let best_row = |s: &Sheet| {
        s.rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .enumerate()
            .map(|(i, _)| {
                (
                    score(&header_of(s, i, l.fiscal_year, l.codes), mapping, l),
                    i,
                )
            })
            // The first of the best rows: highest score, then lowest index.
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .unwrap_or((0, 0))
    };
    let sheet = match sheets.iter().position(|s| s.name == super::SHEET) {
        Some(i) => i,
        None => sheets
            .iter()
            .enumerate()
            .map(|(i, s)| (best_row(s).0, i))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .map_or(0, |(_, i)| i),
    };
    let row = sheets.get(sheet).map_or(0, |s| best_row(s).1);
    (sheet, row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    #[test]
    fn a_two_row_header_reads_the_year_from_the_merged_cell_above() {
        let code = |list: &str, code: &str, label: &str| Code {
            list: list.into(),
            code: code.into(),
            label: label.into(),
            label_en: code.into(),
            sort_order: 0,
        };
        let all = [
            code(codes::FUNDING_SOURCE, "general", "一般財源"),
            code(codes::FUNDING_SOURCE, "national", "国庫支出金"),
        ];
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let sheet = Sheet {
            name: "評価".into(),
            rows: vec![
                row(&["令和8年度 事務事業評価一覧", "", "", "", "", ""]),
                row(&["", "", "令和5年度決算", "", "令和8年度予算", ""]),
                row(&[
                    "事業コード",
                    "事務事業名",
                    "一般財源",
                    "国庫支出金",
                    "一般財源",
                    "備考",
                ]),
            ],
        };
        let header = header_of(&sheet, 2, 2026, &all);
        assert_eq!(
            header,
            row(&[
                "事業コード",
                "事務事業名",
                "令和5年度決算 一般財源",
                "令和5年度決算 国庫支出金",
                "令和8年度予算 一般財源",
                "備考"
            ])
        );
        assert_eq!(
            header_of(&sheet, 0, 2026, &all),
            sheet.rows[0],
            "no row above: as it is"
        );
        let blocks = year_blocks(&header, 2026, &all);
        assert_eq!(blocks.len(), 3);
        assert_eq!((blocks[0].1.year, blocks[0].1.col), (2023, "settled"));
    }
}
