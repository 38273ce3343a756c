//! What leaves the building: open data and the API carry published content only; anonymous pages
//! come precompressed from the cache — on both backends.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn open_data_and_the_api_carry_published_content_only() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = seed_item(&t, "S-1.3.1").await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let fy2010 = period(&t, plan, 2010).await.to_string();
        let saved = staff
            .post(
                &format!("/plans/items/{node}/report"),
                &[
                    ("period", &fy2010),
                    ("progress", "in_progress"),
                    ("rating", "A"),
                    ("did", "秘密の下書き"),
                    ("evaluation", ""),
                    ("next_steps", ""),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        // The draft exists, so its absence below means something.
        let (drafts,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM progress_report_versions WHERE did = '秘密の下書き'",
        )
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(drafts, 1);
        let mut c = t.client();
        for name in ["items", "reports", "indicators", "effects"] {
            let res = c.get(&format!("/plans/{plan}/{name}.csv")).await;
            assert_eq!(res.status, StatusCode::OK);
            assert!(res.body.starts_with('\u{feff}'), "{name}: BOM for Excel");
            assert!(
                res.headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
            );
            assert!(!res.body.contains("秘密の下書き"));
        }
        let items = c.get(&format!("/plans/{plan}/items.csv")).await;
        assert_eq!(
            demo_csv(&items).lines().count(),
            1 + 48,
            "header and every node"
        );
        let json = c.get(&format!("/api/v1/plans/{plan}")).await;
        let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(
            v["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["trackable"] == true)
                .count(),
            37
        );
        assert_eq!(v["reports"].as_array().unwrap().len(), 74);
        assert!(!json.body.contains("秘密の下書き"));
        let annual = c
            .get(&format!("/plans/{plan}/annual-report?year=2009"))
            .await;
        assert!(
            annual.body.contains("平成21年度(2009年度)")
                && annual.body.contains("自治基本条例の検討")
        );
        t
    })
    .await;
}

/// A gzip answer's page.
fn gunzipped(gz: &Res) -> String {
    assert_eq!(gz.headers["content-encoding"], "gzip");
    let mut html = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz.bytes[..]), &mut html)
        .unwrap();
    html
}

#[tokio::test]
async fn anonymous_pages_come_precompressed_from_the_cache() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, _) = seed_item(&t, "S-1.1.1").await;
        let path = format!("/plans/{plan}?viewpoint=");
        let mut c = t.client();
        let gzip = |c: &Client| {
            c.request("GET", &path)
                .header("accept-encoding", "br;q=1, gzip;q=0.8")
                .body(axum::body::Body::empty())
                .unwrap()
        };
        // The first request renders and fills the cache, the second is served from it: both gzip.
        let first = c.send(gzip(&c)).await;
        let second = c.send(gzip(&c)).await;
        // The hit comes from the outermost fast path: the same headers as the full stack's answer
        // (security headers, cache policy, type, encoding, vary) and the same bytes.
        assert_eq!(first.headers, second.headers);
        assert_eq!(first.bytes, second.bytes);
        assert!(second.headers.contains_key("content-security-policy"));
        assert_eq!(second.headers["cache-control"], "no-cache");
        let plain = c.get(&path).await;
        assert_eq!(plain.status, StatusCode::OK);
        assert!(plain.headers.get("content-encoding").is_none());
        for gz in [first, second] {
            assert_eq!(gunzipped(&gz), plain.body);
            assert!(gz.bytes.len() * 3 < plain.bytes.len(), "compressed");
        }
        let refused = c
            .request("GET", &path)
            .header("accept-encoding", "gzip;q=0")
            .body(axum::body::Body::empty())
            .unwrap();
        assert!(
            c.send(refused)
                .await
                .headers
                .get("content-encoding")
                .is_none()
        );
        // Made for a client without gzip, the page is kept plain; the first hit that takes gzip
        // gets it compressed, and the next the copy kept.
        let other = format!("/plans/{plan}?viewpoint=&lazy=1");
        let plain = c.get(&other).await;
        assert!(plain.headers.get("content-encoding").is_none());
        for _ in 0..2 {
            let gz = c
                .send(
                    c.request("GET", &other)
                        .header("accept-encoding", "gzip")
                        .body(axum::body::Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(gunzipped(&gz), plain.body);
        }
        t
    })
    .await;
}

/// A write drops only the cached pages that can show what it changed (`web/cache_scope.rs`): an
/// evaluation write leaves plan pages cached, a plan write drops them.
#[tokio::test]
async fn a_write_drops_only_the_cached_pages_that_can_show_it() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (plan, _) = seed_item(&t, "S-1.1.1").await;
        let page = format!("/plans/{plan}");
        let mut visitor = t.client();
        assert_eq!(visitor.get(&page).await.status, StatusCode::OK);
        // Changed behind the application's back: only a fresh render shows it.
        let title = "裏口で変えた計画名";
        sqlx::query("UPDATE plans SET title = $1 WHERE organization_id = $2 AND id = $3")
            .bind(title)
            .bind(org)
            .bind(plan)
            .execute(&t.app.db)
            .await
            .unwrap();
        let cycle = scalar(
            &t,
            "SELECT MIN(id) FROM eval_cycles WHERE organization_id = $1",
            org,
        )
        .await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .submit(&format!("/hq/evaluation/cycles/{cycle}/remind"), &[])
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(
            !visitor.get(&page).await.body.contains(title),
            "an evaluation write leaves the plan page cached"
        );
        let res = hq
            .post(
                &format!("/hq/plans/{plan}"),
                &[("plan_title", title), ("plan_goal", "市民とともに")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(
            visitor.get(&page).await.body.contains(title),
            "a plan write drops it"
        );
        t
    })
    .await;
}
