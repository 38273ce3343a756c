//! A statements file in the proposed CSV layout (`fiscal_year, scope, statement, line_code,
//! parent_code, line_name, column, amount, unit`), or a workbook or CSV with those columns under
//! Japanese headers (年度, 会計区分, 財務書類, 科目コード, 親コード, 科目名, 列, 金額, 単位) on any of
//! the first ten rows. Units per row, in the amount's header or a title row; △ negatives; 「-」
//! as zero. Every cell, every total and every identity is checked, each problem by line, and no
//! set is read unless the whole file is consistent.

use super::{NewSet, StLine, Statement, checks, column, scope};
use crate::finance::cells::{self, find_header, fold, unit_in};
use crate::validation::LineProblem as Problem;
use kyodo_decode::sheet::Sheet;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::statements::demo;

    fn csv_of(rows: &[Vec<String>], head: &str) -> Sheet {
        let mut text = String::from(head);
        for r in rows {
            text.push_str(&r.join(","));
            text.push('\n');
        }
        kyodo_decode::sheet::read_csv(text.as_bytes(), "statements.csv").unwrap()
    }

    fn demo_rows() -> Vec<Vec<String>> {
        let s = demo::set();
        rows(s.fiscal_year, s.scope, &s.lines)
    }

    #[test]
    fn the_export_reads_back_unchanged() {
        let sheet = csv_of(&demo_rows(), &format!("{}\n", LAYOUT.join(",")));
        assert_eq!(read(&sheet).unwrap(), vec![demo::set()]);
    }

    #[test]
    fn a_messy_file_as_cities_write_it_reads() {
        // Japanese headers under a title row, 千円 in the header, full-width digits, △ negatives,
        // 和暦 years, statements by name, a blank row.
        let rows: Vec<Vec<String>> = demo_rows()
            .into_iter()
            .map(|mut r| {
                r[0] = "令和５年度".into();
                r[2] = Statement::parse(&r[2])
                    .map(|s| match s {
                        Statement::Bs => "貸借対照表",
                        Statement::Pl => "行政コスト計算書",
                        Statement::Nw => "純資産変動計算書",
                        Statement::Cf => "資金収支計算書",
                    })
                    .unwrap()
                    .into();
                let k: i64 = r[7].parse::<i64>().unwrap() / 1000;
                r[7] = if k < 0 {
                    format!("\"△{}\"", (-k).to_string().replace('1', "１"))
                } else {
                    format!("\"{}\"", k.to_string().replace('2', "２"))
                };
                r[8] = String::new();
                r
            })
            .collect();
        let head = "財務書類 令和5年度 一般会計等,,,,,,,,\n\n年度,会計区分,財務書類,科目コード,親コード,科目名,列,金額（千円）,単位\n";
        let sets = read(&csv_of(&rows, head)).unwrap();
        assert_eq!(sets, vec![demo::set()]);
    }

    #[test]
    fn a_broken_identity_or_total_is_named_by_line_and_nothing_is_read() {
        let mut rows = demo_rows();
        let cash = rows.iter().position(|r| r[5] == "現金預金").unwrap();
        rows[cash][7] = "1".into();
        let head = format!("{}\n", LAYOUT.join(","));
        let p = read(&csv_of(&rows, &head)).unwrap_err();
        let keys: Vec<&str> = p.iter().map(|p| p.key).collect();
        assert_eq!(keys, vec!["fst.total_mismatch", "fst.id_cf_bs"]);
        assert_eq!(p[0].value.split(':').next(), Some("流動資産"));
        // The CF's closing line, where the identity starts, is the one named.
        let closing = rows
            .iter()
            .position(|r| r[5] == "本年度末資金残高")
            .unwrap();
        assert_eq!(p[1].line, closing + 2);
        // A statement left out, a bad cell, an unknown parent.
        let no_cf: Vec<_> = demo_rows().into_iter().filter(|r| r[2] != "CF").collect();
        let p = read(&csv_of(&no_cf, &head)).unwrap_err();
        assert_eq!(
            (p[0].key, p[0].value.as_str()),
            ("fst.missing_statement", "CF")
        );
        let mut bad = demo_rows();
        bad[3][7] = "abc".into();
        bad[5][6] = "固定資産等形成分".into();
        let p = read(&csv_of(&bad, &head)).unwrap_err();
        let keys: Vec<(usize, &str)> = p.iter().map(|p| (p.line, p.key)).collect();
        assert_eq!(keys, vec![(5, "fst.bad_amount"), (7, "fst.column_not_nw")]);
        // Once every cell reads, the structure: an unknown parent is named on its line.
        let mut orphan = demo_rows();
        orphan[4][4] = "NOPE".into();
        let p = read(&csv_of(&orphan, &head)).unwrap_err();
        assert_eq!(
            (p[0].line, p[0].key, p[0].value.as_str()),
            (6, "fst.bad_parent", "NOPE")
        );
    }
}
