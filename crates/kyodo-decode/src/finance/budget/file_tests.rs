//! The budget reader on files as cities publish them, and on hostile ones.

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
fn merged_cells_and_a_second_header_row_as_a_workbook_has_them() {
    // 歳入歳出 and 款 merged down their rows; 「本年度」「前年度」 under a merged 「金額」.
    let text = "年度,会計,予算区分,歳入歳出,款,項,金額,\n,,,,,,本年度,前年度\n\
                R6,一般会計,当初,歳入,市税,,1000,900\n\
                R6,一般会計,当初,,,市民税,600,500\n\
                R6,一般会計,当初,,,固定資産税,400,400\n\
                R6,一般会計,当初,歳出,民生費,社会福祉費,700,600\n\
                R6,一般会計,当初,,,児童福祉費,200,200\n\
                R6,一般会計,当初,,総務費,総務管理費,100,100\n";
    let e = read(&sheet(text)).unwrap();
    let got: Vec<(Side, &str, &str)> = e[0]
        .lines
        .iter()
        .map(|l| (l.side, l.kan.as_str(), l.kou.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Side::Revenue, "市税", "市民税"),
            (Side::Revenue, "市税", "固定資産税"),
            (Side::Expenditure, "民生費", "社会福祉費"),
            (Side::Expenditure, "民生費", "児童福祉費"),
            (Side::Expenditure, "総務費", "総務管理費"),
        ]
    );
    // The first row has nothing above it to continue.
    let text = "年度,会計,予算区分,歳入歳出,款,項,金額\nR6,一般会計,決算,歳入,,市民税,600\n";
    assert_eq!(read(&sheet(text)).unwrap_err()[0].key, "fin.no_kan");
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
