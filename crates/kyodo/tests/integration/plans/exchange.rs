//! Plans in and out of Excel and CSV: an exported workbook imports back unchanged, a sheet with
//! errors imports nothing and lists every problem, a city's own CSV comes in through a column mapping,
//! and the annual report workbook carries the database totals.

use crate::support::*;
use axum::http::StatusCode;
use kyodo::plans::exchange::sheet::{Sheet, read_xlsx};

async fn seed_plan(t: &TestApp) -> i64 {
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM plans WHERE organization_id = $1 AND is_demo = 1")
            .bind(t.demo_org().await)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
    id
}

async fn plan_count(t: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plans")
        .fetch_one(&t.app.db)
        .await
        .unwrap();
    n
}

fn sheet<'a>(sheets: &'a [Sheet], name: &str) -> &'a Sheet {
    sheets
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

#[tokio::test]
async fn an_exported_plan_imports_back_unchanged() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let plan = seed_plan(&t).await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let first = hq.get(&format!("/plans/{plan}/plan.xlsx")).await;
        assert_eq!(first.status, StatusCode::OK);
        let sheets = read_xlsx(&first.bytes).unwrap();
        assert_eq!(sheet(&sheets, "計画").rows.len(), 1 + 48);
        assert!(
            sheet(&sheets, "指標")
                .rows
                .iter()
                .any(|r| r.contains(&"1027".to_string())),
            "the 1,027 target is a number cell"
        );
        let imported = hq
            .post_multipart("/hq/plans/import", &[], ("file", "plan.xlsx", &first.bytes))
            .await;
        assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
        // The import leads to the new plan's editor.
        let new_id: i64 = imported
            .location()
            .strip_prefix("/hq/plans/")
            .and_then(|rest| rest.strip_suffix("/edit"))
            .unwrap()
            .parse()
            .unwrap();
        assert_ne!(new_id, plan);
        // The import is a draft: the public does not see it until it is adopted.
        let mut public = t.client();
        assert_eq!(
            public.get(&format!("/plans/{new_id}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(
            !public
                .get("/api/v1/plans")
                .await
                .body
                .contains(&new_id.to_string())
        );
        let again = hq.get(&format!("/plans/{new_id}/plan.xlsx")).await;
        let sheets_again = read_xlsx(&again.bytes).unwrap();
        assert_eq!(sheets_again, sheets, "every sheet and cell round-trips");
        assert_eq!(
            hq.post(
                &format!("/hq/plans/{new_id}/status"),
                &[("status", "adopted")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            public.get(&format!("/plans/{new_id}")).await.status,
            StatusCode::OK
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_workbook_with_errors_imports_nothing_and_lists_every_problem() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut wb = rust_xlsxwriter::Workbook::new();
        let rows: &[(&str, &[&str])] = &[
            ("概要", &["計画名", "テスト計画"]),
            ("概要", &["開始年度", "令和7年度"]),
            ("概要", &["終了年度", "令和9年度"]),
        ];
        let meta = wb.add_worksheet();
        meta.set_name("概要").unwrap();
        for (r, (_, cells)) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                meta.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        let plan: [&[&str]; 6] = [
            &[
                "番号",
                "親番号",
                "項目名",
                "計画上の番号",
                "現状と課題",
                "取組内容",
                "担当課コード",
                "進行管理",
                "令和7年度",
                "令和8年度",
                "平成20年度",
            ],
            &["1", "", "視点1", "", "", "", "", "", "", "", ""],
            &[
                "1-1", "1", "取組A", "", "", "", "110", "○", "検討", "実施", "",
            ],
            &[
                "1-1",
                "1",
                "",
                "",
                "",
                "",
                "999",
                "たぶん",
                "やるかも",
                "",
                "",
            ],
            &[
                "1-2",
                "9",
                "取組C",
                "",
                "",
                "",
                "110、120",
                "○",
                "",
                "継続",
                "",
            ],
            &["", "", "", "", "", "", "", "", "", "", ""],
        ];
        let ws = wb.add_worksheet();
        ws.set_name("計画").unwrap();
        for (r, cells) in plan.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        let eff = wb.add_worksheet();
        eff.set_name("財政効果").unwrap();
        for (c, h) in [
            "番号",
            "年度",
            "区分",
            "会計",
            "計画額(千円)",
            "実績額(千円)",
            "継続",
        ]
        .iter()
        .enumerate()
        {
            eff.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in ["1-1", "令和8年度", "歳出削減", "一般会計", "1.5万", "", "○"]
            .iter()
            .enumerate()
        {
            eff.write_string(1, c as u16, *v).unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        let before = plan_count(&t).await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post_multipart("/hq/plans/import", &[], ("file", "errors.xlsx", &bytes))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(plan_count(&t).await, before, "nothing imported");
        let b = &res.body;
        for expected in [
            "K(平成20年度)",          // a year outside the plan period, reported at its header
            "同じ番号が既にあります", // row 4: duplicate number
            "C(項目名)",              // row 4: missing title
            "この担当課コードは登録されていません",
            "○または空欄で入力してください",
            "年次計画の語がコードリストにありません",
            "親番号が、それより上の行にありません", // row 5: unknown parent
            "E(計画額(千円))",                      // the effect amount
            "金額は整数で入力してください",
        ] {
            assert!(b.contains(expected), "missing {expected} in:\n{b}");
        }
        assert_eq!(b.matches("<tr><td>").count(), 8, "one row per problem");
        t
    })
    .await;
}

#[tokio::test]
async fn a_citys_own_csv_in_shift_jis_comes_in_through_a_column_mapping() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let csv = "No.,上位No.,取組名,所管課,対象,H27,H28\r\n1,,行財政改革,,,,\r\n1-1,1,窓口改革,400,○,検討,実施\r\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(csv);
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let mapping = [
            ("title", "第6次行財政改革大綱 実施計画"),
            ("first_year", "平成27年度"),
            ("last_year", "H28"),
            ("map_number", "No."),
            ("map_parent", "上位No."),
            ("map_title", "取組名"),
            ("map_seed_ref", ""),
            ("map_issues", ""),
            ("map_body", ""),
            ("map_departments", "所管課"),
            ("map_trackable", "対象"),
        ];
        // Without the mapping the city's headers are not found.
        let unmapped = hq.post_multipart("/hq/plans/import", &mapping[..3], ("file", "plan.csv", &sjis)).await;
        assert_eq!(unmapped.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unmapped.body.contains("この見出しの列が見つかりません"));
        let res = hq.post_multipart("/hq/plans/import", &mapping, ("file", "plan.csv", &sjis)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (plan, first, last): (i64, i64, i64) = sqlx::query_as("SELECT id, first_year, last_year FROM plans WHERE title = '第6次行財政改革大綱 実施計画'").fetch_one(&t.app.db).await.unwrap();
        assert_eq!((first, last), (2015, 2016));
        let steps: Vec<(i64, String)> = sqlx::query_as("SELECT s.fiscal_year, s.step FROM plan_schedule s JOIN plan_nodes n ON n.id = s.node_id WHERE n.plan_id = $1 ORDER BY s.fiscal_year").bind(plan).fetch_all(&t.app.db).await.unwrap();
        assert_eq!(steps, vec![(2015, "study".to_string()), (2016, "implement".to_string())]);
        let (periods,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reporting_periods WHERE plan_id = $1").bind(plan).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(periods, 2, "one reporting period per year");
        // Staff cannot import.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(staff.post_multipart("/hq/plans/import", &mapping, ("file", "plan.csv", &sjis)).await.status, StatusCode::FORBIDDEN);
        t
    })
    .await;
}

#[tokio::test]
async fn the_annual_report_workbook_carries_the_database_totals() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let plan = seed_plan(&t).await;
        let res = t.client().get(&format!("/plans/{plan}/annual-report.xlsx?year=2009")).await;
        assert_eq!(res.status, StatusCode::OK);
        let sheets = read_xlsx(&res.bytes).unwrap();
        let items = sheet(&sheets, "進捗状況");
        assert_eq!(items.rows.len(), 1 + 37);
        assert!(items.rows.iter().any(|r| r[1] == "職員数と給与等の適正化" && r[5].contains("平成21年度")));
        let totals = sheet(&sheets, "財政効果額");
        let total_row = totals.rows.iter().find(|r| r[0] == "合計").unwrap();
        // Computed independently in SQL: a recurring effect counts in its year and every later year.
        let (single, continuing): (i64, i64) = sqlx::query_as(
            "SELECT CAST(SUM(e.planned) AS BIGINT), CAST(SUM(e.planned * CASE WHEN e.recurring = 1 THEN p.last_year - e.fiscal_year + 1 ELSE 1 END) AS BIGINT) \
             FROM fiscal_effects e JOIN plan_nodes n ON n.id = e.node_id JOIN plans p ON p.id = n.plan_id WHERE p.id = $1",
        )
        .bind(plan)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(total_row[1], single.to_string());
        assert_eq!(total_row[3], continuing.to_string());
        let (actual,): (i64,) = sqlx::query_as("SELECT CAST(SUM(e.actual) AS BIGINT) FROM fiscal_effects e JOIN plan_nodes n ON n.id = e.node_id WHERE n.plan_id = $1")
            .bind(plan)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(total_row[2], actual.to_string());
        t
    })
    .await;
}

#[tokio::test]
async fn the_annual_report_pdf_contains_the_item_titles() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let plan = seed_plan(&t).await;
        let res = t
            .client()
            .get(&format!("/plans/{plan}/annual-report.pdf?year=2008"))
            .await;
        if !std::path::Path::new(kyodo::config::DEFAULT_PDF_FONT).exists() {
            assert_eq!(
                res.status,
                StatusCode::SERVICE_UNAVAILABLE,
                "no font: a clear 503"
            );
            assert!(
                std::env::var("KYODO_TEST_REQUIRE_BROWSER").is_err(),
                "CI installs fonts-ipaexfont"
            );
            return t;
        }
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.headers["content-type"], "application/pdf");
        assert!(res.bytes.starts_with(b"%PDF-"));
        let path = t.data_dir.join("report.pdf");
        std::fs::write(&path, &res.bytes).unwrap();
        match std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
        {
            Ok(out) => {
                // pdftotext keeps the words; line breaks may split long titles, so compare without spaces.
                let text: String = String::from_utf8_lossy(&out.stdout)
                    .split_whitespace()
                    .collect();
                for title in [
                    "第2次行政システム改革プラン",
                    "進捗状況報告書",
                    "自治基本条例の検討",
                    "職員数と給与等の適正化",
                    "人材育成の推進",
                    "デモンストレーション用のデータ",
                ] {
                    assert!(text.contains(title), "{title} missing from the PDF text");
                }
            }
            Err(_) => assert!(
                std::env::var("KYODO_TEST_REQUIRE_BROWSER").is_err(),
                "CI installs poppler-utils for pdftotext"
            ),
        }
        assert_eq!(
            t.client()
                .get(&format!("/plans/{plan}/annual-report.pdf?year=1990"))
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        t
    })
    .await;
}
