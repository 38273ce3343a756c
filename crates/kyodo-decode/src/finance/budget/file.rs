//! A budget or settlement file as cities publish it (a 予算書 or 決算書 CSV or workbook of
//! 款・項・目・節 rows): title rows above the header, the header found by its names on any of the
//! first ten rows, amounts in 円, 千円 or 百万円 (from the amount column's header or a 「単位：千円」
//! title), full-width digits, commas and △ negatives. Rows at the deepest level the file uses are
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
    for (i, r) in sheet.rows.iter().enumerate().skip(at + 1) {
        let line = i + 1;
        let cell = |field| pick(r, field);
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let raw_year = cell(c_year);
        let year = match last_year {
            Some((raw, y)) if raw == raw_year => y,
            _ => kyodo_jp::FiscalYear::parse(raw_year),
        };
        last_year = Some((raw_year, year));
        if year.is_none() {
            problems.push(problem(line, "fin.bad_year", raw_year));
        }
        let side = Side::parse(cell(c_side));
        if side.is_none() {
            problems.push(problem(line, "fin.bad_side", cell(c_side)));
        }
        let (account, edition, kan) = (cell(c_account), cell(c_edition), cell(c_kan));
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
        let (kou, moku, setsu) = (cell(c_kou), cell(c_moku), cell(c_setsu));
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
mod tests {
    use super::*;

    fn sheet(text: &str) -> Sheet {
        crate::sheet::read_csv(text.as_bytes(), "budget.csv").unwrap()
    }

    const HEAD: &str = "令和6年度 一般会計 当初予算,,,,,,,\n（単位：千円）,,,,,,,\n年度,会計,予算区分,歳入歳出,款,項,性質,金額\n";

    #[test]
    fn a_file_as_published_reads_with_units_and_totals_checked() {
        let text = format!(
            "{HEAD}R6,一般会計,当初,歳入,市税,,,\"１，０００\"\n\
             R6,一般会計,当初,歳入,市税,市民税,,600\n\
             R6,一般会計,当初,歳入,市税,固定資産税,,400\n\
             R6,一般会計,当初,歳出,民生費,社会福祉費,扶助費,700\n\
             R6,一般会計,当初,歳出,総務費,総務管理費,人件費,300\n"
        );
        let e = read(&sheet(&text)).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].fiscal_year, e[0].lines.len()),
            (2024, 4),
            "the 款計 row is a check, not a line"
        );
        assert_eq!(e[0].lines[0].amount, 600_000, "千円 from the title row");
    }

    #[test]
    fn a_kan_that_is_not_the_sum_of_its_kou_is_named_and_nothing_is_read() {
        let text = format!(
            "{HEAD}R6,一般会計,当初,歳入,市税,,,1000\n\
             R6,一般会計,当初,歳入,市税,市民税,,600\n\
             R6,一般会計,当初,歳入,市税,固定資産税,,300\n\
             R6,一般会計,当初,歳出,民生費,社会福祉費,扶助費,900\n"
        );
        let p = read(&sheet(&text)).unwrap_err();
        assert_eq!(p[0].line, 4);
        assert_eq!(p[0].key, "fin.total_mismatch");
        assert!(p[0].value.contains("市税"), "{}", p[0].value);
    }

    #[test]
    fn bad_cells_unbalanced_budgets_and_settlements() {
        let text = format!(
            "{HEAD}R6,一般会計,当初,歳入,市税,市民税,,abc\n\
             R6,一般会計,当初,雑,市税,市民税,,1\n"
        );
        let p = read(&sheet(&text)).unwrap_err();
        assert_eq!((p[0].key, p[1].key), ("fin.bad_amount", "fin.bad_side"));
        let text = format!("{HEAD}R6,一般会計,当初,歳入,市税,市民税,,△5\n");
        assert_eq!(read(&sheet(&text)).unwrap_err()[0].key, "fin.unbalanced");
        let text = format!("{HEAD}R6,一般会計,決算,歳入,市税,市民税,,700\n");
        assert_eq!(
            read(&sheet(&text)).unwrap()[0].lines[0].amount,
            700_000,
            "a settlement need not balance"
        );
        assert_eq!(
            read(&sheet("a,b\n1,2\n")).unwrap_err()[0].key,
            "fin.no_header"
        );
    }

    #[test]
    fn hostile_files_are_refused_by_line_never_a_panic_or_an_overflow() {
        // Amounts at the edge: one beyond the line limit, and many at it whose sum is beyond the
        // limit for an edition — each refused with a problem, never wrapped or panicking.
        let huge = format!("{HEAD}R6,一般会計,決算,歳入,市税,市民税,,9999999999999\n");
        assert_eq!(read(&sheet(&huge)).unwrap_err()[0].key, "fin.bad_amount");
        let mut many = String::from("年度,会計,予算区分,歳入歳出,款,項,性質,金額\n");
        for _ in 0..20 {
            many.push_str("R6,一般会計,決算,歳入,市税,市民税,,1000000000000000\n");
        }
        assert_eq!(read(&sheet(&many)).unwrap_err()[0].key, "fin.bad_amount");
        // Formulas, markup, control characters, empty and ragged rows.
        let text = format!(
            "{HEAD}=CMD(),<script>,\u{0}\u{1b},歳入,=1+1,,,1\n,,,\nR6\n\"a\"\"b\",,,,,,,,,,,,\n"
        );
        let problems = read(&sheet(&text)).unwrap_err();
        assert!(problems.iter().all(|p| p.line >= 4), "{problems:?}");
        let header_only = "年度,会計,予算区分,歳入歳出,款,金額\n";
        assert_eq!(read(&sheet(header_only)).unwrap_err()[0].key, "fin.no_rows");
    }
}
