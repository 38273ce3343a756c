//! Citizens rate and comment, the HQ moderates and answers; committee opinions are published with
//! the city's response — on both backends.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn citizens_rate_and_comment_and_the_hq_moderates_and_answers() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (_, node) = seed_item(&t, "S-3.1.1").await;
        let item = format!("/plans/items/{node}");
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        assert_eq!(
            citizen
                .post(
                    &format!("{item}/rating"),
                    &[("year", "2008"), ("score", "4")]
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        // Rating again replaces the first rating.
        assert_eq!(
            citizen
                .post(
                    &format!("{item}/rating"),
                    &[("year", "2008"), ("score", "5")]
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            citizen
                .post(
                    &format!("{item}/rating"),
                    &[("year", "2011"), ("score", "3")]
                )
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no published report that year"
        );
        let bad = citizen
            .post(
                &format!("{item}/rating"),
                &[("year", "2008"), ("score", "9")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"e-score\""));
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM citizen_ratings WHERE node_id = $1",
                node
            )
            .await,
            1
        );
        let page = t.client().get(&item).await;
        assert!(
            page.body.contains("<td class=\"num\">5.00</td>"),
            "average of the one rating"
        );

        let empty = citizen
            .post(&format!("{item}/comments"), &[("body", "  ")])
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("id=\"e-body\""));
        let sent = citizen
            .submit(
                &format!("{item}/comments"),
                &[(
                    "body",
                    "窓口の待ち時間が短くなりました。<script>alert(1)</script>",
                )],
            )
            .await;
        assert!(sent.body.contains("担当が内容を確認してから公開します"));
        assert!(
            !t.client().get(&item).await.body.contains("窓口の待ち時間"),
            "moderated before publication by default"
        );
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let queue = hq.get("/hq/comments").await;
        assert!(
            queue.body.contains("窓口の待ち時間")
                && queue.body.contains("alert(1)")
                && !queue.body.contains("<script>alert")
        );
        let (comment,): (i64,) =
            sqlx::query_as("SELECT id FROM citizen_comments WHERE node_id = $1")
                .bind(node)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        let hide = hq
            .post(&format!("/hq/comments/{comment}/hide"), &[("reason", "")])
            .await;
        assert_eq!(hide.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(hide.body.contains(&format!("id=\"e-reason-{comment}\"")));
        assert_eq!(
            hq.submit(
                &format!("/hq/comments/{comment}/publish"),
                &[("answer", "ご意見ありがとうございます。")]
            )
            .await
            .status,
            StatusCode::OK
        );
        let public = t.client().get(&item).await;
        assert!(
            public.body.contains("窓口の待ち時間")
                && public.body.contains("ご意見ありがとうございます。")
        );
        assert!(
            !public.body.contains("<script>alert(1)</script>")
                && !public.body.contains("デモ 市民"),
            "escaped, and no commenter names"
        );
        // A reader reports it; the HQ hides it with a reason.
        assert_eq!(
            citizen
                .submit(&format!("/comments/{comment}/flag"), &[])
                .await
                .status,
            StatusCode::OK
        );
        assert!(hq.get("/hq/comments").await.body.contains("窓口の待ち時間"));
        assert_eq!(
            hq.submit(
                &format!("/hq/comments/{comment}/hide"),
                &[("reason", "個人情報を含むため")]
            )
            .await
            .status,
            StatusCode::OK
        );
        assert!(!t.client().get(&item).await.body.contains("窓口の待ち時間"));
        // Switched to moderation after publication, a comment appears at once.
        assert_eq!(
            hq.submit("/hq/settings/comments", &[("mode", "after")])
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            hq.post("/hq/settings/comments", &[("mode", "never")])
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        citizen
            .post(
                &format!("{item}/comments"),
                &[("body", "すぐに公開される意見")],
            )
            .await;
        assert!(
            t.client()
                .get(&item)
                .await
                .body
                .contains("すぐに公開される意見")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn committee_opinions_are_published_with_the_citys_response() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = seed_item(&t, "S-2.1.2").await;
        let fy2009 = period(&t, plan, 2009).await.to_string();
        let fy2012 = period(&t, plan, 2012).await.to_string();
        let url = format!("/plans/items/{node}/opinions");
        let mut member = t.signed_in("committee@demo.kyodo.jp").await;
        assert!(
            member
                .get(&format!("/plans/items/{node}"))
                .await
                .body
                .contains(&format!("action=\"{url}\""))
        );
        let bad = member
            .submit(&url, &[("period", &fy2012), ("opinion", "未公表の期間")])
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "only periods with a published report"
        );
        assert_eq!(
            member
                .submit(
                    &url,
                    &[
                        ("period", &fy2009),
                        ("opinion", "委託の効果を数値で示すべきである。")
                    ]
                )
                .await
                .status,
            StatusCode::OK
        );
        assert!(
            !t.client()
                .get(&format!("/plans/items/{node}"))
                .await
                .body
                .contains("委託の効果を数値で"),
            "not public before the response"
        );
        // Citizens cannot write opinions.
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        assert_eq!(
            citizen
                .post(&url, &[("period", &fy2009), ("opinion", "x")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        assert!(
            hq.get(&format!("/hq/plans/{plan}"))
                .await
                .body
                .contains("委託の効果を数値で示すべきである。")
        );
        let (opinion,): (i64,) =
            sqlx::query_as("SELECT id FROM follow_up_opinions WHERE subject_id = $1")
                .bind(node)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        let empty = hq
            .post(
                &format!("/hq/opinions/{opinion}"),
                &[("response", ""), ("plan", &plan.to_string())],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            hq.post(
                &format!("/hq/opinions/{opinion}"),
                &[
                    ("response", "次年度から削減額を公表します。"),
                    ("plan", &plan.to_string())
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let public = t.client().get(&format!("/plans/items/{node}")).await;
        assert!(
            public.body.contains("委託の効果を数値で示すべきである。")
                && public.body.contains("次年度から削減額を公表します。")
        );
        assert!(
            !public.body.contains("デモ 委員"),
            "members' names are not published"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn an_item_page_shows_the_newest_comments_and_links_to_all() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (_, node) = seed_item(&t, "S-3.1.1").await;
        let citizen = t.user_id(org, "citizen@demo.kyodo.jp").await;
        for n in 1..=52 {
            sqlx::query(
                "INSERT INTO citizen_comments (organization_id, id, node_id, user_id, body, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'published', $6)",
            )
            .bind(org)
            .bind(kyodo::db::new_id())
            .bind(node)
            .bind(citizen)
            .bind(format!("意見その{n:02}です"))
            .bind(format!("2026-04-01T00:00:{n:02}.000000Z"))
            .execute(&t.app.db)
            .await
            .unwrap();
        }
        let item = format!("/plans/items/{node}");
        let page = t.client().get(&item).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("意見その02です"), "older than the newest 50");
        assert!(page.body.contains("意見その03です") && page.body.contains("意見その52です"));
        assert!(
            page.body.find("意見その03です") < page.body.find("意見その52です"),
            "in the order written"
        );
        assert!(page.body.contains("すべての意見を表示(52)"));
        let all = t.client().get(&format!("{item}?comments=all")).await;
        assert!(all.body.contains("意見その01です") && all.body.contains("意見その52です"));
        assert!(!all.body.contains("すべての意見を表示"));
        t
    })
    .await;
}
