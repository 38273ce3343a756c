//! The workbook parser against thousands of random sheets — a deterministic stand-in for fuzzing
//! (the fuzz workspace builds only the small crates): whatever the headers and cells, `parse`
//! returns rows and problems, never panics, and every problem names a row of the sheet.

use super::import::{Lookup, Mapping, Options, can_apply, computed_total, parse};
use super::{FIELDS, block_header};
use crate::codes::{self, Code};
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{PolicyNode, Programme, UnitCost};
use kyodo_decode::sheet::Sheet;
use std::collections::HashMap;

/// xorshift64*: the same sequence on every run, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[(self.next() % from.len() as u64) as usize]
    }
}

const CELLS: &[&str] = &[
    "",
    " ",
    "0",
    "-0",
    "0101",
    "101",
    "110",
    "999",
    "1,000",
    "１，０００",
    "12.5",
    "0.25",
    "-3",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "△100",
    "▲100",
    "(100)",
    "－",
    "令和7年度",
    "一般財源",
    "直営",
    "委託",
    "継続",
    "廃止",
    "市民協働の推進",
    "１－１　市民協働の推進",
    "1-1",
    "\u{0}",
    "\u{202e}abc",
    "😀",
    "<script>",
    "=SUM(A1:A9)",
    "ＡＢ!",
    "N0001",
    "長い名前長い名前長い名前長い名前長い名前長い名前長い名前長い名前",
];

fn code(list: &str, code: &str, label: &str) -> Code {
    Code {
        list: list.into(),
        code: code.into(),
        label: label.into(),
        label_en: code.into(),
        sort_order: 0,
    }
}

#[test]
fn random_sheets_never_panic_and_every_problem_names_a_row() {
    let codes = vec![
        code(codes::FUNDING_SOURCE, "general", "一般財源"),
        code(codes::FUNDING_SOURCE, "national", "国庫支出金"),
        code(codes::STAFF_CATEGORY, "regular", "正規職員"),
        code(codes::IMPL_METHOD, "direct", "直営"),
        code(codes::IMPL_METHOD, "outsource", "委託"),
        code(codes::EVAL_DIRECTION, "continue", "継続"),
        code(codes::EVAL_DIRECTION, "abolish", "廃止"),
    ];
    let nodes = vec![PolicyNode {
        id: 7,
        plan_id: 1,
        parent_id: None,
        level: "measure".into(),
        position: 0,
        number: "1-1".into(),
        title: "市民協働の推進".into(),
        goal: String::new(),
    }];
    let programmes = vec![Programme {
        id: 3,
        code: "0101".into(),
        name: "事業".into(),
        department_id: 1,
        policy_node_id: Some(7),
        legal_basis: String::new(),
        first_year: 2020,
        last_year: None,
        is_new: false,
        kind: String::new(),
        method: String::new(),
        target: String::new(),
        intent: String::new(),
        means: String::new(),
        status: "active".into(),
        is_demo: false,
    }];
    let departments = vec![("110".to_string(), "企画政策課".to_string(), 1)];
    let stages = HashMap::from([(3, Stage::Draft)]);
    let units = vec![UnitCost {
        fiscal_year: 2026,
        category: "regular".into(),
        unit_cost: 8_400,
    }];
    let l = Lookup {
        fiscal_year: 2026,
        departments: &departments,
        nodes: &nodes,
        codes: &codes,
        programmes: &programmes,
        stages: &stages,
        units: &units,
        published: &Default::default(),
        history: &Default::default(),
    };
    let mapping = Mapping::default();
    let mut headers: Vec<String> = FIELDS.iter().map(|(_, h, _)| h.to_string()).collect();
    for col in [
        "prev_settled",
        "budget",
        "settled",
        "next_budget",
        "nonsense",
    ] {
        for (label, fte) in [
            ("一般財源", false),
            ("国庫支出金", false),
            ("正規職員", true),
            ("謎", false),
        ] {
            headers.push(block_header(col, 2026, label, fte));
        }
    }
    headers.extend(["令和99年度決算 一般財源", "決算", "", "予算 人工"].map(String::from));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut rows_seen = 0;
    for _ in 0..3_000 {
        // Mostly with the two required columns first, so the rows themselves get checked.
        let width = 2 + (rng.next() % 14) as usize;
        let mut header: Vec<String> = (0..width).map(|_| rng.pick(&headers).clone()).collect();
        if !rng.next().is_multiple_of(4) {
            header[0] = headers[0].clone();
            header[1] = headers[1].clone();
        }
        let mut sheet = Sheet {
            name: "事務事業評価".into(),
            rows: vec![header],
        };
        for _ in 0..(rng.next() % 6) {
            let cells = (0..width + (rng.next() % 2) as usize)
                .map(|_| rng.pick(CELLS).to_string())
                .collect();
            sheet.rows.push(cells);
        }
        let header_row = (rng.next() % 2) as usize;
        if header_row == 1 {
            // A title row above the header, as cities' sheets have.
            sheet.rows.insert(0, vec!["令和8年度 事務事業評価".into()]);
        }
        let round = rng.next().is_multiple_of(2);
        let options = Options {
            round,
            ..Default::default()
        };
        let parsed = parse(&sheet, header_row, &mapping, options, &l);
        let (rows, problems) = (parsed.rows, parsed.problems);
        for p in &problems {
            assert!(
                (1..=sheet.rows.len()).contains(&p.row),
                "{p:?} in {sheet:?}"
            );
        }
        for r in &rows {
            let _ = computed_total(&l, r);
        }
        let _ = can_apply(&problems, true);
        rows_seen += rows.len();
    }
    assert!(
        rows_seen > 100,
        "the random sheets reach the row checks ({rows_seen} rows)"
    );
    // The largest amount accepted in every cost column is summed; a larger one is out of range.
    let max = crate::evaluation::sheets::MAX_AMOUNT.to_string();
    let mut header = vec![headers[0].clone(), headers[1].clone()];
    let mut cells = vec!["0101".to_string(), "事業".to_string()];
    for col in ["prev_settled", "budget", "settled", "next_budget"] {
        for label in ["一般財源", "国庫支出金"] {
            header.push(block_header(col, 2026, label, false));
            cells.push(max.clone());
        }
    }
    let sheet = Sheet {
        name: "事務事業評価".into(),
        rows: vec![header, cells],
    };
    let parsed = parse(&sheet, 0, &mapping, Options::default(), &l);
    let (rows, problems) = (parsed.rows, parsed.problems);
    assert_eq!(rows[0].costs.len(), 8, "{problems:?}");
    // The total is the year's settled column: two sources.
    assert_eq!(
        computed_total(&l, &rows[0]),
        2 * crate::evaluation::sheets::MAX_AMOUNT
    );
    for (typed, message) in [
        ("1000000001", "eval.amount_range"),
        ("9223372036854775807", "eval.amount_range"),
        ("-5", "eval.amount_range"),
        ("12.5", "eval.import_not_integer"),
        ("たくさん", "eval.import_not_number"),
        ("１，０００", "ok"),
    ] {
        assert_eq!(
            super::lookup::amount(typed, false).err().unwrap_or("ok"),
            message,
            "{typed}"
        );
    }
    // Rounding, when asked: half up, the change reported; a fraction out of range stays refused.
    assert_eq!(super::lookup::amount("12.5", true), Ok((13, 0.5)));
    let (a, change) = super::lookup::amount("１，２３４．４", true).unwrap();
    assert!(a == 1_234 && (change + 0.4).abs() < 1e-9);
    assert_eq!(
        super::lookup::amount("-1.5", true),
        Err("eval.amount_range")
    );
}

/// Staff as cities state it — 人工, 人件費, head-counts, hours — all become staff-years; the sheet's
/// several bases are read on the chosen one only.
#[test]
fn staff_on_every_basis_becomes_staff_years() {
    let codes = vec![
        code(codes::STAFF_CATEGORY, "regular", "正規職員"),
        code(codes::STAFF_CATEGORY, "part_time", "会計年度任用職員"),
    ];
    let units = vec![UnitCost {
        fiscal_year: 2025,
        category: "regular".into(),
        unit_cost: 8_000,
    }];
    let stages = HashMap::new();
    let l = Lookup {
        fiscal_year: 2026,
        departments: &[("110".to_string(), "企画政策課".to_string(), 1)],
        nodes: &[],
        codes: &codes,
        programmes: &[],
        stages: &stages,
        units: &units,
        published: &Default::default(),
        history: &Default::default(),
    };
    let header: Vec<String> = [
        "事業コード",
        "事務事業名",
        "所管課コード",
        "令和8年度決算 人工 正規職員",
        "令和8年度決算 人件費",
        "令和8年度決算 職員数 会計年度任用職員",
        "令和8年度決算 従事時間 正規職員",
    ]
    .map(String::from)
    .to_vec();
    let cells: Vec<String> = ["9001", "事業", "110", "0.5", "6,000", "３", "930"]
        .map(String::from)
        .to_vec();
    let sheet = Sheet {
        name: "x".into(),
        rows: vec![header, cells],
    };
    let read = |staff, head_factor, hours_per_year| {
        let options = Options {
            staff,
            head_factor,
            hours_per_year,
            ..Default::default()
        };
        let p = parse(&sheet, 0, &Mapping::default(), options, &l);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        p.rows[0].staffing.clone()
    };
    use super::lookup::Staff;
    // The first basis the sheet has, when none is chosen.
    assert_eq!(
        read(None, 1.0, 1_860.0),
        [("settled", "regular".to_string(), 0.5)]
    );
    // 6,000千円 at 8,000千円 per staff-year (the 2025 rate still applies in 2026).
    assert_eq!(
        read(Some(Staff::Personnel), 1.0, 1_860.0),
        [("settled", "regular".to_string(), 0.75)]
    );
    assert_eq!(
        read(Some(Staff::Heads), 0.2, 1_860.0),
        [("settled", "part_time".to_string(), 0.6000000000000001)]
    );
    assert_eq!(
        read(Some(Staff::Hours), 1.0, 1_860.0),
        [("settled", "regular".to_string(), 0.5)]
    );
}
