//! Report attachments become public with the report; a long report history opens with the newest
//! entries and shows all on request — on both backends.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn attachments_become_public_with_the_report() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = seed_item(&t, "S-1.3.3").await;
        let fy2010 = period(&t, plan, 2010).await.to_string();
        let url = format!("/plans/items/{node}/report");
        let attach = format!("{url}/attachments");
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let early = staff
            .post_multipart(
                &attach,
                &[("period", &fy2010)],
                ("file", "会議録.pdf", b"%PDF-1.4 minutes"),
            )
            .await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "save a draft first"
        );
        let fields = [
            ("period", fy2010.as_str()),
            ("progress", "in_progress"),
            ("rating", "A"),
            ("did", "審議会を公開した"),
            ("evaluation", "傍聴者が増えた"),
            ("next_steps", "議事録を公開する"),
        ];
        staff.post(&url, &fields).await;
        let evil = staff
            .post_multipart(
                &attach,
                &[("period", &fy2010)],
                ("file", "evil.html", b"<script>alert(1)</script>"),
            )
            .await;
        assert_eq!(evil.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(evil.body.contains("id=\"e-file\""));
        let ok = staff
            .post_multipart(
                &attach,
                &[("period", &fy2010)],
                ("file", "C:\\docs\\会議録.pdf", b"%PDF-1.4 minutes"),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let (att,): (i64,) = sqlx::query_as("SELECT id FROM report_attachments")
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let mut public = t.client();
        assert_eq!(
            public.get(&format!("/attachments/{att}")).await.status,
            StatusCode::NOT_FOUND,
            "not public before publication"
        );
        assert_eq!(
            staff.get(&format!("/attachments/{att}")).await.bytes,
            b"%PDF-1.4 minutes"
        );
        staff.post(&format!("{url}/submit"), &fields).await;
        manager_confirms(&t, node, &fy2010).await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        hq.post(&format!("{url}/review/approve"), &[("period", &fy2010)])
            .await;
        hq.post(&format!("{url}/review/publish"), &[("period", &fy2010)])
            .await;
        let file = public.get(&format!("/attachments/{att}")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers["content-type"], "application/pdf");
        assert!(
            file.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        assert!(
            public
                .get(&format!("/plans/items/{node}"))
                .await
                .body
                .contains("会議録.pdf")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_long_report_history_opens_with_the_newest_entries_and_shows_all_on_request() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = seed_item(&t, "S-1.3.1").await;
        let fy2011 = period(&t, plan, 2011).await.to_string();
        let report_url = format!("/plans/items/{node}/report");
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        for i in 1..=32 {
            let did = format!("保存その{i}番");
            let saved = staff
                .post(
                    &report_url,
                    &[
                        ("period", fy2011.as_str()),
                        ("progress", "in_progress"),
                        ("rating", "A"),
                        ("did", &did),
                        ("evaluation", "評価"),
                        ("next_steps", "次"),
                    ],
                )
                .await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER);
        }
        let page = staff.get(&format!("{report_url}?period={fy2011}")).await;
        // The newest 30 versions (32 … 3) and a link to the rest.
        assert!(page.body.contains("保存その32番") && page.body.contains("保存その3番"));
        assert!(!page.body.contains("保存その2番<") && !page.body.contains("保存その1番<"));
        assert!(page.body.contains("history=all"));
        let all = staff
            .get(&format!("{report_url}?period={fy2011}&history=all"))
            .await;
        assert!(all.body.contains("保存その2番<") && all.body.contains("保存その1番<"));
        assert!(!all.body.contains("history=all"));
        t
    })
    .await;
}
