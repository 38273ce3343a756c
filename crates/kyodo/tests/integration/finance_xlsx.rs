//! A 予算書 as a workbook, not its CSV: a merged title, 千円 in a title row, 歳入歳出 and 款 merged
//! down their rows, 「金額」 merged over 「本年度」「前年度」 in a second header row, numbers as number
//! cells and as full-width text. Read as the rows above say, through the import page, on both
//! databases; the same workbook with a 款 that is not the sum of its 項 imports nothing.

use crate::support::*;
use axum::http::StatusCode;
use rust_xlsxwriter::{Format, Workbook};

/// The workbook; `tax_total` is the 市税 款計 row's amount (1,000 balances it).
fn workbook(tax_total: f64) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let merged = Format::new();
    ws.merge_range(0, 0, 0, 7, "令和元年度 一般会計 当初予算書", &merged)
        .unwrap();
    ws.write(1, 0, "（単位：千円）").unwrap();
    for (c, h) in ["年度", "会計", "予算区分", "歳入歳出", "款", "項"]
        .iter()
        .enumerate()
    {
        ws.write(2, c as u16, *h).unwrap();
    }
    ws.merge_range(2, 6, 2, 7, "金額", &merged).unwrap();
    ws.write(3, 6, "本年度").unwrap();
    ws.write(3, 7, "前年度").unwrap();
    // (項, this year, last year) from row 4 on.
    let rows: [(&str, Option<f64>, Option<&str>, f64); 6] = [
        ("", Some(tax_total), None, 900.0),
        ("市民税", Some(600.0), None, 500.0),
        ("固定資産税", Some(400.0), None, 400.0),
        ("社会福祉費", None, Some("７００"), 600.0),
        ("児童福祉費", Some(200.0), None, 200.0),
        ("総務管理費", Some(100.0), None, 100.0),
    ];
    for (i, (kou, amount, text, last)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write(r, 0, "R1").unwrap();
        ws.write(r, 1, "一般会計").unwrap();
        ws.write(r, 2, "当初").unwrap();
        if !kou.is_empty() {
            ws.write(r, 5, *kou).unwrap();
        }
        match (amount, text) {
            (Some(a), _) => ws.write(r, 6, *a).unwrap(),
            (None, Some(t)) => ws.write(r, 6, *t).unwrap(),
            _ => unreachable!(),
        };
        ws.write(r, 7, *last).unwrap();
    }
    ws.merge_range(4, 3, 6, 3, "歳入", &merged).unwrap();
    ws.merge_range(4, 4, 6, 4, "市税", &merged).unwrap();
    ws.merge_range(7, 3, 9, 3, "歳出", &merged).unwrap();
    ws.merge_range(7, 4, 8, 4, "民生費", &merged).unwrap();
    ws.write(9, 4, "総務費").unwrap();
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_budget_workbook_with_merged_cells_imports_as_its_rows_read() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let edition = || {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT id FROM fin_editions WHERE organization_id = $1 AND account = '一般会計' AND fiscal_year = 2019",
                )
                .bind(org)
                .fetch_optional(&db)
                .await
                .unwrap()
            }
        };
        assert_eq!(edition().await, None);
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post_multipart("/hq/finance/import", &[], ("file", "yosan.xlsx", &workbook(1100.0)))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(
            res.body.contains("内訳の合計と一致しません") && res.body.contains("市税"),
            "the 款 named: {}",
            res.body
        );
        assert_eq!(edition().await, None, "nothing imported");

        let res = hq
            .post_multipart("/hq/finance/import", &[], ("file", "yosan.xlsx", &workbook(1000.0)))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id = edition().await.expect("imported");
        let lines = kyodo::finance::store::lines(&t.app.db, org, id).await.unwrap();
        let got: Vec<(&str, &str, &str, i64)> = lines
            .iter()
            .map(|l| (l.0.as_str(), l.1.as_str(), l.2.as_str(), l.6))
            .collect();
        assert_eq!(
            got,
            [
                ("revenue", "市税", "市民税", 600_000),
                ("revenue", "市税", "固定資産税", 400_000),
                ("expenditure", "民生費", "社会福祉費", 700_000),
                ("expenditure", "民生費", "児童福祉費", 200_000),
                ("expenditure", "総務費", "総務管理費", 100_000),
            ],
            "merged cells read as the row above, 本年度 taken, 千円 in 円"
        );
        t
    })
    .await;
}
