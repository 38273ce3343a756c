//! A read replica (`KYODO_DATABASE_REPLICA_URL`) behind a real PostgreSQL streaming replication
//! (`scripts/pg-replica.sh`, started by `scripts/test.sh`): anonymous reads go there only when it
//! has every write the instance knows of, and pages stay up when it stops.

use crate::support::*;
use axum::http::StatusCode;
use kyodo::db::Db;
use std::time::{Duration, Instant};

/// The replica's URL for database `name` (`KYODO_TEST_REPLICA_URL` names its `kyodo_test`).
fn replica_url(name: Option<&str>) -> Option<String> {
    let base = std::env::var("KYODO_TEST_REPLICA_URL").ok();
    if base.is_none() && std::env::var("KYODO_TEST_REQUIRE_REPLICA").as_deref() == Ok("1") {
        panic!("KYODO_TEST_REQUIRE_REPLICA=1 but KYODO_TEST_REPLICA_URL is not set");
    }
    let mut url = url::Url::parse(&base?).ok()?;
    if let Some(name) = name {
        url.set_path(&format!("/{name}"));
    }
    Some(url.to_string())
}

async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "waited too long: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn title_on(db: &Db, plan: i64) -> Option<String> {
    sqlx::query_scalar("SELECT title FROM plans WHERE id = $1")
        .bind(plan)
        .fetch_optional(db)
        .await
        .ok()
        .flatten()
}

async fn replay(control: &Db, on: bool) {
    let f = if on {
        "pg_wal_replay_resume"
    } else {
        "pg_wal_replay_pause"
    };
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {f}()::TEXT")))
        .execute(control)
        .await
        .expect("pause or resume replay on the replica");
}

#[tokio::test]
async fn anonymous_reads_go_to_a_current_replica_never_to_a_lagging_one() {
    if replica_url(None).is_none() {
        return;
    }
    each_backend(|t| async move {
        if t.backend != "postgres" {
            return t;
        }
        let t = t.with_demo().await;
        let (plan, _) = seed_item(&t, "S-1.3.1").await;
        let name = t
            .app
            .config
            .database_url
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let on_replica = replica_url(Some(&name)).unwrap();
        let control = kyodo::db::connect(&replica_url(None).unwrap())
            .await
            .unwrap();
        replay(&control, true).await;
        let mut replica_db = None;
        until("the test database on the replica", async || {
            if replica_db.is_none() {
                replica_db = kyodo::db::connect(&on_replica).await.ok();
            }
            match &replica_db {
                Some(db) => title_on(db, plan).await.is_some(),
                None => false,
            }
        })
        .await;
        let replica_db = replica_db.unwrap();
        let (app, mut visitor) = t
            .instance_with(|c| c.database_replica_url = Some(on_replica.clone()))
            .await;
        let replica = app.replica.clone().expect("replica configured");
        let org = t.demo_org().await;
        until("the replica is current", async || {
            replica.reader_for(org).is_some()
        })
        .await;
        let mut hq = Client {
            router: visitor.router.clone(),
            host: HOST.into(),
            cookies: [("kyodo_csrf".to_string(), CSRF.to_string())].into(),
        };
        hq.login("hq@demo.kyodo.jp", PASSWORD).await;

        // 1. The replica lags behind a write made here: anonymous pages read the primary.
        replay(&control, false).await;
        let t1 = "実施計画(レプリカ試験1)";
        let res = hq
            .post(
                &format!("/hq/plans/{plan}"),
                &[("plan_title", t1), ("plan_goal", "目標")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_ne!(
            title_on(&replica_db, plan).await.as_deref(),
            Some(t1),
            "replica paused"
        );
        assert!(
            replica.reader_for(org).is_none(),
            "a lagging replica is not used"
        );
        let page = visitor.get("/plans?v=1").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(t1), "the visitor sees the write at once");

        // 2. Caught up, the replica serves anonymous reads: a change it has not replayed (made
        //    behind Kyodo's back, so no instance knows of it) is not seen there; staff read the
        //    primary and see it.
        replay(&control, true).await;
        until("the replica has the write", async || {
            title_on(&replica_db, plan).await.as_deref() == Some(t1)
        })
        .await;
        until("the instance sees the replica current", async || {
            replica.reader_for(org).is_some()
        })
        .await;
        replay(&control, false).await;
        let t2 = "実施計画(レプリカ試験2)";
        sqlx::query("UPDATE plans SET title = $1 WHERE id = $2")
            .bind(t2)
            .bind(plan)
            .execute(&t.app.db)
            .await
            .unwrap();
        // A poll of the replica can time out on a loaded machine and send a read to the primary
        // for a moment (which shows t2): ask again, on a new address each time (the page cache),
        // until a read comes from the replica. A read that never goes there fails the wait.
        let mut n = 100;
        until("an anonymous read served by the replica", async || {
            n += 1;
            let page = visitor.get(&format!("/plans?v={n}")).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                page.body.contains(t1) != page.body.contains(t2),
                "one title or the other"
            );
            page.body.contains(t1)
        })
        .await;
        let staff = hq.get("/plans").await;
        assert!(staff.body.contains(t2), "staff read the primary");
        replay(&control, true).await;

        // 3. The replica stops: public pages stay up, read from the primary.
        control.close().await;
        replica_db.close().await;
        let stop = std::process::Command::new("scripts/pg-replica.sh")
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .args([
                "stop",
                &url::Url::parse(&on_replica)
                    .unwrap()
                    .port()
                    .unwrap()
                    .to_string(),
            ])
            .status()
            .expect("run scripts/pg-replica.sh");
        assert!(stop.success());
        until("the instance notices", async || !replica.is_up()).await;
        for n in 3..13 {
            let page = visitor.get(&format!("/plans?v={n}")).await;
            assert_eq!(
                page.status,
                StatusCode::OK,
                "page {n} with the replica down"
            );
            assert!(page.body.contains(t2), "now from the primary");
        }
        t
    })
    .await;
}
