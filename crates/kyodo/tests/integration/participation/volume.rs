use super::*;
use axum::http::StatusCode;

/// A viral consultation in miniature: opinions from many guests at once all get distinct receipt
/// numbers and none is lost, on both databases.
#[tokio::test]
async fn concurrent_guests_get_distinct_receipts_and_none_is_lost() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let id = open_consultation(&t, "同時送信", &day(0), &day(30)).await;
        let tasks: Vec<_> = (0..24)
            .map(|i| {
                let mut c = t.client();
                async move {
                    let email = format!("g{i}@example.jp");
                    let body = format!("意見その{i}");
                    let res = c
                        .post(
                            &format!("/consultations/{id}/opinion"),
                            &[("section", "0"), ("body", &body), ("name", "名前"), ("address", "市内"), ("email", &email), ("eligibility", "resident")],
                        )
                        .await;
                    res.status
                }
            })
            .collect();
        for s in futures_util::future::join_all(tasks).await {
            assert_eq!(s, StatusCode::SEE_OTHER);
        }
        let (n, distinct): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT receipt_no) FROM pc_opinions WHERE organization_id = $1 AND consultation_id = $2",
        )
        .bind(org)
        .bind(id)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!((n, distinct), (24, 24));
        t
    })
    .await;
}

/// The department's work page shows 50 opinions at a time, filtered by section and by whether
/// they are grouped yet — a viral consultation's 10,000 never land on one page.
#[tokio::test]
async fn the_work_page_pages_and_filters_the_opinions() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let id = open_consultation(&t, "ページ分け", &day(0), &day(30)).await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let enter = format!("/staff/consultations/{id}/opinions");
        for i in 1..=55 {
            let section = if i <= 40 { "1" } else { "2" };
            let body = format!("郵送の意見{i:02}");
            let res = staff
                .post(&enter, &[("channel", "mail"), ("section", section), ("body", &body), ("name", "郵送 花子"), ("address", "市内"), ("eligibility", "resident")])
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        let work = format!("/staff/consultations/{id}");
        let first = staff.get(&work).await;
        assert!(first.body.contains("1〜50件目(該当 55件)") && first.body.contains("郵送の意見50") && !first.body.contains("郵送の意見51"), "{}", first.body);
        assert!(first.body.contains("page=2"), "a link to the next page");
        let second = staff.get(&format!("{work}?section=&ungrouped=&page=2")).await;
        assert!(second.body.contains("51〜55件目") && second.body.contains("郵送の意見55") && !second.body.contains("郵送の意見01"), "{}", second.body);
        // Section 2 only; then group three of them and ask for the ungrouped ones.
        let sec2 = staff.get(&format!("{work}?section=2")).await;
        assert!(sec2.body.contains("該当 15件") && !sec2.body.contains("郵送の意見40<"), "{}", sec2.body);
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM pc_opinions WHERE organization_id = $1 AND consultation_id = $2 AND section_number = 2 ORDER BY receipt_no LIMIT 3")
            .bind(t.demo_org().await)
            .bind(id)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        let mut group = vec![("summary".to_string(), "同じ趣旨の意見".to_string())];
        group.extend(ids.iter().map(|o| ("opinion".to_string(), o.to_string())));
        assert_eq!(staff.post_owned(&format!("{work}/groups"), &group).await.status, StatusCode::SEE_OTHER);
        let left = staff.get(&format!("{work}?section=2&ungrouped=1")).await;
        assert!(left.body.contains("該当 12件") && !left.body.contains("郵送の意見41<"), "{}", left.body);
        assert_eq!(staff.get(&format!("{work}?section=x&page=-3")).await.status, StatusCode::OK, "nonsense shows the first page");
        t
    })
    .await;
}
