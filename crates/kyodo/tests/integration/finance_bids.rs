//! 入札・契約 on both databases: the demo's results searched by 件名 and 落札者, filtered by year,
//! 種別 and 方式, paged; the 落札率 distribution counted as the database holds the tenders; a tender
//! with every bid; a results list whose winning amount exceeds its planned price refused by line
//! with nothing imported, a good one imported and replacing on re-import; bad filters refused
//! (400), not a 500; each organization seeing only its own.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn bids_are_searched_filtered_charted_and_imported() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut guest = t.client();
        let page = guest.get("/finance/bids").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("72件") && page.body.contains("デモデータ") && page.body.contains("<svg"), "{}", page.body);
        assert!(page.body.contains("rel=\"next\""), "fifty to a page");
        let second = guest.get("/finance/bids?page=1").await;
        assert_eq!(second.body.matches("href=\"/finance/bids/").count(), 22);

        // Filters: the database's own count for 工事 in 令和6年度 by 一般競争.
        let expected: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM fin_bids WHERE organization_id = $1 AND fiscal_year = 2024 AND kind = '工事' AND method = 'general'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let page = guest.get("/finance/bids?year=2024&kind=%E5%B7%A5%E4%BA%8B&method=general").await;
        assert!(page.body.contains(&format!("{expected}件")), "{}", page.body);
        // Search by a winner's name and by a substring of a title, wildcards taken literally.
        let page = guest.get("/finance/bids?q=%E7%A3%90%E6%A2%AF%E5%9C%9F%E6%9C%A8").await; // 磐梯土木
        let wins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fin_bids WHERE organization_id = $1 AND winner LIKE '磐梯土木%'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert!(wins > 0 && page.body.contains(&format!("{wins}件")), "{wins}: {}", page.body);
        assert!(guest.get("/finance/bids?q=%25").await.body.contains("0件"), "% is a character, not a wildcard");
        for bad in ["year=abc", "method=lottery", "page=-1"] {
            assert_eq!(guest.get(&format!("/finance/bids?{bad}")).await.status, StatusCode::BAD_REQUEST, "{bad}");
        }

        // The distribution for 令和6年度: 工事 tenders in 95 % or more, as the database counts them.
        let high: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM fin_bids WHERE organization_id = $1 AND fiscal_year = 2024 AND kind = '工事' AND method <> 'negotiated' AND rate_pm >= 950",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let page = guest.get("/finance/bids?year=2024").await;
        let row = page.body.split("<tr>").find(|r| r.starts_with("<th scope=\"row\">工事</th><td class=\"num\">")).unwrap().to_string();
        assert!(row.trim_end().ends_with(&format!("<td class=\"num\">{high}</td></tr>")), "{row}");

        let (id, bidders): (i64, i64) =
            sqlx::query_as("SELECT id, bidders FROM fin_bids WHERE organization_id = $1 AND bidders > 2 ORDER BY id LIMIT 1")
                .bind(org)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        let one = guest.get(&format!("/finance/bids/{id}")).await;
        assert_eq!(one.body.matches("<tr><th scope=\"row\">").count() as i64, bidders, "every bid");
        assert!(one.body.contains("落札"));

        // An over-priced winner: refused by line, nothing imported; then a good list, replacing.
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM fin_bids WHERE organization_id = $1")
                .bind(org)
                .fetch_one(&t.app.db)
                .await
                .unwrap()
        };
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let head = "入札結果(令和7年度),,,,,,,,\n案件番号,件名,種別,入札方式,開札日,予定価格,落札者,落札額,入札者数\n";
        let bad = format!("{head}R7-001,市庁舎清掃業務委託,委託,指名競争入札,令和7年4月10日,\"１，０００，０００\",会津ビルサービス,1200000,3\n");
        let res = hq.post_multipart("/hq/finance/bids/import", &[], ("file", "kekka.csv", bad.as_bytes())).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("<td class=\"num\">3</td>") && res.body.contains("R7-001"), "{}", res.body);
        assert_eq!(count().await, 72);
        let good = bad.replace("1200000", "930000");
        let res = hq.post_multipart("/hq/finance/bids/import", &[], ("file", "kekka.csv", good.as_bytes())).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(count().await, 73);
        let again = good.replace("930000", "940000");
        hq.post_multipart("/hq/finance/bids/import", &[], ("file", "kekka.csv", again.as_bytes())).await;
        assert_eq!(count().await, 73, "the same case again replaces it");
        let page = guest.get("/finance/bids?year=2025").await;
        assert!(page.body.contains("市庁舎清掃業務委託") && page.body.contains("94.0%"), "a write shows at once: {}", page.body);
        let csv = guest.get("/finance/bids.csv").await;
        assert!(csv.body.contains("R7-001,市庁舎清掃業務委託,委託,designated"), "{}", csv.body);
        let list = guest.get("/api/3/action/package_list").await;
        assert!(list.body.contains("\"bids\""), "{}", list.body);

        let mut foreign = t.foreign_client();
        assert!(foreign.get("/finance/bids").await.body.contains("まだ公表していません"));
        assert_eq!(foreign.get(&format!("/finance/bids/{id}")).await.status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}
