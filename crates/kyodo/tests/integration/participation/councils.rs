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
async fn observers_beyond_the_capacity_wait_and_the_minutes_are_published() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let body: i64 = sqlx::query_scalar("SELECT id FROM cn_bodies WHERE organization_id = $1 AND name = '行政改革推進委員会(デモ)'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let announce = format!("/hq/councils/{body}/meetings");
        let day = day(7);
        let res = hq
            .post(&announce, &[("held_on", &day), ("starts_at", "2時"), ("place", "第2会議室"), ("agenda", "諮問"), ("capacity", "3")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("14:00 の形") && res.body.contains("非公開にする場合は"), "{}", res.body);
        let res = hq
            .post(&announce, &[("held_on", &day), ("starts_at", "14:00"), ("place", "第2会議室"), ("agenda", "諮問"), ("is_public", "1"), ("capacity", "３")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let meeting = res.location().rsplit('/').next().unwrap().to_string();
        let observe = format!("/councils/meetings/{meeting}/observe");
        // Eight people at once for three seats: three seats, five waiting, no position twice.
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let mut c = t.client();
                let observe = observe.clone();
                async move {
                    let email = format!("obs{i}@example.jp");
                    c.post(&observe, &[("name", "傍聴 希望"), ("email", &email)]).await.status
                }
            })
            .collect();
        for s in futures_util::future::join_all(tasks).await {
            assert_eq!(s, StatusCode::SEE_OTHER);
        }
        let (n, distinct, max): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT position), MAX(position) FROM cn_observers WHERE organization_id = $1 AND meeting_id = $2",
        )
        .bind(org)
        .bind(meeting.parse::<i64>().unwrap())
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!((n, distinct, max), (8, 8, 8));
        let mut guest = t.client();
        let res = guest.post(&observe, &[("name", "もう一人"), ("email", "more@example.jp")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = guest.get(res.location()).await;
        assert!(page.body.contains("キャンセル待ち 6 番目"), "{}", page.body);
        let res = guest.post(&observe, &[("name", "もう一人"), ("email", "MORE@example.jp")]).await;
        assert!(res.body.contains("申込み済み"), "{}", res.body);
        // Ten from one client address today (the default allowance): the eleventh is refused, and
        // nothing of it is kept.
        let res = guest.post(&observe, &[("name", "十一人目"), ("email", "eleven@example.jp")]).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(!hq.get(&format!("/hq/councils/meetings/{meeting}")).await.body.contains("eleven@example.jp"));

        // A seated observer cancels with the mailed link (which asks first; a wrong key opens
        // nothing): the first on the waiting list takes the seat and is told by mail.
        let email_at = |position: i64| {
            let db = t.app.db.clone();
            let meeting = meeting.clone();
            async move {
                sqlx::query_scalar::<_, String>("SELECT email FROM cn_observers WHERE organization_id = $1 AND meeting_id = $2 AND position = $3")
                    .bind(org)
                    .bind(meeting.parse::<i64>().unwrap())
                    .bind(position)
                    .fetch_one(&db)
                    .await
                    .unwrap()
            }
        };
        let (seated, first_waiting) = (email_at(1).await, email_at(4).await);
        let mail = t.outbox(org).await.into_iter().find(|m| m.to == seated).expect("the registration mail");
        let link = mail.body.lines().find(|l| l.contains("/cancel?")).expect("a cancel link").to_string();
        let path = &link[link.find("/councils/").unwrap()..];
        assert_eq!(guest.get(&path.replace("key=", "key=x")).await.status, StatusCode::NOT_FOUND);
        let ask = guest.get(path).await;
        assert_eq!(ask.status, StatusCode::OK);
        assert!(ask.body.contains("申込みを取り消す"), "{}", ask.body);
        let (no, key) = path.split_once("no=").unwrap().1.split_once("&key=").unwrap();
        let cancel = format!("/councils/meetings/{meeting}/cancel");
        let res = guest.post(&cancel, &[("no", no), ("key", key)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(guest.post(&cancel, &[("no", no), ("key", key)]).await.status, StatusCode::NOT_FOUND, "once only");
        assert!(t.outbox(org).await.iter().any(|m| m.to == first_waiting && m.subject.contains("繰り上げ")));
        let staff_view = hq.get(&format!("/hq/councils/meetings/{meeting}")).await;
        let row = |email: &str| staff_view.body.split("<tr>").find(|r| r.contains(email)).unwrap().to_string();
        assert!(row(&seated).contains("取消し") && row(&first_waiting).contains("傍聴可"), "{}", staff_view.body);
        let staff_view = hq.get(&format!("/hq/councils/meetings/{meeting}")).await;
        assert!(staff_view.body.contains("more@example.jp") && staff_view.body.contains("キャンセル待ち"));

        // The minutes in the published layout; observers' names and e-mails stay private.
        let minutes = format!("/hq/councils/meetings/{meeting}/minutes");
        let res = hq.post(&minutes, &[("observer_count", "-1")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = hq
            .post(&minutes, &[("attendees", "会長 会津 花子 ほか5名"), ("absentees", "なし"), ("observer_count", "3"), ("documents", "資料1"), ("result", "答申案を了承した。")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = guest.get(&format!("/councils/meetings/{meeting}")).await;
        assert!(page.body.contains("答申案を了承した。") && page.body.contains("傍聴者数"), "{}", page.body);
        assert!(!page.body.contains("obs1@example.jp") && !page.body.contains("傍聴 希望"));
        // The minutes archive finds the record, speech by speech.
        let q: String = url::form_urlencoded::byte_serialize("答申案を了承".as_bytes()).collect();
        let found = guest.get(&format!("/minutes?q={q}")).await;
        assert!(found.body.contains("1件の発言") && found.body.contains("行政改革推進委員会(デモ)"), "{}", found.body);
        let list = guest.get(&format!("/councils/{body}")).await;
        assert!(list.body.contains(&format!("/councils/meetings/{meeting}")));
        // Follow-up: the demo links the body to its committee; the committee's published opinion
        // on a plan item shows with the city's response.
        assert!(list.body.contains("計画のフォローアップ") && list.body.contains("/plans/items/"), "{}", list.body);
        let res = hq.post(&format!("/hq/councils/{body}/committee"), &[("committee", "12345")]).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "only the organization's committees");
        let res = hq.post(&format!("/hq/councils/{body}/committee"), &[("committee", "")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let list = guest.get(&format!("/councils/{body}")).await;
        assert!(!list.body.contains("計画のフォローアップ"));
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
