//! Hostile files for every finance reader: formulas, markup and control characters in cells,
//! amounts at and beyond the limit, ragged and empty rows, a header alone. Each is refused with
//! problems by line (never a panic or an overflow), or reads only what is consistent.

use super::{bids, budget, outlook, statements};
use crate::sheet::read_csv;

fn hostile_rows() -> Vec<String> {
    vec![
        "=CMD(),<script>,\u{0}\u{1b},@SUM(A1),+1,-1".into(),
        ",,,,,,,,,,,,,,,,,,,,,,,,,".into(),
        "\"a\"\"b\"".into(),
        "9999999999999999999,△9999999999999,１e400,NaN,inf".into(),
    ]
}

fn files(header: &str, good: &str) -> Vec<String> {
    let mut out = vec![header.to_string()];
    for h in hostile_rows() {
        out.push(format!("{header}\n{h}\n"));
        out.push(format!("{header}\n{good}\n{h}\n"));
    }
    // The largest amount in every numeric place, many times: sums overflow nothing.
    let huge = good.replace("1000", "1000000000000000");
    out.push(format!("{header}\n{}", format!("{huge}\n").repeat(30)));
    out
}

/// A reader's verdict on a sheet: true when it refused by line or read something consistent.
type Holds = fn(&crate::sheet::Sheet) -> bool;

#[test]
fn hostile_files_are_refused_by_line_or_read_consistently() {
    let cases: [(&str, &str, Holds); 4] = [
        (
            "年度,会計,予算区分,歳入歳出,款,項,性質,金額",
            "R6,一般会計,決算,歳入,市税,市民税,,1000",
            |s| budget::file::read(s).map_or_else(|p| p.iter().all(|p| p.line >= 1), |_| true),
        ),
        (
            "fiscal_year,scope,statement,line_code,parent_code,line_name,column,amount,unit",
            "2023,一般会計等,BS,B1,,資産合計,合計,1000,千円",
            |s| statements::file::read(s).is_err_and(|p| p.iter().all(|p| p.line >= 1)),
        ),
        (
            "区分,項目,令和8年度,令和9年度",
            "歳入,市税,1000,1000",
            |s| {
                outlook::file::read(s)
                    .map_or_else(|p| p.iter().all(|p| p.line >= 1), |o| o.years.len() == 2)
            },
        ),
        (
            "案件番号,件名,種別,入札方式,開札日,予定価格,落札者,落札額",
            "A-1,工事,工事,一般競争,2024-05-10,1000,甲,1000",
            |s| {
                bids::file::read(s)
                    .map_or_else(|p| p.iter().all(|p| p.line >= 1), |b| !b.is_empty())
            },
        ),
    ];
    for (header, good, holds) in cases {
        for text in files(header, good) {
            let sheet = read_csv(text.as_bytes(), "hostile.csv").expect("a CSV reads into cells");
            assert!(holds(&sheet), "{header}: {text:?}");
        }
    }
}
