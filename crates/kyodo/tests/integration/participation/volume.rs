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
