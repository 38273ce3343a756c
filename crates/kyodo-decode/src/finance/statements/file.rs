//! A statements file in the proposed CSV layout (`fiscal_year, scope, statement, line_code,
//! parent_code, line_name, column, amount, unit`), or a workbook or CSV with those columns under
//! Japanese headers (年度, 会計区分, 財務書類, 科目コード, 親コード, 科目名, 列, 金額, 単位) on any of
//! the first ten rows. Units per row, in the amount's header or a title row; △ negatives; 「-」
//! as zero. Every cell, every total and every identity is checked, each problem by line, and no
//! set is read unless the whole file is consistent.

use super::{NewSet, StLine, Statement, checks, column, scope};
use crate::LineProblem as Problem;
use crate::finance::cells::{self, find_header, fold, unit_in};
use crate::sheet::Sheet;
use std::collections::{BTreeMap, HashSet};

const NAMES: [(&str, &[&str]); 9] = [
    ("year", &["fiscal_year", "年度", "会計年度"]),
    ("scope", &["scope", "会計区分", "範囲", "対象範囲"]),
    ("statement", &["statement", "財務書類", "表", "様式"]),
    ("code", &["line_code", "科目コード", "コード"]),
    ("parent", &["parent_code", "親コード", "上位コード"]),
    ("name", &["line_name", "科目名", "科目", "勘定科目"]),
    ("column", &["column", "列", "区分"]),
    ("amount", &["amount", "金額"]),
    ("unit", &["unit", "単位"]),
];

type Header = (BTreeMap<&'static str, usize>, Option<i64>);

fn header(row: &[String]) -> Option<Header> {
    let mut cols = BTreeMap::new();
    let mut unit = None;
    for (i, cell) in row.iter().enumerate() {
        let name = fold(cell).to_lowercase();
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
    ["year", "scope", "statement", "name", "amount"]
        .iter()
        .all(|f| cols.contains_key(f))
        .then_some((cols, unit))
}

/// Reads every set in the file (one per year and scope), or every problem in it.
pub fn read(sheet: &Sheet) -> Result<Vec<NewSet>, Vec<Problem>> {
    let problem = |line: usize, key: &'static str, value: String| Problem { line, key, value };
    let Some((at, (cols, header_unit))) = find_header(&sheet.rows, header) else {
        return Err(vec![problem(1, "fst.no_header", String::new())]);
    };
    let title_unit = sheet.rows[..at].iter().flatten().find_map(|c| unit_in(c));
    let mut problems = Vec::new();
    // Per set: (file line, line) in file order.
    let mut sets: BTreeMap<(i64, &'static str), Vec<(usize, StLine)>> = BTreeMap::new();
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
        let before = problems.len();
        let year = kyodo_jp::FiscalYear::parse(&cell("year"));
        let sc = scope(&cell("scope"));
        let st = Statement::parse(&cell("statement"));
        let col = column(&cell("column"));
        let name = cell("name");
        for (bad, key, value) in [
            (year.is_none(), "fst.bad_year", cell("year")),
            (sc.is_none(), "fst.bad_scope", cell("scope")),
            (st.is_none(), "fst.bad_statement", cell("statement")),
            (col.is_none(), "fst.bad_column", cell("column")),
            (name.is_empty(), "fst.no_name", String::new()),
        ] {
            if bad {
                problems.push(problem(line, key, value));
            }
        }
        if col.is_some_and(|c| c != super::TOTAL) && st.is_some_and(|s| s != Statement::Nw) {
            problems.push(problem(line, "fst.column_not_nw", cell("column")));
        }
        let unit = match cell("unit").as_str() {
            "" => Some(header_unit.or(title_unit).unwrap_or(1)),
            u => unit_in(u),
        };
        if unit.is_none() {
            problems.push(problem(line, "fst.bad_unit", cell("unit")));
        }
        let amount = unit.and_then(|u| cells::amount(&cell("amount"), u));
        if amount.is_none() {
            problems.push(problem(line, "fst.bad_amount", cell("amount")));
        }
        if problems.len() > before {
            continue;
        }
        let (Some(y), Some(sc), Some(st), Some(col), Some(amount)) = (year, sc, st, col, amount)
        else {
            continue;
        };
        let code = match cell("code") {
            c if c.is_empty() => format!("L{line}"),
            c => c,
        };
        sets.entry((i64::from(y.0), sc)).or_default().push((
            line,
            StLine {
                statement: st,
                code,
                parent: cell("parent"),
                name,
                column: col,
                amount,
            },
        ));
    }
    if sets.is_empty() && problems.is_empty() {
        problems.push(problem(at + 1, "fst.no_rows", String::new()));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut out = Vec::new();
    for ((fiscal_year, scope), rows) in sets {
        check(&rows, &mut problems);
        out.push(NewSet {
            fiscal_year,
            scope,
            lines: rows.into_iter().map(|(_, l)| l).collect(),
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Codes, parents, every statement present, totals and identities: each problem by line.
fn check(rows: &[(usize, StLine)], problems: &mut Vec<Problem>) {
    let first = rows.first().map_or(1, |r| r.0);
    let mut seen = HashSet::new();
    for (line, l) in rows {
        if !seen.insert((l.statement, l.column, l.code.as_str())) {
            problems.push(Problem {
                line: *line,
                key: "fst.duplicate_code",
                value: l.code.clone(),
            });
        }
    }
    for (line, l) in rows {
        if !l.parent.is_empty() && !seen.contains(&(l.statement, l.column, l.parent.as_str())) {
            problems.push(Problem {
                line: *line,
                key: "fst.bad_parent",
                value: l.parent.clone(),
            });
        }
    }
    for st in Statement::ALL {
        if !rows.iter().any(|(_, l)| l.statement == st) {
            problems.push(Problem {
                line: first,
                key: "fst.missing_statement",
                value: st.code().to_string(),
            });
        }
    }
    if !problems.is_empty() {
        return;
    }
    let lines: Vec<StLine> = rows.iter().map(|(_, l)| l.clone()).collect();
    for (i, stated, sum) in checks::totals(&lines) {
        problems.push(Problem {
            line: rows[i].0,
            key: "fst.total_mismatch",
            value: format!("{}: {stated} ≠ {sum}", lines[i].name),
        });
    }
    for outcome in checks::identities(&lines) {
        match outcome {
            Ok(id) if !id.holds() => problems.push(Problem {
                line: rows[id.at].0,
                key: id.key,
                value: format!("{} ≠ {}", id.left, id.right),
            }),
            Ok(_) => {}
            Err((st, name)) => problems.push(Problem {
                line: first,
                key: "fst.missing_line",
                value: format!("{} {name}", st.code()),
            }),
        }
    }
}

/// The columns of the proposed layout, as the CSV export writes them.
pub const LAYOUT: [&str; 9] = [
    "fiscal_year",
    "scope",
    "statement",
    "line_code",
    "parent_code",
    "line_name",
    "column",
    "amount",
    "unit",
];

/// A set's lines as rows of the layout, in 円.
pub fn rows(fiscal_year: i64, scope: &str, lines: &[StLine]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| {
            vec![
                fiscal_year.to_string(),
                scope.to_string(),
                l.statement.code().to_string(),
                l.code.clone(),
                l.parent.clone(),
                l.name.clone(),
                l.column.to_string(),
                l.amount.to_string(),
                "円".to_string(),
            ]
        })
        .collect()
}
