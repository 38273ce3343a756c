//! 財政指標 and 中期財政見通し on both databases: the demo's indicators with the computed ones
//! marked and the thresholds shown; the HQ's form refusing a bad figure beside its field and
//! recording a year whose 実質赤字比率 is computed from a deficit; the outlook table and its
//! comparison with the earlier edition; an outlook file whose 歳入合計 does not add up refused by
//! line with nothing imported, a good one imported and replacing on re-import; the budget-frame
//! page showing the outlook for its year; each organization seeing only its own.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn indicators_are_shown_entered_and_computed() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut guest = t.client();
        let page = guest.get("/finance/indicators").await;
        assert_eq!(page.status, StatusCode::OK);
        for text in [
            "実質公債費比率",
            "将来負担比率",
            "早期健全化基準",
            "350.0",
            "基準未満",
            "デモデータ",
            "<svg",
        ] {
            assert!(page.body.contains(text), "{text}: {}", page.body);
        }
        // 令和5年度: 実質公債費比率 = (8.7 + 8.2 + 7.9) / 3 = 8.27, shown 8.3, computed and marked.
        let row = page
            .body
            .split("<tr>")
            .find(|r| r.contains(">実質公債費比率<"))
            .unwrap()
            .to_string();
        assert!(
            row.contains("8.3<span aria-hidden=\"true\">※</span>"),
            "{row}"
        );
        // 実質収支比率 = 1,050,000 ÷ 29,000,000 = 3.6 %; no deficit shows 「−」.
        let row = page
            .body
            .split("<tr>")
            .find(|r| r.contains(">実質赤字比率<"))
            .unwrap()
            .to_string();
        assert!(row.contains(">−<") && row.contains("11.3"), "{row}");
        let csv = guest.get("/finance/indicators.csv").await;
        assert!(
            csv.body.contains("2023,debt_service,実質公債費比率,8.3,1"),
            "{}",
            csv.body
        );

        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let form = hq.get("/hq/finance/indicators?year=2023").await;
        assert!(
            form.body.contains("value=\"92.6\""),
            "the year's figures load into the form"
        );
        let bad = hq
            .post(
                "/hq/finance/indicators",
                &[
                    ("year", "令和6"),
                    ("v-current_balance", "高い"),
                    ("v-future_burden", "40.1"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("id=\"e-v-current_balance\"")
                && !bad.body.contains("id=\"e-v-future_burden\"")
        );
        assert!(
            bad.body.contains("value=\"40.1\""),
            "what was typed is kept"
        );
        // A deficit: 実質赤字比率 computed from it (−290,000 ÷ 29,000,000 = 1.0 %).
        let ok = hq
            .post(
                "/hq/finance/indicators",
                &[
                    ("year", "令和6"),
                    ("v-current_balance", "９４．１"),
                    ("v-standard_scale", "29,000,000"),
                    ("v-real_balance_amount", "△290,000"),
                    ("v-real_deficit_early", "11.29"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = guest.get("/finance/indicators").await;
        assert!(page.body.contains("令和6年度"), "a write shows at once");
        let row = page
            .body
            .split("<tr>")
            .find(|r| r.contains(">実質赤字比率<"))
            .unwrap()
            .to_string();
        assert!(
            row.contains("1.0<span aria-hidden=\"true\">※</span>") && row.contains("11.3"),
            "{row}"
        );
        let row = page
            .body
            .split("<tr>")
            .find(|r| r.contains(">連結実質赤字比率<"))
            .unwrap()
            .to_string();
        assert!(row.contains("16.3"), "連結 = 実質赤字の基準 + 5: {row}");
        // Posting a year without loading it leaves the figures it does not name; after loading,
        // an emptied field removes its figure.
        let org = t.demo_org().await;
        let stored = |code: &'static str| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM fin_indicator_values WHERE organization_id = $1 AND fiscal_year = 2024 AND code = $2",
                )
                .bind(org)
                .bind(code)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        hq.post("/hq/finance/indicators", &[("year", "令和6"), ("v-future_burden", "40.1")]).await;
        assert_eq!((stored("current_balance").await, stored("future_burden").await), (1, 1));
        let form = hq.get("/hq/finance/indicators?year=2024").await;
        assert!(form.body.contains("name=\"loaded\" value=\"2024\""));
        hq.post("/hq/finance/indicators", &[("year", "2024"), ("loaded", "2024"), ("v-future_burden", "40.1")]).await;
        assert_eq!((stored("current_balance").await, stored("future_burden").await), (0, 1));

        let mut foreign = t.foreign_client();
        assert!(
            foreign
                .get("/finance/indicators")
                .await
                .body
                .contains("まだ公表していません")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn outlooks_are_shown_compared_imported_and_set_beside_the_frames() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut guest = t.client();
        let page = guest.get("/finance/outlook").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("令和7年度(2025年度)作成")
                && page.body.contains("扶助費")
                && page.body.contains("<svg")
        );
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM fin_outlooks WHERE organization_id = $1 ORDER BY made_in DESC",
        )
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        let page = guest
            .get(&format!(
                "/finance/outlook?edition={}&compare={}",
                ids[0], ids[1]
            ))
            .await;
        // 令和8年度 in both: 48,500 now against 48,460 in the edition made a year earlier
        // (its second year, every item 40百万円 higher than the same column now: 48,220 + 240).
        let row = page
            .body
            .split("<tr>")
            .find(|r| r.contains(">歳入合計<") && r.contains("令和8年度"))
            .unwrap()
            .to_string();
        assert!(
            row.contains(">48,500<") && row.contains(">48,460<") && row.contains(">40<"),
            "{row}"
        );
        let csv = guest
            .get(&format!("/finance/outlook/{}/lines.csv", ids[0]))
            .await;
        assert!(
            csv.body.contains("2025,revenue,市税,0,2026,15250000000"),
            "{}",
            csv.body
        );

        // An outlook whose 歳入合計 does not add up: refused by line, nothing imported.
        let count = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM fin_outlooks WHERE organization_id = $1",
            )
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap()
        };
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let table = kyodo::finance::outlook::demo::table(2026, 10).replace("(デモデータ)", "");
        let broken = table.replacen("市税,15260", "市税,15261", 1);
        let res = hq
            .post_multipart(
                "/hq/finance/outlook/import",
                &[],
                ("file", "mitoshi.csv", broken.as_bytes()),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("2027 歳入合計"), "{}", res.body);
        assert_eq!(count().await, 2);
        let res = hq
            .post_multipart(
                "/hq/finance/outlook/import",
                &[],
                ("file", "mitoshi.csv", table.as_bytes()),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(count().await, 3);
        let res = hq
            .post_multipart(
                "/hq/finance/outlook/import",
                &[],
                ("file", "mitoshi.csv", table.as_bytes()),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(count().await, 3, "the same edition again replaces it");
        let page = guest.get("/finance/outlook").await;
        assert!(
            page.body.contains("令和8年度(2026年度)作成"),
            "a write shows at once"
        );

        // The budget-frame page shows the newest outlook covering its year (令和9 = 2027).
        let frames = hq.get("/staff/evaluation/frames?year=2027").await;
        assert!(
            frames
                .body
                .contains("中期財政見通し(令和8年度(2026年度)作成)の令和9年度"),
            "{}",
            frames.body
        );
        let list = guest.get("/api/3/action/package_list").await;
        assert_eq!(
            list.body.matches("fiscal-outlook-").count(),
            3,
            "{}",
            list.body
        );
        let mut foreign = t.foreign_client();
        assert!(
            foreign
                .get("/finance/outlook")
                .await
                .body
                .contains("まだ公表していません")
        );
        assert_eq!(
            foreign
                .get(&format!("/finance/outlook/{}/lines.csv", ids[0]))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        t
    })
    .await;
}
