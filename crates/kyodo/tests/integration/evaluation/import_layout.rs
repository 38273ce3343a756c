//! A city's workbook as it really comes, imported by the HQ from the import page alone: a title
//! row above the header, 215 columns (staff names and phones among them, never mapped), its own
//! headers, departments by name (one not registered yet), 施策 names with spelling variants,
//! directions as 「１　現状維持」, methods as 「1 直営」, staff as head-counts, a fractional 千円
//! amount, an ID 0, a code whose name clashes with the registered one, and six year blocks (two
//! earlier years that fill the programmes' earlier sheets, and a 決算見込). The totals per year
//! after the import equal the workbook's.

use crate::support::*;
use axum::http::StatusCode;
use rust_xlsxwriter::Workbook;

const PROGRAMMES: usize = 120;
const POLICIES: [&str; 4] = [
    "１－１　市民協働の推進",
    "市民 協働の推進",
    "2-1行政改革の推進",
    "行政の情報化",
];
const DIRECTIONS: [&str; 3] = ["１　現状維持", "２　改善", "３　拡充"];
/// The city's headers of the fixed fields, as the officer maps them.
const MAPPED: [(&str, &str); 10] = [
    ("map_code", "事業ID"),
    ("map_name", "事業名称"),
    ("map_department", "担当課"),
    ("map_policy", "施策名"),
    ("map_method", "実施手法"),
    ("map_direction", "今後の方向性"),
    ("map_reason", "方向性の理由"),
    ("map_first_year", "事業開始"),
    ("map_total", "総事業費(千円)"),
    ("map_policy_area", "政策名"),
];

struct Book {
    bytes: Vec<u8>,
    /// (fiscal year, settled?) → total in 千円, as the workbook's parts add up (rounded).
    totals: std::collections::BTreeMap<(i64, bool), i64>,
    /// The same for the new programmes only (every row but the ID 0 and the clashing code).
    new_totals: std::collections::BTreeMap<(i64, bool), i64>,
}

/// Earlier years: they go to the sheets of 2023 and 2024, not to this year's.
const HISTORY: [i64; 2] = [2023, 2024];

fn city_workbook(departments: &[(String, String)], clash: (&str, &str)) -> Book {
    let mut header: Vec<String> = [
        "事業ID",
        "事業名称",
        "担当者名",
        "電話番号",
        "担当課",
        "施策名",
        "実施手法",
        "今後の方向性",
        "方向性の理由",
        "事業開始",
        "総事業費(千円)",
    ]
    .map(String::from)
    .to_vec();
    let blocks = [
        ("令和5年度決算", 2023, true),
        ("令和6年度決算", 2024, true),
        ("令和7年度決算", 2025, true),
        ("令和8年度予算", 2026, false),
        ("令和8年度決算見込", 2026, true),
        ("令和9年度予算", 2027, false),
    ];
    for (b, _, _) in blocks {
        header.push(format!("{b} 一般財源"));
        header.push(format!("{b} 国庫支出金"));
        // Staff as head-counts; the officer gives 0.25 人工 per person.
        header.push(format!("{b} 職員数 正規職員"));
    }
    for i in 1..=192 {
        header.push(format!("備考{i}"));
    }
    // The 政策 column, far to the right.
    header.push("政策名".into());
    let area_col = header.len() as u16 - 1;
    assert!(header.len() > 210);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("R8評価シート").unwrap();
    ws.write_string(
        0,
        0,
        "令和8年度 事務事業評価シート一覧(会津若松市 行政改革推進課)",
    )
    .unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, h).unwrap();
    }
    let mut totals = std::collections::BTreeMap::new();
    let mut new_totals = std::collections::BTreeMap::new();
    for i in 0..PROGRAMMES {
        let r = i as u32 + 2;
        let code = match i {
            7 => "0".to_string(),
            9 => clash.0.to_string(),
            _ => format!("9{i:03}"),
        };
        ws.write_string(r, 0, &code).unwrap();
        ws.write_string(
            r,
            1,
            &if i == 9 {
                format!("{}(新)", clash.1)
            } else {
                format!("事業{i:03}")
            },
        )
        .unwrap();
        ws.write_string(r, 2, "会津 花子").unwrap();
        ws.write_string(r, 3, "0242-39-1234").unwrap();
        // One division the organization has not registered yet.
        let department = if i == 30 {
            "新設推進課"
        } else {
            &departments[i % departments.len()].1
        };
        ws.write_string(r, 4, department).unwrap();
        // A 施策 the comprehensive plan does not have yet, with its 政策.
        if i % 10 == 5 {
            ws.write_string(r, 5, "３－５　新しい公共の推進").unwrap();
            ws.write_string(r, area_col, "３　協働のまちづくり")
                .unwrap();
        } else {
            ws.write_string(r, 5, POLICIES[i % POLICIES.len()]).unwrap();
        }
        ws.write_string(r, 6, if i % 2 == 0 { "1 直営" } else { "2 委託" })
            .unwrap();
        ws.write_string(r, 7, DIRECTIONS[i % DIRECTIONS.len()])
            .unwrap();
        ws.write_string(r, 8, "成果と費用から判断").unwrap();
        ws.write_string(r, 9, "平成20年度").unwrap();
        let general = 1_000.0 + i as f64 * 13.0;
        let national = (i % 3) as f64 * 100.0;
        let heads = 2.0;
        for (b, (_, year, settled)) in blocks.iter().enumerate() {
            let c = 11 + b as u16 * 3;
            // One fractional 千円 amount in the whole sheet.
            let general = general + if i == 20 && b == 0 { 0.5 } else { 0.0 };
            ws.write_number(r, c, general).unwrap();
            ws.write_number(r, c + 1, national).unwrap();
            ws.write_number(r, c + 2, heads).unwrap();
            if i != 7 {
                // 2 people × 0.25 人工 × 8,400 千円 (the demo's rate from 2025, 8,200 before);
                // 0.5 rounds half up.
                let personnel = if *year >= 2025 { 4_200 } else { 4_100 };
                let total = (general + 0.5).floor() as i64 + national as i64 + personnel;
                *totals.entry((*year, *settled)).or_insert(0) += total;
                if i != 9 {
                    *new_totals.entry((*year, *settled)).or_insert(0) += total;
                }
            }
        }
        ws.write_number(r, 10, general + national + 4_200.0)
            .unwrap();
    }
    Book {
        bytes: wb.save_to_buffer().unwrap(),
        totals,
        new_totals,
    }
}

/// The earlier years' cost entries of a programme, as registered.
async fn registered(t: &TestApp, org: i64, code: &str) -> Vec<(i64, String, i64)> {
    sqlx::query_as(
        "SELECT c.fiscal_year, e.col, e.amount FROM eval_costs e JOIN eval_sheets s ON s.organization_id = e.organization_id AND s.id = e.sheet_id \
         JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id JOIN programmes p ON p.organization_id = s.organization_id AND p.id = s.programme_id \
         WHERE e.organization_id = $1 AND p.code = $2 AND c.fiscal_year < 2025 ORDER BY 1, 2, e.source",
    )
    .bind(org)
    .bind(code)
    .fetch_all(&t.app.db)
    .await
    .unwrap()
}

fn fields<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = MAPPED.to_vec();
    f.extend_from_slice(extra);
    f
}

#[tokio::test]
async fn a_real_citys_workbook_goes_in_from_the_import_page_alone() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let departments: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM departments WHERE organization_id = $1 ORDER BY code")
            .bind(org)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        let clash: (String, String) = sqlx::query_as("SELECT code, name FROM programmes WHERE organization_id = $1 ORDER BY code LIMIT 1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let book = city_workbook(&departments, (&clash.0, &clash.1));
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq.post("/hq/evaluation/cycles", &[("fiscal_year", "2026")]).await;
        let cycle: i64 = res.location().rsplit('/').next().unwrap().parse().unwrap();

        // Upload once: the sheet and its header row (row 2, under the title) are found.
        let upload = hq
            .post_multipart(&format!("/hq/evaluation/cycles/{cycle}/import"), &[], ("file", "R8評価.xlsx", &book.bytes))
            .await;
        assert_eq!(upload.status, StatusCode::SEE_OTHER, "{}", upload.body);
        let review = upload.location().to_string();
        let page = hq.get(&review).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("シート「R8評価シート」の2行目を見出しとして読みました"), "{}", page.body);
        assert!(page.body.contains("令和7年度(2025年度) 決算 一般財源"), "the year blocks are read");
        assert!(page.body.contains("令和5年度(2023年度) 決算 一般財源(過去の年度: 令和5年度(2023年度)のシートへ)"), "earlier years go to their own sheets");
        assert!(page.body.contains("<option value=\"事業ID\">A 事業ID</option>"), "the mapping offers the sheet's own headers");

        // The officer maps the city's headers: the directions need translating, one amount is
        // fractional, one ID is 0 and one name clashes.
        let checking = fields(&[("action", "check")]);
        let res = hq.post(&review, &checking).await;
        assert_eq!(res.status, StatusCode::OK, "a check is not a refusal");
        for text in ["この値を区分に読み替えられません", "千円単位の整数", "事業コードとして使えません", "登録済みの事業名と異なります"] {
            assert!(res.body.contains(text), "{text}");
        }
        assert!(res.body.contains("name=\"tw_direction_0\" value=\"１　現状維持\""), "the translation table lists the city's words");
        assert!(!res.body.contains("実施手法の値を"), "「1 直営」 reads without translating");
        // The division the sheet names but the organization lacks is registered from the page.
        assert!(res.body.contains("登録されていない課") && res.body.contains("name=\"nd_0\" value=\"新設推進課\""));
        let res = hq.post(&review, &fields(&[("action", "add_departments"), ("nd_0", "新設推進課")])).await;
        assert!(!res.body.contains("この課(コードまたは名称)が登録されている組織にありません"), "{}", res.body);
        // The 施策 the plan lacks is added with its 政策 from the page.
        assert!(res.body.contains("総合計画にない施策") && res.body.contains("name=\"np_0_m\" value=\"３－５　新しい公共の推進\""));
        let res = hq
            .post(&review, &fields(&[("action", "add_policies"), ("np_0_a", "３　協働のまちづくり"), ("np_0_m", "３－５　新しい公共の推進")]))
            .await;
        assert!(!res.body.contains("<td>３－５　新しい公共の推進</td>"), "the 施策 now matches");

        // Translate, round, accept the flags, apply.
        let directions: Vec<(String, String)> = DIRECTIONS
            .iter()
            .enumerate()
            .flat_map(|(n, w)| {
                let code = ["continue", "improve", "expand"][n];
                [(format!("tw_direction_{n}"), w.to_string()), (format!("tc_direction_{n}"), code.to_string())]
            })
            .collect();
        let mut all: Vec<(&str, &str)> = fields(&[("round", "1"), ("head_factor", "0.25")]);
        all.extend(directions.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let mut check = all.clone();
        check.push(("action", "check"));
        let res = hq.post(&review, &check).await;
        assert!(res.body.contains("1個のセルを四捨五入します"), "the rounding is shown before import");
        assert!(res.body.contains("誤り 0 件"), "only flags remain");
        for ((year, settled), total) in &book.totals {
            // The clashing code's earlier sheets keep their registered figures.
            let total = if HISTORY.contains(year) { &book.new_totals[&(*year, *settled)] } else { total };
            let kind = if *settled { "決算" } else { "予算" };
            let label = kyodo_jp::FiscalYear(*year as i32).label_ja();
            let row = format!("{label}</th><td>{kind}</td><td class=\"num\">{}</td>", grouped(*total));
            assert!(res.body.contains(&row), "preview total {year} {kind} {total}");
        }
        assert!(res.body.contains("過去の年度のシートに登録済みの額(右)と異なります"), "the clash's registered history is flagged, not overwritten");
        for year in HISTORY {
            let label = kyodo_jp::FiscalYear(year as i32).label_ja();
            let row = format!("<th scope=\"row\">{label}</th><td class=\"num\">{}</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">1</td>", PROGRAMMES - 2);
            assert!(res.body.contains(&row), "history preview {year}: {}", res.body);
        }
        let before = registered(&t, org, &clash.0).await;
        assert!(!before.is_empty());
        all.extend([("accept_flagged", "1"), ("action", "apply")]);
        let res = hq.post(&review, &all).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let report = hq.get(res.location()).await;
        let imported = PROGRAMMES - 1;
        assert!(report.body.contains(&format!("{imported}事業を取り込みました(新規 {}、更新 1)", imported - 1)), "{}", report.body);
        let csv = hq.get(&format!("{review}/report.csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(demo_csv(&csv).lines().count(), imported + 1);

        // Totals per year equal the workbook's; nothing personal was read; the clash kept its name.
        let y = kyodo::evaluation::year::YearData::load(&t.app.db, org, kyodo::evaluation::store::cycle(&t.app.db, org, cycle).await.unwrap().unwrap(), false)
            .await
            .unwrap();
        let mut got = std::collections::BTreeMap::new();
        for s in &y.data.sheets {
            for c in y.columns(s) {
                let entered = !y.data.costs_of(s.id).iter().all(|x| x.col != c.col);
                if entered {
                    *got.entry((c.year, matches!(c.col, "settled" | "prev_settled"))).or_insert(0) += c.total;
                }
            }
        }
        let current: std::collections::BTreeMap<(i64, bool), i64> = book.totals.iter().filter(|((y, _), _)| !HISTORY.contains(y)).map(|(k, v)| (*k, *v)).collect();
        assert_eq!(got, current);
        // Earlier years: the new programmes' sheets were created as decided, with the workbook's
        // figures; the clashing code's registered figures are untouched.
        for year in HISTORY {
            let cycle: i64 = sqlx::query_scalar("SELECT id FROM eval_cycles WHERE organization_id = $1 AND fiscal_year = $2").bind(org).bind(year).fetch_one(&t.app.db).await.unwrap();
            let y = kyodo::evaluation::year::YearData::load(&t.app.db, org, kyodo::evaluation::store::cycle(&t.app.db, org, cycle).await.unwrap().unwrap(), false)
                .await
                .unwrap();
            let new_ids: std::collections::HashSet<i64> = sqlx::query_scalar("SELECT id FROM programmes WHERE organization_id = $1 AND code LIKE '9%'").bind(org).fetch_all(&t.app.db).await.unwrap().into_iter().collect();
            let mut total = 0;
            for s in y.data.sheets.iter().filter(|s| new_ids.contains(&s.programme_id)) {
                assert_eq!(s.stage, kyodo::evaluation::stage::Stage::Final, "a history sheet is decided");
                total += y.columns(s).iter().find(|c| c.col == "settled").unwrap().total;
            }
            assert_eq!(total, book.new_totals[&(year, true)], "history {year}");
        }
        assert_eq!(registered(&t, org, &clash.0).await, before);
        let zero: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM programmes WHERE organization_id = $1 AND code = '0'").bind(org).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(zero, 0);
        let name: String = sqlx::query_scalar("SELECT name FROM programmes WHERE organization_id = $1 AND code = $2").bind(org).bind(&clash.0).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(name, clash.1);
        let (first, dept): (i64, String) = sqlx::query_as("SELECT p.first_year, d.name FROM programmes p JOIN departments d ON d.organization_id = p.organization_id AND d.id = p.department_id WHERE p.organization_id = $1 AND p.code = '9001'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!((first, dept.as_str()), (2008, departments[1].1.as_str()), "事業期間 and the department by name");
        let (measure, area): (String, String) = sqlx::query_as(
            "SELECT m.number || ' ' || m.title, a.title FROM programmes p JOIN policy_nodes m ON m.organization_id = p.organization_id AND m.id = p.policy_node_id \
             JOIN policy_nodes a ON a.organization_id = m.organization_id AND a.id = m.parent_id WHERE p.organization_id = $1 AND p.code = '9005'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!((measure.as_str(), area.as_str()), ("3-5 新しい公共の推進", "協働のまちづくり"), "the plan's tree grew from the sheet");
        // The published year 2023 shows the new programme's history on its public page.
        let id: i64 = sqlx::query_scalar("SELECT id FROM programmes WHERE organization_id = $1 AND code = '9001'").bind(org).fetch_one(&t.app.db).await.unwrap();
        let public = t.client().get(&format!("/evaluation/programmes/{id}")).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(public.body.contains(&grouped(1_013 + 100 + 4_100)), "2023's settled total on the public page");
        let leaked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM eval_sheets WHERE organization_id = $1 AND (contact_name LIKE '%花子%' OR contact_phone LIKE '%1234%')").bind(org).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(leaked, 0, "unmapped personal columns are never read");
        // Next year the mapping and the translations are already there.
        let again = hq
            .post_multipart(&format!("/hq/evaluation/cycles/{cycle}/import"), &[], ("file", "R8評価.xlsx", &book.bytes))
            .await;
        let page = hq.get(again.location()).await;
        assert!(page.body.contains("<option value=\"事業ID\" selected>A 事業ID</option>"));
        assert!(!page.body.contains("この値を区分に読み替えられません"));
        t
    })
    .await;
}
