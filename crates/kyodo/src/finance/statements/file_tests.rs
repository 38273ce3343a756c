//! The statements reader (in `kyodo_decode::finance::statements`) on files made from the
//! demonstration set: its export reads back unchanged, a messy file as cities write it reads, and
//! a broken total or identity is named by line.

use crate::finance::statements::file::{LAYOUT, read, rows};
use crate::finance::statements::{Statement, demo};
use kyodo_decode::sheet::Sheet;

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
