//! Several Kyodo instances on one PostgreSQL: a write on one empties the page caches of the
//! others (LISTEN/NOTIFY), so no visitor is served a stale page until it expires.

use crate::support::*;
use axum::http::StatusCode;
use std::time::{Duration, Instant};

/// Waits, with a bound, until `n` connections of this database listen on the cache channel.
async fn listeners_ready(t: &TestApp, n: i64) {
    let start = Instant::now();
    loop {
        let listening: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%kyodo_cache%'",
        )
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        if listening >= n {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "only {listening} of {n} listening"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_write_on_one_instance_empties_the_page_cache_of_the_other() {
    each_backend(|t| async move {
        if t.backend != "postgres" {
            return t; // one SQLite file has one server
        }
        let t = t.with_demo().await;
        let (plan, _) = seed_item(&t, "S-1.3.1").await;
        let page = format!("/plans/{plan}");
        let mut b = t.second_instance().await;
        // Instance A is the test app's own router, B the second; both listen.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        listeners_ready(&t, 2).await;
        let before = b.get(&page).await;
        assert_eq!(before.status, StatusCode::OK);
        assert_eq!(
            b.get(&page).await.body,
            before.body,
            "B serves its cached copy"
        );
        let title = "協働による行政改革実施計画(改訂版)";
        assert!(!before.body.contains(title));
        let res = hq
            .post(
                &format!("/hq/plans/{plan}"),
                &[("plan_title", title), ("plan_goal", "市民とともに")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // The target is 100 ms; the bound here is wide so a busy test machine does not fail it.
        let start = Instant::now();
        loop {
            if b.get(&page).await.body.contains(title) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "instance B still serves the old page"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        t
    })
    .await;
}

#[tokio::test]
async fn the_per_address_sign_in_limit_holds_across_instances() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        // Two routers on one database: two instances' worth of process memory.
        let limited = |c: &mut kyodo::config::Config| c.login_per_minute = 3;
        let (mut a, mut b) = (t.client_with_config(limited), t.client_with_config(limited));
        for c in [&mut a, &mut b] {
            c.cookies.insert("kyodo_csrf".into(), CSRF.into());
        }
        let address = [203, 0, 113, 7];
        let login = crate::accounts::sign_in::login_from;
        for n in 0..3 {
            let c = if n == 1 { &mut b } else { &mut a };
            let res = login(c, address, "nobody@example.jp", "wrong").await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {n}");
        }
        let res = login(&mut b, address, "nobody@example.jp", "wrong").await;
        assert_eq!(
            res.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the fourth, on the other instance"
        );
        assert!(res.body.contains("短時間にログインの試行が多すぎます"));
        let res = login(&mut a, [203, 0, 113, 8], "nobody@example.jp", "wrong").await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "another address is not limited"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_write_on_one_instance_refreshes_the_data_snapshots_of_the_other() {
    each_backend(|t| async move {
        if t.backend != "postgres" {
            return t; // one SQLite file has one server
        }
        let t = t.with_demo().await;
        let (plan, item) = seed_item(&t, "S-1.3.1").await;
        let page = format!("/plans/items/{item}");
        // Signed-in visitors get no cached pages: what B shows them comes from B's snapshots of
        // the plan and the item, and so does every page an anonymous query string makes unique.
        let mut b = t.second_instance().await;
        b.login("staff@demo.kyodo.jp", PASSWORD).await;
        let mut anonymous = t.second_instance().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        listeners_ready(&t, 3).await;
        let title = "協働による行政改革実施計画(第2版)";
        assert!(!b.get(&page).await.body.contains(title));
        assert!(
            !anonymous
                .get(&format!("{page}?v=0"))
                .await
                .body
                .contains(title)
        );
        let res = hq
            .post(
                &format!("/hq/plans/{plan}"),
                &[("plan_title", title), ("plan_goal", "市民とともに")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let start = Instant::now();
        for n in 1.. {
            let staff = b.get(&page).await.body.contains(title);
            let public = anonymous
                .get(&format!("{page}?v={n}"))
                .await
                .body
                .contains(title);
            if staff && public {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "instance B still shows the old plan (staff {staff}, public {public})"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        t
    })
    .await;
}
