//! 予算・決算 on both databases: the demo's budget by purpose and nature and "where my taxes go"
//! on the public page; a budget file as a city has it (title rows, 千円, full-width digits, △,
//! 款計 rows) imported by the HQ; a 款 that is not the sum of its 項 refused by line with nothing
//! imported; a re-import replacing; each organization seeing only its own. 財務書類: the demo's
//! four statements with every identity holding and 一人当たり figures; an import that breaks a
//! total and an identity refused by line; the population recorded; a re-import replacing.

use crate::support::*;
use axum::http::StatusCode;

fn with_commas(v: i64) -> String {
    let digits = v.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// A 国民健康保険特別会計 budget as a city's 予算書 CSV: title and unit rows, 款計 rows, full-width
/// digits with commas, a △ line; `tax_total` is the 款計 of 保険税 (3,000 when consistent).
fn city_file(tax_total: &str) -> Vec<u8> {
    format!(
        "令和7年度 国民健康保険特別会計 当初予算書,,,,,,,\n\
         （単位：千円）,,,,,,,\n\
         年度,会計,予算区分,歳入歳出,款,項,性質,金額\n\
         令和7年度,国民健康保険特別会計,当初,歳入,保険税,,,{tax_total}\n\
         令和7年度,国民健康保険特別会計,当初,歳入,保険税,一般被保険者保険税,,\"２，５００\"\n\
         令和7年度,国民健康保険特別会計,当初,歳入,保険税,退職被保険者等保険税,,500\n\
         令和7年度,国民健康保険特別会計,当初,歳入,繰入金,一般会計繰入金,,1200\n\
         令和7年度,国民健康保険特別会計,当初,歳入,諸収入,雑入,,△200\n\
         ,,,,,,,\n\
         令和7年度,国民健康保険特別会計,当初,歳出,保険給付費,療養諸費,扶助費,3500\n\
         令和7年度,国民健康保険特別会計,当初,歳出,総務費,総務管理費,人件費,500\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn budgets_are_shown_imported_checked_and_kept_per_organization() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut guest = t.client();
        let page = guest.get("/finance").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("民生費") && page.body.contains("扶助費") && page.body.contains("<svg"), "{}", page.body);
        assert!(page.body.contains("デモデータ"), "demonstration data says so");
        // Year on year: the 令和5年度 決算 beside the 令和6年度 one, and each 款's change.
        assert!(page.body.contains("令和5年度(2023年度) 一般会計 決算(千円)"), "{}", page.body);
        let row = page.body.split("<tr>").find(|r| r.starts_with("<th scope=\"row\">民生費</th>")).unwrap().to_string();
        assert!(row.contains("%</td>") && (row.contains(">+") || row.contains(">-")), "{row}");

        // Where my taxes go: each 款's share of 100,000 yen, as the database sums it.
        let edition: i64 = sqlx::query_scalar("SELECT id FROM fin_editions WHERE organization_id = $1 AND fiscal_year = 2024 AND edition = '決算'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let lines = kyodo::finance::store::lines(&t.app.db, org, edition).await.unwrap();
        let spent: i64 = lines.iter().filter(|l| l.0 == "expenditure").map(|l| l.6).sum();
        let welfare: i64 = lines.iter().filter(|l| l.0 == "expenditure" && l.1 == "民生費").map(|l| l.6).sum();
        let page = guest.get(&format!("/finance?edition={edition}&tax=100000")).await;
        let row = page.body.split("<tr>").find(|r| r.contains("民生費") && !r.contains('%')).unwrap().to_string();
        assert!(row.contains(&with_commas(welfare * 100_000 / spent)), "{row}");
        let bad = guest.get("/finance?tax=abc").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"e-tax\""));

        // A 款 that is not the sum of its 項: refused by line, nothing imported.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM fin_editions WHERE organization_id = $1")
                .bind(org)
                .fetch_one(&t.app.db)
                .await
                .unwrap()
        };
        let before = count().await;
        let res = hq.post_multipart("/hq/finance/import", &[], ("file", "yosan.csv", &city_file("3100"))).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let row = res.body.split("<tr>").find(|r| r.contains("保険税")).unwrap_or_default().to_string();
        assert!(row.contains("<td class=\"num\">4</td>") && row.contains("3100000"), "the 款 by line: {}", res.body);
        assert_eq!(count().await, before, "nothing imported");

        // As published: title rows, 千円, full-width digits, △, 款計 rows, a blank row.
        let res = hq.post_multipart("/hq/finance/import", &[], ("file", "yosan.csv", &city_file("\"３，０００\""))).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(count().await, before + 1);
        let id: i64 = sqlx::query_scalar("SELECT id FROM fin_editions WHERE organization_id = $1 AND account = '国民健康保険特別会計' AND fiscal_year = 2025")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let stored = kyodo::finance::store::lines(&t.app.db, org, id).await.unwrap();
        let lines = stored.len();
        let revenue: i64 = stored.iter().filter(|l| l.0 == "revenue").map(|l| l.6).sum();
        assert_eq!((lines, revenue), (6, 4_000_000_000 / 1000), "lines only (no 款計), in 円, △ negative");
        let page = guest.get(&format!("/finance?edition={id}")).await;
        assert!(page.body.contains("保険給付費") && page.body.contains("国民健康保険特別会計"), "a write shows at once");
        let csv = guest.get(&format!("/finance/editions/{id}/lines.csv")).await;
        assert!(csv.body.contains("金額(円)") && csv.body.contains("-200000"), "{}", csv.body);

        // The same edition again replaces it.
        let again = String::from_utf8(city_file("\"３，０００\"")).unwrap().replace("3500", "3000").replace(",1200", ",700");
        let res = hq.post_multipart("/hq/finance/import", &[], ("file", "yosan.csv", again.as_bytes())).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(count().await, before + 1, "replaced, not added");

        // The catalogue lists every edition; another organization has none of them.
        let list = guest.get("/api/3/action/package_list").await;
        assert_eq!(list.body.matches("budget-").count(), 5, "{}", list.body);
        let mut foreign = t.foreign_client();
        let none = foreign.get("/finance").await;
        assert!(none.status == StatusCode::OK && none.body.contains("まだ公表していません") && !none.body.contains("民生費"), "{}", none.body);
        assert_eq!(foreign.get(&format!("/finance/editions/{edition}/lines.csv")).await.status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

/// The CSV export with one cell changed: (line name, column index, new value), and the year.
fn edited(csv: &str, year: &str, edit: Option<(&str, usize, &str)>) -> Vec<u8> {
    let mut out = String::new();
    for line in csv.trim_start_matches('\u{feff}').lines() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if cells.len() == 9 && cells[0] == "2023" {
            cells[0] = year.to_string();
            if let Some((name, col, value)) = edit
                && cells[5] == name
            {
                cells[col] = value.to_string();
            }
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

#[tokio::test]
async fn statements_are_shown_checked_across_and_imported_all_or_nothing() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut guest = t.client();
        let page = guest.get("/finance/statements").await;
        assert_eq!(page.status, StatusCode::OK);
        for text in ["貸借対照表", "行政コスト計算書", "純資産変動計算書", "資金収支計算書", "現金預金", "デモデータ", "一人当たり"] {
            assert!(page.body.contains(text), "{text}: {}", page.body);
        }
        assert_eq!(page.body.matches("<td>一致</td>").count(), 8, "every identity holds: {}", page.body);
        assert!(!page.body.contains("不一致"));
        // 一人当たり from the recorded population: 資産合計 ÷ 116,254 people.
        let assets: i64 = sqlx::query_scalar(
            "SELECT amount FROM fin_statement_lines WHERE organization_id = $1 AND statement = 'BS' AND name = '資産合計'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert!(page.body.contains(&with_commas(assets / 116_254)), "per resident");
        let set: i64 = sqlx::query_scalar("SELECT id FROM fin_statement_sets WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let csv = guest.get(&format!("/finance/statements/{set}/lines.csv")).await;
        assert!(csv.body.contains("fiscal_year,scope,statement") && csv.body.contains(",現金預金,合計,"), "{}", csv.body);

        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM fin_statement_sets WHERE organization_id = $1")
                .bind(org)
                .fetch_one(&t.app.db)
                .await
                .unwrap()
        };
        // 現金預金 changed: the total above it and the CF identity fail, by line; nothing imported.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let broken = edited(&csv.body, "2024", Some(("現金預金", 7, "1")));
        let res = hq.post_multipart("/hq/finance/statements/import", &[], ("file", "fs.csv", &broken)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("流動資産") && res.body.contains("貸借対照表の現金預金"), "{}", res.body);
        assert_eq!(count().await, 1, "nothing imported");

        // The same statements for 令和6年度: imported; no population yet, so no per-resident column.
        let good = edited(&csv.body, "令和6年度", None);
        let res = hq.post_multipart("/hq/finance/statements/import", &[], ("file", "fs.csv", &good)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(count().await, 2);
        let new: i64 = sqlx::query_scalar("SELECT id FROM fin_statement_sets WHERE organization_id = $1 AND fiscal_year = 2024")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let page = guest.get(&format!("/finance/statements?set={new}")).await;
        assert!(page.body.contains("人口が登録されていない") && !page.body.contains("一人当たり(円)"), "{}", page.body);

        // The population, refused beside the field, then recorded: the page shows per resident.
        let bad = hq.post("/hq/finance/population", &[("year", "令和6"), ("population", "abc")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"e-population\"") && !bad.body.contains("id=\"e-year\""));
        let ok = hq.post("/hq/finance/population", &[("year", "令和6"), ("population", "１２０,０００")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = guest.get(&format!("/finance/statements?set={new}")).await;
        assert!(page.body.contains("一人当たり(円)") && page.body.contains(&with_commas(assets / 120_000)), "a write shows at once");

        // Imported again: replaced, not added; listed in the catalogue; another city sees none.
        let res = hq.post_multipart("/hq/finance/statements/import", &[], ("file", "fs.csv", &good)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(count().await, 2, "replaced");
        let list = guest.get("/api/3/action/package_list").await;
        assert_eq!(list.body.matches("statements-").count(), 2, "{}", list.body);
        let mut foreign = t.foreign_client();
        let none = foreign.get("/finance/statements").await;
        assert!(none.body.contains("まだ公表していません") && !none.body.contains("現金預金"));
        assert_eq!(foreign.get(&format!("/finance/statements/{set}/lines.csv")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(guest.get("/finance/statements?set=1").await.status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

/// `kyodo finance import`: every file checked first, problems printed as file:line, nothing written
/// when there is one; consistent files written in one transaction, with the sums the page reads.
#[tokio::test]
async fn the_command_line_imports_budget_files_checked_or_nothing() {
    use crate::ops::cli::{kyodo, ok};
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let count = || {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM fin_editions WHERE organization_id = $1")
                    .bind(org)
                    .fetch_one(&db)
                    .await
                    .unwrap()
            }
        };
        let before = count().await;
        let good = t.data_dir.join("kokuho.csv");
        let other = t.data_dir.join("kaigo.csv");
        let bad = t.data_dir.join("bad.csv");
        std::fs::write(&good, city_file("\"３，０００\"")).unwrap();
        let kaigo = String::from_utf8(city_file("3000")).unwrap().replace("国民健康保険特別会計", "介護保険特別会計");
        std::fs::write(&other, kaigo).unwrap();
        std::fs::write(&bad, city_file("3100")).unwrap();
        let paths = |ps: &[&std::path::PathBuf]| ps.iter().map(|p| p.to_str().unwrap().to_string()).collect::<Vec<_>>();
        let args = |files: Vec<String>| {
            let mut a = vec!["finance".to_string(), "import".into()];
            a.extend(files);
            a.extend(["--org".to_string(), "072028".into()]);
            a
        };
        let bad_args = args(paths(&[&good, &bad]));
        let out = kyodo(&t, &bad_args.iter().map(String::as_str).collect::<Vec<_>>(), None);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("bad.csv:4: 合計の行") && err.contains("nothing imported"), "{err}");
        assert_eq!(count().await, before, "the good file is not written either");
        // The same edition in two files: which one wins would depend on which reader finished
        // first, so it is a problem and nothing is written.
        let twice = t.data_dir.join("kokuho-copy.csv");
        std::fs::copy(&good, &twice).unwrap();
        let twice_args = args(paths(&[&good, &other, &twice]));
        let out = kyodo(&t, &twice_args.iter().map(String::as_str).collect::<Vec<_>>(), None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains("二つのファイル") && err.contains("nothing imported"), "{err}");
        assert_eq!(count().await, before);
        let good_args = args(paths(&[&good, &other]));
        let out = ok(&kyodo(&t, &good_args.iter().map(String::as_str).collect::<Vec<_>>(), None));
        assert!(out.contains("12 lines from 2 files imported"), "{out}");
        assert_eq!(count().await, before + 2);
        // The sums kept with the edition are the lines' sums.
        let (id, kept): (i64, i64) = sqlx::query_as(
            "SELECT e.id, s.amount FROM fin_editions e JOIN fin_sums s ON s.organization_id = e.organization_id AND s.edition_id = e.id \
             AND s.side = 'revenue' AND s.by_nature = 0 AND s.name = '保険税' WHERE e.organization_id = $1 AND e.account = '介護保険特別会計'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let summed: i64 = kyodo::finance::store::lines(&t.app.db, org, id)
            .await
            .unwrap()
            .iter()
            .filter(|l| l.0 == "revenue" && l.1 == "保険税")
            .map(|l| l.6)
            .sum();
        assert_eq!((kept, summed), (3_000_000, 3_000_000));
        t
    })
    .await;
}
