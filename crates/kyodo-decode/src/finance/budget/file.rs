//! A budget or settlement file as cities publish it (a 予算書 or 決算書 CSV or workbook of
//! 款・項・目・節 rows): title rows above the header, the header found by its names on any of the
//! first ten rows, amounts in 円, 千円 or 百万円 (from the amount column's header or a 「単位：千円」
//! title), full-width digits, commas and △ negatives, a workbook's merged cells (歳入歳出 and 款
//! blank below their first row; a second header row under a merged 「予算額」), and — for other
//! layouts — a city's column mapping (`columns.rs`). Rows at the deepest level the file uses are
//! the lines; shallower rows (款計, 項計) are totals, each checked against the lines under it, and
//! a budget's revenue against its expenditure. Every problem is reported by line, and nothing is
//! read into an edition unless the whole file is consistent.

use super::columns::{FIELDS, Mapping, header};
use super::{Line, NewEdition, Side};
use crate::LineProblem as Problem;
use crate::finance::cells::{MAX_AMOUNT, find_header, unit_in};
use crate::sheet::Sheet;

/// A row of the file once read: its line number, edition (an index into the file's editions),
/// level (1 款 … 4 節) and fields.
struct Row {
    line: usize,
    edition: usize,
    level: usize,
    line_data: Line,
}

/// Reads every edition in the file with the usual column names, or every problem in it.
pub fn read(sheet: &Sheet) -> Result<Vec<NewEdition>, Vec<Problem>> {
    read_mapped(sheet, &Mapping::default())
}

/// Reads every edition in the file under a city's mapping, or every problem in it. Rows are read
/// without copying a cell more than once (a 決算書 has 50,000 of them, and twenty years of them
/// are imported at once).
pub fn read_mapped(sheet: &Sheet, mapping: &Mapping) -> Result<Vec<NewEdition>, Vec<Problem>> {
    let problem = |line: usize, key: &'static str, value: &str| Problem {
        line,
        key,
        value: value.to_string(),
    };
    let Some((at, (cols, header_unit))) = find_header(&sheet.rows, |r| header(r, mapping)) else {
        return Err(vec![problem(1, "fin.no_header", "")]);
    };
    let title_unit = sheet.rows[..at].iter().flatten().find_map(|c| unit_in(c));
    let unit = mapping.unit.or(header_unit).or(title_unit).unwrap_or(1);
    // Each field's column, or the value the mapping gives the whole file (else nothing).
    let col = |f: &str| (cols.get(f).copied(), mapping.fixed(f).unwrap_or_default());
    let [
        c_year,
        c_account,
        c_edition,
        c_side,
        c_kan,
        c_kou,
        c_moku,
        c_setsu,
        c_nature,
        c_amount,
    ] = FIELDS.map(|(f, _)| col(f));
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    // (fiscal year, 会計, edition) of each edition in the file, in order of first appearance.
    let mut keys: Vec<(i64, String, String)> = Vec::new();
    let mut last_year: Option<(&str, Option<kyodo_jp::FiscalYear>)> = None;
    // 歳入歳出, 款, 項, 目 of the row above: a workbook's merged cells leave them blank below.
    let mut above: [&str; 4] = [""; 4];
    for (i, r) in sheet.rows.iter().enumerate().skip(at + 1) {
        let line = i + 1;
        let cell = |field| pick(r, field);
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut names = [
            cell(c_side),
            cell(c_kan),
            cell(c_kou),
            cell(c_moku),
            cell(c_setsu),
        ];
        // A second header row under the first (「本年度」「前年度」 under a merged 「予算額」):
        // no name in it and no amount.
        if i == at + 1
            && names[1..].iter().all(|n| n.is_empty())
            && crate::finance::cells::amount(cell(c_amount), unit).is_none()
        {
            continue;
        }
        fill_merged(&mut names, &above);
        above.copy_from_slice(&names[..4]);
        let [side_raw, kan, kou, moku, setsu] = names;
        let raw_year = cell(c_year);
        let year = match last_year {
            Some((raw, y)) if raw == raw_year => y,
            _ => kyodo_jp::FiscalYear::parse(raw_year),
        };
        last_year = Some((raw_year, year));
        if year.is_none() {
            problems.push(problem(line, "fin.bad_year", raw_year));
        }
        let side = Side::parse(side_raw);
        if side.is_none() {
            problems.push(problem(line, "fin.bad_side", side_raw));
        }
        let (account, edition) = (cell(c_account), cell(c_edition));
        for (v, key) in [
            (account, "fin.no_account"),
            (edition, "fin.no_edition"),
            (kan, "fin.no_kan"),
        ] {
            if v.is_empty() {
                problems.push(problem(line, key, ""));
            }
        }
        let Some(amount) = crate::finance::cells::amount(cell(c_amount), unit) else {
            problems.push(problem(line, "fin.bad_amount", cell(c_amount)));
            continue;
        };
        let level = [kan, kou, moku, setsu]
            .iter()
            .rposition(|v| !v.is_empty())
            .map_or(1, |p| p + 1);
        if let (Some(y), Some(side)) = (year, side) {
            let y = i64::from(y.0);
            let found = keys
                .iter()
                .position(|k| k.0 == y && k.1 == account && k.2 == edition);
            let edition = found.unwrap_or_else(|| {
                keys.push((y, account.to_string(), edition.to_string()));
                keys.len() - 1
            });
            rows.push(Row {
                line,
                edition,
                level,
                line_data: Line {
                    side,
                    kan: kan.to_string(),
                    kou: kou.to_string(),
                    moku: moku.to_string(),
                    setsu: setsu.to_string(),
                    nature: cell(c_nature).to_string(),
                    amount,
                },
            });
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(at + 1, "fin.no_rows", ""));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let deepest = rows.iter().map(|r| r.level).max().unwrap_or(1);
    check_totals(&rows, deepest, &mut problems);
    let mut firsts = vec![usize::MAX; keys.len()];
    let mut lines: Vec<Vec<Line>> = vec![Vec::new(); keys.len()];
    for r in rows {
        firsts[r.edition] = firsts[r.edition].min(r.line);
        if r.level == deepest {
            lines[r.edition].push(r.line_data);
        }
    }
    let mut out = Vec::new();
    for (((fiscal_year, account, edition), lines), first) in keys.into_iter().zip(lines).zip(firsts)
    {
        let e = NewEdition {
            fiscal_year,
            account,
            edition,
            lines,
        };
        check_edition(&e, first, &mut problems);
        out.push(e);
    }
    if problems.is_empty() {
        out.sort_by(|a, b| {
            (a.fiscal_year, &a.account, &a.edition).cmp(&(b.fiscal_year, &b.account, &b.edition))
        });
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Merged cells as a workbook leaves them: a blank 歳入歳出 is the one above; leading blank 款,
/// 項, 目 before a name on the row are those above (a new 款 with no 項 of its own is not given
/// the 項 of the 款 above, since its own 款 is not blank).
fn fill_merged<'a>(names: &mut [&'a str; 5], above: &[&'a str; 4]) {
    if names[0].is_empty() {
        names[0] = above[0];
    }
    let Some(deepest) = names[1..].iter().rposition(|n| !n.is_empty()) else {
        return;
    };
    for i in 1..=deepest {
        if !names[i].is_empty() {
            break;
        }
        names[i] = above[i];
    }
}

/// A row's value of a field: its cell in the field's column, else the mapping's value.
fn pick<'a>(row: &'a [String], (column, fixed): (Option<usize>, &'a str)) -> &'a str {
    match column {
        Some(c) => row.get(c).map_or("", |v| v.trim()),
        None => fixed,
    }
}

/// An edition's sums: within bounds, and a budget's revenue equal to its expenditure.
fn check_edition(e: &NewEdition, first: usize, problems: &mut Vec<Problem>) {
    let sum = |side| -> i128 {
        e.lines
            .iter()
            .filter(|l| l.side == side)
            .map(|l| i128::from(l.amount))
            .sum()
    };
    // Bounding the sum of the absolute amounts bounds every partial sum (by 款, by 性質), so
    // what the pages keep always fits a BIGINT.
    for side in [Side::Revenue, Side::Expenditure] {
        let gross: i128 = e
            .lines
            .iter()
            .filter(|l| l.side == side)
            .map(|l| i128::from(l.amount).abs())
            .sum();
        if gross > i128::from(MAX_AMOUNT) {
            problems.push(Problem {
                line: first,
                key: "fin.bad_amount",
                value: gross.to_string(),
            });
        }
    }
    if !e.is_settlement() && sum(Side::Revenue) != sum(Side::Expenditure) {
        problems.push(Problem {
            line: first,
            key: "fin.unbalanced",
            value: format!(
                "{} {}: {} ≠ {}",
                e.account,
                e.edition,
                sum(Side::Revenue),
                sum(Side::Expenditure)
            ),
        });
    }
}

/// A row's place at `level`: edition, side, level and its 款・項・目 down to that level.
type Path<'a> = (usize, Side, usize, [&'a str; 3]);

fn path(r: &Row, level: usize) -> Path<'_> {
    let l = &r.line_data;
    let mut p = [l.kan.as_str(), l.kou.as_str(), l.moku.as_str()];
    for name in p.iter_mut().skip(level) {
        *name = "";
    }
    (r.edition, l.side, level, p)
}

/// Each total row (a 款計 or 項計, shallower than the lines) equals the lines under it, of its own
/// edition and side: the lines' sums by every shallower path are taken once, so a file with a
/// total above every few lines is checked in one pass, not one pass per total.
fn check_totals(rows: &[Row], deepest: usize, problems: &mut Vec<Problem>) {
    if rows.iter().all(|r| r.level == deepest) {
        return;
    }
    let mut sums: std::collections::HashMap<Path, i128> = Default::default();
    for r in rows.iter().filter(|r| r.level == deepest) {
        for level in 1..deepest {
            *sums.entry(path(r, level)).or_default() += i128::from(r.line_data.amount);
        }
    }
    for total in rows.iter().filter(|r| r.level < deepest) {
        let key = path(total, total.level);
        let sum = sums.get(&key).copied().unwrap_or(0);
        if sum != i128::from(total.line_data.amount) {
            let name = key.3[..total.level].join(" ");
            problems.push(Problem {
                line: total.line,
                key: "fin.total_mismatch",
                value: format!("{}: {} ≠ {}", name.trim(), total.line_data.amount, sum),
            });
        }
    }
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
