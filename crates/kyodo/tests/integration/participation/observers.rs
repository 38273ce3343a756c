//! 傍聴 on both databases: concurrent registrations past the capacity go to the waiting list without
//! a position given twice, the per-address allowance, cancelling with the mailed key (a seat passed
//! to the first waiting), and the minutes published without observers' personal data.

use super::*;
use axum::http::StatusCode;

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
