//! A budget or settlement file as cities publish it (a 予算書 or 決算書 CSV or workbook of
//! 款・項・目・節 rows): title rows above the header, the header found by its names on any of the
//! first ten rows, amounts in 円, 千円 or 百万円 (from the amount column's header or a 「単位：千円」
//! title), full-width digits, commas and △ negatives. Rows at the deepest level the file uses are
//! the lines; shallower rows (款計, 項計) are totals, each checked against the lines under it, and
//! a budget's revenue against its expenditure. Every problem is reported by line, and nothing is
//! read into an edition unless the whole file is consistent.

use super::{Line, NewEdition, Side};
use crate::LineProblem as Problem;
use crate::finance::cells::{MAX_AMOUNT, find_header, fold, unit_in};
use crate::sheet::Sheet;
use std::collections::BTreeMap;

/// Column names accepted for each field (after full-width letters and spaces are folded).
const NAMES: [(&str, &[&str]); 10] = [
    ("year", &["年度", "会計年度"]),
    ("account", &["会計", "会計名", "会計区分"]),
    ("edition", &["予算区分", "版", "区分", "予算・決算", "種別"]),
    ("side", &["歳入歳出", "歳入・歳出", "歳入/歳出", "収支"]),
    ("kan", &["款", "款名"]),
    ("kou", &["項", "項名"]),
    ("moku", &["目", "目名"]),
    ("setsu", &["節", "節名"]),
    ("nature", &["性質", "性質別", "性質別区分"]),
    (
        "amount",
        &["金額", "予算額", "決算額", "支出済額", "収入済額"],
    ),
];

/// The header: which column holds each field, and the amount's unit.
fn header(row: &[String]) -> Option<(BTreeMap<&'static str, usize>, Option<i64>)> {
    let mut cols = BTreeMap::new();
    let mut unit = None;
    for (i, cell) in row.iter().enumerate() {
        let name = fold(cell);
        // 「金額(千円)」: the name before the bracket, the unit inside it.
        let bare = name.split(['(', '（']).next().unwrap_or_default();
        for (field, names) in NAMES {
            if names.contains(&bare) && !cols.contains_key(field) {
                cols.insert(field, i);
                if field == "amount" {
                    unit = unit_in(&name);
                }
            }
        }
    }
    let required = ["year", "account", "edition", "side", "kan", "amount"];
    required
        .iter()
        .all(|f| cols.contains_key(f))
        .then_some((cols, unit))
}

/// A row of the file once read: its line number, level (1 款 … 4 節) and fields.
struct Row {
    line: usize,
    key: (i64, String, String),
    level: usize,
    line_data: Line,
}

/// Reads every edition in the file, or every problem in it.
pub fn read(sheet: &Sheet) -> Result<Vec<NewEdition>, Vec<Problem>> {
    let problem = |line: usize, key: &'static str, value: &str| Problem {
        line,
        key,
        value: value.to_string(),
    };
    let Some((at, (cols, header_unit))) = find_header(&sheet.rows, header) else {
        return Err(vec![problem(1, "fin.no_header", "")]);
    };
    let title_unit = sheet.rows[..at].iter().flatten().find_map(|c| unit_in(c));
    let unit = header_unit.or(title_unit).unwrap_or(1);
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (i, r) in sheet.rows.iter().enumerate().skip(at + 1) {
        let line = i + 1;
        let cell = |f: &str| {
            cols.get(f)
                .and_then(|c| r.get(*c))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let year = kyodo_jp::FiscalYear::parse(&cell("year"));
        if year.is_none() {
            problems.push(problem(line, "fin.bad_year", &cell("year")));
        }
        let side = Side::parse(&cell("side"));
        if side.is_none() {
            problems.push(problem(line, "fin.bad_side", &cell("side")));
        }
        let (account, edition, kan) = (cell("account"), cell("edition"), cell("kan"));
        for (v, key) in [
            (&account, "fin.no_account"),
            (&edition, "fin.no_edition"),
            (&kan, "fin.no_kan"),
        ] {
            if v.is_empty() {
                problems.push(problem(line, key, ""));
            }
        }
        let amount = crate::finance::cells::amount(&cell("amount"), unit);
        let Some(amount) = amount else {
            problems.push(problem(line, "fin.bad_amount", &cell("amount")));
            continue;
        };
        let (kou, moku, setsu) = (cell("kou"), cell("moku"), cell("setsu"));
        let level = [&kan, &kou, &moku, &setsu]
            .iter()
            .rposition(|v| !v.is_empty())
            .map_or(1, |p| p + 1);
        if let (Some(y), Some(side)) = (year, side) {
            rows.push(Row {
                line,
                key: (i64::from(y.0), account, edition),
                level,
                line_data: Line {
                    side,
                    kan,
                    kou,
                    moku,
                    setsu,
                    nature: cell("nature"),
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
    let mut editions: BTreeMap<(i64, String, String), Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        editions.entry(r.key.clone()).or_default().push(r);
    }
    let mut out = Vec::new();
    for ((fiscal_year, account, edition), rows) in editions {
        check_totals(&rows, deepest, &mut problems);
        let lines: Vec<Line> = rows
            .iter()
            .filter(|r| r.level == deepest)
            .map(|r| r.line_data.clone())
            .collect();
        let e = NewEdition {
            fiscal_year,
            account,
            edition,
            lines,
        };
        let sum = |side| -> i128 {
            e.lines
                .iter()
                .filter(|l| l.side == side)
                .map(|l| i128::from(l.amount))
                .sum()
        };
        let first = rows.first().map_or(1, |r| r.line);
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
                problems.push(problem(first, "fin.bad_amount", &gross.to_string()));
            }
        }
        if !e.is_settlement() && sum(Side::Revenue) != sum(Side::Expenditure) {
            problems.push(problem(
                first,
                "fin.unbalanced",
                &format!(
                    "{} {}: {} ≠ {}",
                    e.account,
                    e.edition,
                    sum(Side::Revenue),
                    sum(Side::Expenditure)
                ),
            ));
        }
        out.push(e);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Each total row (a 款計 or 項計, shallower than the lines) equals the lines under it.
fn check_totals(rows: &[&Row], deepest: usize, problems: &mut Vec<Problem>) {
    for total in rows.iter().filter(|r| r.level < deepest) {
        let t = &total.line_data;
        let path = |l: &Line| [l.kan.clone(), l.kou.clone(), l.moku.clone()];
        let prefix = &path(t)[..total.level];
        let sum: i128 = rows
            .iter()
            .filter(|r| r.level == deepest && r.line_data.side == t.side)
            .filter(|r| path(&r.line_data)[..total.level] == *prefix)
            .map(|r| i128::from(r.line_data.amount))
            .sum();
        if sum != i128::from(t.amount) {
            let name = prefix.join(" ");
            problems.push(Problem {
                line: total.line,
                key: "fin.total_mismatch",
                value: format!("{}: {} ≠ {}", name.trim(), t.amount, sum),
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
