//! 予算・決算 imports beyond the reader's own layout, on both databases: a city's own layout through
//! a column mapping (page and command line), and lines stored as rows before migration 0041
//! moved into blocks.

use crate::support::*;
use axum::http::StatusCode;

/// Lines stored as rows before migration 0041 are moved into blocks, in file order, and read
/// back whole; a second run finds nothing to move.
#[tokio::test]
async fn lines_stored_as_rows_before_blocks_are_moved_into_blocks() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let edition = 9_000_001_i64;
        sqlx::query(
            "INSERT INTO fin_editions (organization_id, id, fiscal_year, account, edition, is_settlement, is_demo, imported_at) \
             VALUES ($1, $2, 2019, '一般会計', '当初', 0, 0, '2019-04-01T00:00:00Z')",
        )
        .bind(org)
        .bind(edition)
        .execute(&t.app.db)
        .await
        .unwrap();
        for n in (0..2_500_i64).rev() {
            sqlx::query(
                "INSERT INTO fin_lines (organization_id, edition_id, line_no, side, kan, kou, moku, setsu, nature, amount) \
                 VALUES ($1, $2, $3, 'expenditure', '総務費', '総務管理費', '一般管理費', '給料', '人件費', $4)",
            )
            .bind(org)
            .bind(edition)
            .bind(n)
            .bind(n * 1000)
            .execute(&t.app.db)
            .await
            .unwrap();
        }
        kyodo::finance::store::move_old_lines(&t.app).await.unwrap();
        kyodo::finance::store::move_old_lines(&t.app).await.unwrap();
        let lines = kyodo::finance::store::lines(&t.app.db, org, edition).await.unwrap();
        assert_eq!(lines.len(), 2_500);
        assert!(lines.iter().enumerate().all(|(n, l)| l.6 == n as i64 * 1000 && l.1 == "総務費"), "file order kept");
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fin_lines").fetch_one(&t.app.db).await.unwrap();
        assert_eq!(left, 0);
        t
    })
    .await;
}

/// A 予算書 in a layout of the city's own — its own headers, no year, 会計 or edition column,
/// amounts in 千円 said nowhere — imports once the HQ maps it; the file it could not read is shown
/// by its first rows; a value that cannot be read is refused beside its field; the mapping is
/// offered again. The command line takes the same mapping as options.
#[tokio::test]
async fn a_budget_file_in_a_city_s_own_layout_imports_with_a_column_mapping() {
    use crate::ops::cli::{kyodo, ok};
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let file = "令和8年度 一般会計予算書\n収入支出,款の名称,項の名称,本年度予算額\n\
                    収入,市税,市民税,\"1,200\"\n収入,繰入金,基金繰入金,300\n支出,民生費,社会福祉費,900\n支出,教育費,小学校費,600\n";
        let form = hq.get("/hq/finance/import").await;
        assert!(form.body.contains("列の対応") && form.body.contains("id=\"f-map_kan\""), "{}", form.body);
        let res = hq.post_multipart("/hq/finance/import", &[], ("file", "yosan.csv", file.as_bytes())).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("列の対応") && res.body.contains("<td>款の名称</td>"), "the first rows shown: {}", res.body);
        let mut fields = vec![
            ("map_side", "収入支出"),
            ("map_kan", "款の名称"),
            ("map_kou", "項の名称"),
            ("map_amount", "本年度予算額"),
            ("fix_year", "来年"),
            ("fix_account", "一般会計"),
            ("fix_edition", "当初"),
            ("unit", "1000"),
        ];
        let res = hq.post_multipart("/hq/finance/import", &fields, ("file", "yosan.csv", file.as_bytes())).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-fix_year\"") && res.body.contains("value=\"来年\""), "{}", res.body);
        fields[4].1 = "令和8";
        let res = hq.post_multipart("/hq/finance/import", &fields, ("file", "yosan.csv", file.as_bytes())).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id: i64 = sqlx::query_scalar("SELECT id FROM fin_editions WHERE organization_id = $1 AND fiscal_year = 2026 AND edition = '当初'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let lines = kyodo::finance::store::lines(&t.app.db, org, id).await.unwrap();
        assert_eq!(lines.len(), 4);
        assert_eq!((lines[0].1.as_str(), lines[0].6), ("市税", 1_200_000), "千円 as mapped");
        let form = hq.get("/hq/finance/import").await;
        assert!(form.body.contains("value=\"款の名称\"") && form.body.contains("value=\"令和8\""), "the mapping offered again");

        // The command line: the same file for 令和9 with options.
        let path = t.data_dir.join("r9.csv");
        std::fs::write(&path, file.replace("令和8", "令和9")).unwrap();
        let p = path.to_str().unwrap();
        let base = ["finance", "import", p, "--org", "072028", "--map", "side=収入支出", "--map", "kan=款の名称"];
        let rest = ["--map", "kou=項の名称", "--map", "amount=本年度予算額", "--fixed", "account=一般会計", "--fixed", "edition=当初", "--unit", "千円"];
        let bad: Vec<&str> = base.iter().chain(&rest).copied().chain(["--fixed", "year=来年"]).collect();
        assert!(!kyodo(&t, &bad, None).status.success());
        let good: Vec<&str> = base.iter().chain(&rest).copied().chain(["--fixed", "year=R9"]).collect();
        assert!(ok(&kyodo(&t, &good, None)).contains("4 lines from 1 files imported"));
        t
    })
    .await;
}
