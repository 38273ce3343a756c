//! Around the workbook import: the HQ's own department list import, and an upload over the size
//! limit answered on its page with the limit named.

use crate::support::*;
use axum::http::StatusCode;

/// The HQ registers a city's department list (a title row, full-width codes, levels in Japanese)
/// without a system administrator; a list with a problem registers nothing.
#[tokio::test]
async fn the_hq_imports_the_department_list_without_a_system_administrator() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let page = hq.get("/hq/departments/import").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("16MBまで"), "the page states the limit the server applies");
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM departments WHERE organization_id = $1")
                .bind(org)
                .fetch_one(&t.app.db)
                .await
                .unwrap()
        };
        let before = count().await;
        let bad = "令和8年度 組織一覧\nコード,名称,階層,上位コード\n９１０,市民協働部,部,\n911,まちづくり推進課,課,999\n";
        let res = hq.post_multipart("/hq/departments/import", &[], ("file", "組織.csv", bad.as_bytes())).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("上位コードの組織が"), "{}", res.body);
        assert_eq!(count().await, before, "nothing registered");
        let good = bad.replace(",999", ",910");
        let res = hq.post_multipart("/hq/departments/import", &[], ("file", "組織.csv", good.as_bytes())).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(count().await, before + 2);
        t
    })
    .await;
}

/// An upload over the limit gets the import page saying the limit, whatever the form.
#[tokio::test]
async fn an_upload_over_the_limit_is_answered_on_its_page_naming_the_limit() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let cycle: i64 = sqlx::query_scalar("SELECT id FROM eval_cycles WHERE fiscal_year = 2025")
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let big = vec![b'x'; 17 << 20];
        for path in [
            format!("/hq/evaluation/cycles/{cycle}/import"),
            "/hq/departments/import".to_string(),
            "/hq/plans/import".to_string(),
        ] {
            let res = hq
                .post_multipart(&path, &[], ("file", "big.xlsx", &big))
                .await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(
                res.body.contains("送信できるファイルは16MBまでです"),
                "{path}: {}",
                res.body
            );
        }
        t
    })
    .await;
}
