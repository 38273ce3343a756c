//! Crash durability: the real `kyodo` binary takes concurrent writes (citizens' comments and
//! progress-report saves) and is killed with SIGKILL in the middle, at several points. After a
//! restart every write that got a success response must be present exactly once, the database must
//! pass its integrity check, and the audit hash chain must verify.
//!
//! `KYODO_CRASH_ROUNDS` (default 3) sets how many kill points are tried; the long form in
//! docs/RELIABILITY.md uses more.

use super::*;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const WRITERS: usize = 16;

/// (item id for comments, item id and FY2010 period id the demo staff member reports on).
pub(crate) async fn targets(db: &kyodo::db::Db) -> (i64, i64, i64) {
    let (item,): (i64,) = sqlx::query_as("SELECT id FROM plan_nodes WHERE seed_ref = 'S-3.1.1'")
        .fetch_one(db)
        .await
        .unwrap();
    let (staff_item, period): (i64, i64) = sqlx::query_as(
        "SELECT n.id, p.id FROM plan_nodes n JOIN reporting_periods p ON p.plan_id = n.plan_id WHERE n.seed_ref = 'S-1.3.4' AND p.fiscal_year = 2010",
    )
    .fetch_one(db)
    .await
    .unwrap();
    (item, staff_item, period)
}

/// One round: writers run until the kill; returns the acknowledged comment bodies and report texts.
async fn round(
    port: u16,
    kill_after: Duration,
    server: &mut Child,
    ids: (i64, i64, i64),
    round: usize,
) -> (Vec<String>, Vec<String>) {
    let citizen = login(port, "citizen@demo.kyodo.jp").await;
    let staff = login(port, "staff@demo.kyodo.jp").await;
    let stop = Arc::new(AtomicBool::new(false));
    // Acknowledged writes of each kind so far: the kill waits until both kinds have some.
    let acked = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let (citizen, staff, stop, acked) =
            (citizen.clone(), staff.clone(), stop.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            let (mut comments, mut reports) = (Vec::new(), Vec::new());
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let text = format!("crash-{round}-{w}-{i}");
                if w % 4 == 0 {
                    // Progress-report saves: each acknowledged save is a new version.
                    let form = format!(
                        "csrf={}&period={}&progress=in_progress&rating=A&did={text}&evaluation=e&next_steps=n",
                        token_for(&staff),
                        ids.2
                    );
                    match http(port, "POST", &format!("/plans/items/{}/report", ids.1), &staff, &form).await {
                        Ok(r) if r.status == 303 => {
                            reports.push(text);
                            acked[1].fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(r) if r.status >= 500 && r.status != 503 => panic!("server error {}: {}", r.status, r.body),
                        _ => {}
                    }
                } else {
                    let form = format!("csrf={}&body={text}", token_for(&citizen));
                    // A stored comment answers 303 (Post/Redirect/Get), whether published or held.
                    match http(port, "POST", &format!("/plans/items/{}/comments", ids.0), &citizen, &form).await {
                        Ok(r) if r.status == 303 => {
                            comments.push(text);
                            acked[0].fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(r) if r.status >= 500 && r.status != 503 => panic!("server error {}: {}", r.status, r.body),
                        _ => {}
                    }
                }
            }
            (comments, reports)
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while (acked[0].load(Ordering::Relaxed) == 0 || acked[1].load(Ordering::Relaxed) == 0)
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(kill_after).await;
    server.kill().unwrap(); // SIGKILL: no graceful shutdown, no flush
    server.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    let (mut comments, mut reports) = (Vec::new(), Vec::new());
    for t in tasks {
        let (c, r) = t.await.unwrap();
        comments.extend(c);
        reports.extend(r);
    }
    (comments, reports)
}

async fn crash_test(dir: PathBuf, db_url: String, backend: &str) {
    std::fs::create_dir_all(&dir).unwrap();
    assert!(
        kyodo(&dir, &db_url, &["demo"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let rounds: usize = std::env::var("KYODO_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    assert!(
        rounds >= 1,
        "KYODO_CRASH_ROUNDS must be at least 1: no round proves nothing"
    );
    let db = kyodo::db::connect(&db_url).await.unwrap();
    let ids = targets(&db).await;
    let (mut all_comments, mut all_reports) = (Vec::new(), Vec::new());
    for r in 0..rounds {
        let port = free_port();
        let mut server = start(&dir, &db_url, port).await;
        // Kill points spread over the first second and a half of load (after the first acknowledgements).
        let kill_after = Duration::from_millis(300 + (r as u64 * 577) % 1200);
        let (c, rep) = round(port, kill_after, &mut server, ids, r).await;
        assert!(
            !c.is_empty() && !rep.is_empty(),
            "round {r} on {backend}: no write was acknowledged before the kill"
        );
        all_comments.extend(c);
        all_reports.extend(rep);
        // Restart on the same data: it must come up, and every acknowledged write must be there.
        let port = free_port();
        let mut again = start(&dir, &db_url, port).await;
        let stored: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM citizen_comments WHERE body LIKE 'crash-%'")
                .fetch_all(&db)
                .await
                .unwrap();
        let stored: std::collections::HashMap<String, usize> =
            stored.into_iter().fold(Default::default(), |mut m, (b,)| {
                *m.entry(b).or_default() += 1;
                m
            });
        for c in &all_comments {
            assert_eq!(
                stored.get(c),
                Some(&1),
                "{backend}: acknowledged comment {c} lost or duplicated after the kill in round {r}"
            );
        }
        let versions: Vec<(String,)> =
            sqlx::query_as("SELECT did FROM progress_report_versions WHERE did LIKE 'crash-%'")
                .fetch_all(&db)
                .await
                .unwrap();
        for rep in &all_reports {
            assert_eq!(
                versions.iter().filter(|(d,)| d == rep).count(),
                1,
                "{backend}: acknowledged report save {rep} lost after the kill in round {r}"
            );
        }
        again.kill().unwrap();
        again.wait().unwrap();
        eprintln!(
            "{backend} round {r}: killed after {kill_after:?}; {} comments and {} report saves acknowledged so far, all present",
            all_comments.len(),
            all_reports.len()
        );
    }
    if backend == "sqlite" {
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
    let verify = kyodo(&dir, &db_url, &["audit", "verify"]).output().unwrap();
    assert!(
        verify.status.success(),
        "{backend}: audit chain broken after kills: {}",
        String::from_utf8_lossy(&verify.stdout)
    );
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let dir = std::env::temp_dir().join(unique("kyodo-crash"));
    let url = format!("sqlite://{}", dir.join("kyodo.db").display());
    crash_test(dir.clone(), url, "sqlite").await;
    let _ = std::fs::remove_dir_all(&dir);

    if let Some((admin_url, url, name)) = postgres_database("kyodo_crash").await {
        let dir = std::env::temp_dir().join(unique("kyodo-crash-pg"));
        crash_test(dir.clone(), url, "postgres").await;
        let _ = std::fs::remove_dir_all(&dir);
        drop_databases(&admin_url, &[name]).await;
    }
}
