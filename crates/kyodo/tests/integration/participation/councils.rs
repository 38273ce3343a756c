//! 審議会等 on both databases: the register and appointments (bad dates and terms refused beside
//! their fields), the targets checked per body and overall, the HQ's dashboard, and the public
//! table without anything but names and occupations the body chose to publish.

use super::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_register_checks_its_targets_and_the_public_sees_no_more_than_it_should() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        // The demo: one body below 30 % women, one term ending within 90 days, twelve years in office.
        let page = hq.get("/hq/councils").await;
        assert_eq!(page.status, StatusCode::OK);
        let missing = page
            .body
            .split("id=\"missing-title\"")
            .nth(1)
            .unwrap()
            .split("<h2")
            .next()
            .unwrap();
        assert!(
            missing.contains("都市計画審議会(デモ)") && missing.contains("20.0%"),
            "{missing}"
        );
        assert!(!missing.contains("行政改革推進委員会"), "{missing}");
        assert!(
            page.body.contains("只見 四郎") && page.body.contains("北会津 桜"),
            "ending soon and long serving"
        );
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(
            staff.get("/hq/councils").await.status,
            StatusCode::FORBIDDEN
        );

        // A new body without 公募 members and a reason is flagged once it has members.
        let res = hq
            .post(
                "/hq/councils",
                &[
                    ("name", "環境審議会"),
                    ("kind", "ordinance"),
                    ("term_years", "２"),
                    ("max_members", "0"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("1以上の整数"), "{}", res.body);
        let res = hq
            .post(
                "/hq/councils",
                &[
                    ("name", "環境審議会"),
                    ("kind", "ordinance"),
                    ("term_years", "２"),
                    ("max_members", "２"),
                    ("meetings_public", "1"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let body = res.location().to_string();
        let res = hq
            .post(
                "/hq/councils",
                &[
                    ("name", "環境審議会"),
                    ("kind", "ordinance"),
                    ("term_years", "2"),
                    ("max_members", "2"),
                ],
            )
            .await;
        assert!(res.body.contains("同じ名称"), "{}", res.body);
        let appoint = |name: &'static str,
                       gender: &'static str,
                       appointed: &'static str,
                       ends: &'static str| {
            vec![
                ("name", name),
                ("kana", ""),
                ("gender", gender),
                ("occupation", "研究者"),
                ("category", "academic"),
                ("role", "member"),
                ("appointed_on", appointed),
                ("term_ends_on", ends),
                ("name_public", ""),
            ]
        };
        let members = format!("{body}/members");
        let res = hq
            .post(
                &members,
                &appoint("環境 一", "male", "2026-04-01", "2026-03-31"),
            )
            .await;
        assert!(
            res.body.contains("任期満了日が委嘱日より前"),
            "{}",
            res.body
        );
        let res = hq
            .post(
                &members,
                &appoint("環境 一", "male", "2026-04-01", "2029-03-31"),
            )
            .await;
        assert!(res.body.contains("任期を超えています"), "{}", res.body);
        for (name, gender) in [
            ("環境 一", "male"),
            ("環境 二", "male"),
            ("環境 三", "female"),
        ] {
            let res = hq
                .post(
                    &members,
                    &appoint(name, gender, "令和8年4月1日", "2028-03-31"),
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        let page = hq.get("/hq/councils").await;
        let missing = page
            .body
            .split("id=\"missing-title\"")
            .nth(1)
            .unwrap()
            .split("<h2")
            .next()
            .unwrap();
        let item = missing
            .split("<li>")
            .find(|l| l.contains("環境審議会"))
            .unwrap_or_default();
        assert!(
            !item.contains("女性委員の割合"),
            "1 of 3 (33.3 %) meets 30 %: {item}"
        );
        assert!(
            item.contains("公募委員がおらず") && item.contains("定数を超えて"),
            "{item}"
        );

        // The public table and a body's page: figures, and names only where the body publishes them.
        let mut guest = t.client();
        let list = guest.get("/councils").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.body.contains("環境審議会") && list.body.contains("33.3%"),
            "{}",
            list.body
        );
        let id = body.rsplit('/').next().unwrap();
        let page = guest.get(&format!("/councils/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("環境 一") && page.body.contains("(非公表)"),
            "{}",
            page.body
        );
        for path in ["/councils".to_string(), format!("/councils/{id}")] {
            let body = guest.get(&path).await.body;
            for private in ["男性", "女性</td>", "gender"] {
                assert!(!body.contains(private), "{path} shows {private}");
            }
        }
        t
    })
    .await;
}

#[tokio::test]
async fn an_inquiry_is_answered_and_each_recommendation_gets_the_citys_decision_in_public() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let body: i64 = sqlx::query_scalar(
            "SELECT id FROM cn_bodies WHERE organization_id = $1 AND name = '都市計画審議会(デモ)'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post(
                &format!("/hq/councils/{body}/inquiries"),
                &[
                    ("subject", "立地適正化計画について"),
                    ("asked_on", "令和8年13月1日"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("立地適正化計画について"),
            "what was typed is kept"
        );
        let res = hq
            .post(
                &format!("/hq/councils/{body}/inquiries"),
                &[
                    ("subject", "立地適正化計画について"),
                    ("asked_on", "令和8年4月1日"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let inquiry: i64 = sqlx::query_scalar(
            "SELECT id FROM cn_inquiries WHERE organization_id = $1 AND body_id = $2",
        )
        .bind(org)
        .bind(body)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let res = hq
            .post(
                &format!("/hq/councils/inquiries/{inquiry}/answer"),
                &[
                    ("answered_on", "2026-10-01"),
                    ("answer_summary", "計画案は妥当"),
                    (
                        "recommendations",
                        "１．居住誘導区域を明示すること。\n(2) 公共交通との連携を図ること",
                    ),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let decide = format!("/hq/councils/inquiries/{inquiry}/decide");
        let res = hq
            .post(
                &decide,
                &[
                    ("number", "1"),
                    ("decision", "adopted"),
                    ("decision_text", ""),
                ],
            )
            .await;
        assert!(res.body.contains("理由を記入"), "{}", res.body);
        let res = hq
            .post(
                &decide,
                &[
                    ("number", "1"),
                    ("decision", "adopted"),
                    ("decision_text", "計画に明示した。"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = t.client().get(&format!("/councils/{body}")).await;
        assert!(
            page.body.contains("居住誘導区域を明示すること。")
                && page.body.contains("採用")
                && page.body.contains("計画に明示した。"),
            "{}",
            page.body
        );
        assert!(page.body.contains("公共交通との連携を図ること") && page.body.contains("検討中"));
        t
    })
    .await;
}

#[tokio::test]
async fn a_call_for_members_takes_applications_in_its_period_and_publishes_only_the_result() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let call: i64 = sqlx::query_scalar("SELECT id FROM cn_calls WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let mut guest = t.client();
        let apply = format!("/councils/calls/{call}/apply");
        // The form is multipart (the essay may come as a file); these send none.
        const NO_FILE: (&str, &str, &[u8]) = ("essay_file", "", b"");
        let form = |email: &'static str, essay: &'static str| {
            vec![("name", "応募 花子"), ("kana", "おうぼ はなこ"), ("gender", "female"), ("address", "会津若松市城東町"), ("email", email), ("essay", essay)]
        };
        let res = guest.post_multipart(&apply, &form("hanako@example.jp", ""), NO_FILE).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = guest.post_multipart(&apply, &form("hanako@example.jp", "協働で公共交通を見直したい。"), NO_FILE).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = guest.post_multipart(&apply, &form("HANAKO@example.jp", "二度目"), NO_FILE).await;
        assert!(res.body.contains("応募済み"), "{}", res.body);
        assert_eq!(guest.post_multipart(&apply, &form("taro@example.jp", "公園の使い方を考えたい。"), NO_FILE).await.status, StatusCode::SEE_OTHER);
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let page = hq.get(&format!("/hq/councils/calls/{call}")).await;
        assert!(page.body.contains("協働で公共交通を見直したい。") && page.body.contains("hanako@example.jp"));
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM cn_applications WHERE organization_id = $1 AND call_id = $2 ORDER BY submitted_at")
            .bind(org)
            .bind(call)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        let decide = format!("/hq/councils/calls/{call}/decide");
        let res = hq.post(&decide, &[("selected", &ids[0].to_string()), ("result", "")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = hq.post(&decide, &[("selected", &ids[0].to_string()), ("result", "応募者2名のうち1名を選任しました。")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let public = guest.get(&format!("/councils/calls/{call}")).await;
        assert!(public.body.contains("応募者2名のうち1名を選任しました。"), "{}", public.body);
        assert!(!public.body.contains("応募 花子") && !public.body.contains("協働で公共交通"), "applications stay private");
        assert!(!public.body.contains("f-essay"), "closed once decided");
        t
    })
    .await;
}
