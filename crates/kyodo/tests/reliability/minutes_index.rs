//! The minutes search index survives SIGKILL. `kyodo minutes import` is killed before its
//! commit and right after it (while it indexes), and `kyodo minutes reindex` midway; after each
//! kill a server is started on the same data directory and every query's total must equal the
//! speeches the database holds — the index left behind is completed or rebuilt at start — and an
//! import is either all there or not at all.

use super::*;
use std::path::PathBuf;

const TERMS: [&str; 4] = ["財政", "防災", "市", "行政改革大綱"];

/// Plain-text minutes files of `per_file` speeches each, the terms spread unevenly.
fn corpus(dir: &Path, files: usize, per_file: usize) -> Vec<PathBuf> {
    (0..files)
        .map(|f| {
            let mut t = format!(
                "令和7年6月定例会 本会議\n令和7年6月{}日(火曜日)\n━━━━━━━━━━\n",
                f % 28 + 1
            );
            for i in 0..per_file {
                let k = f * per_file + i;
                let topic = match k % 7 {
                    0 => "財政の健全化について",
                    1 | 2 => "地域の防災訓練について",
                    3 => "行政改革大綱の進み具合について",
                    _ => "子育て支援の拡充について",
                };
                t.push_str(&format!(
                    "◆{}番（議員{k}君）　{topic}伺います。質問番号{k}です。\n",
                    k % 30 + 1
                ));
            }
            let path = dir.join(format!("minutes-{f}.txt"));
            std::fs::write(&path, t).unwrap();
            path
        })
        .collect()
}

async fn meetings(db: &kyodo::db::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM minutes_meetings")
        .fetch_one(db)
        .await
        .unwrap()
}

/// Every term's total from the server equals the database's count of speeches containing it.
async fn totals_match(dir: &Path, db_url: &str, db: &kyodo::db::Db, when: &str) {
    let port = free_port();
    let _server = Server(start(dir, db_url, port).await);
    for term in TERMS {
        // The corpus is kanji prose, its own normalised form: a plain LIKE is the naive scan.
        let naive: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM minutes_speeches WHERE speaker_raw <> '' AND text LIKE $1",
        )
        .bind(format!("%{term}%"))
        .fetch_one(db)
        .await
        .unwrap();
        let r = http(
            port,
            "GET",
            &format!("/api/v1/minutes/speech?any={}&maximumRecords=1", enc(term)),
            "",
            "",
        )
        .await
        .unwrap();
        assert_eq!(r.status, 200, "{when}: {}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(
            v["numberOfRecords"].as_i64(),
            Some(naive),
            "{when}: the total of {term} differs from the database"
        );
    }
}

/// Runs `kyodo minutes …` and kills it with SIGKILL when `kill_when` says so (or lets it end).
async fn killed(
    dir: &Path,
    db_url: &str,
    args: &[&str],
    mut kill_when: impl AsyncFnMut() -> bool,
) -> bool {
    let mut child = kyodo(dir, db_url, args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if kill_when().await {
            child.kill().unwrap();
            child.wait().unwrap();
            return true;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn index_test(dir: PathBuf, db_url: String, backend: &str) {
    std::fs::create_dir_all(&dir).unwrap();
    assert!(
        kyodo(&dir, &db_url, &["demo"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let db = kyodo::db::connect(&db_url).await.unwrap();
    let files = corpus(&dir, 12, 500);
    let import_args = |issue: &'static str| {
        let mut a = vec!["minutes", "import", "--body", "本会議", "--issue", issue];
        a.extend(files.iter().map(|p| p.to_str().unwrap()));
        a
    };

    // 1. Killed before its commit: nothing of it is there.
    let before = meetings(&db).await;
    let started = Instant::now();
    let was_killed = killed(&dir, &db_url, &import_args("第1号"), async || {
        started.elapsed() > Duration::from_millis(150)
    })
    .await;
    assert!(was_killed, "{backend}: the import ended within 150 ms");
    let after = meetings(&db).await;
    assert!(
        after == before || after == before + 12,
        "{backend}: an import killed midway left {} of 12 meetings",
        after - before
    );
    totals_match(
        &dir,
        &db_url,
        &db,
        &format!("{backend}, import killed early"),
    )
    .await;

    // 2. Killed the moment its transaction is visible, while it writes the index.
    let before = meetings(&db).await;
    let was_killed = killed(&dir, &db_url, &import_args("第2号"), async || {
        meetings(&db).await > before
    })
    .await;
    assert!(
        was_killed,
        "{backend}: the import ended before its commit was seen"
    );
    assert_eq!(
        meetings(&db).await,
        before + 12,
        "{backend}: all or nothing"
    );
    totals_match(
        &dir,
        &db_url,
        &db,
        &format!("{backend}, import killed while indexing"),
    )
    .await;

    // 3. A rebuild killed halfway (timed by one that ran to its end) leaves the last complete
    // index, which start completes.
    let started = Instant::now();
    let whole = kyodo(&dir, &db_url, &["minutes", "reindex"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(whole.success());
    let half = started.elapsed() / 2;
    let started = Instant::now();
    let was_killed = killed(&dir, &db_url, &["minutes", "reindex"], async || {
        started.elapsed() > half
    })
    .await;
    assert!(
        was_killed,
        "{backend}: the rebuild ended before half its time"
    );
    totals_match(&dir, &db_url, &db, &format!("{backend}, reindex killed")).await;
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_minutes_index_survives_sigkill_of_import_and_reindex() {
    let dir = std::env::temp_dir().join(unique("kyodo-minutes-kill"));
    let url = format!("sqlite://{}", dir.join("kyodo.db").display());
    index_test(dir.clone(), url, "sqlite").await;
    let _ = std::fs::remove_dir_all(&dir);

    if let Some((admin_url, url, name)) = postgres_database("kyodo_minutes_kill").await {
        let dir = std::env::temp_dir().join(unique("kyodo-minutes-kill-pg"));
        index_test(dir.clone(), url, "postgres").await;
        let _ = std::fs::remove_dir_all(&dir);
        drop_databases(&admin_url, &[name]).await;
    }
}
