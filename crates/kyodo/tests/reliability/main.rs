//! Crash durability: the real `kyodo` binary takes concurrent writes (citizens' comments and
//! progress-report saves) and is killed with SIGKILL in the middle, at several points. After a
//! restart every write that got a success response must be present exactly once, the database must
//! pass its integrity check, and the audit hash chain must verify. Runs on SQLite and, when
//! `KYODO_TEST_POSTGRES_URL` is set, on PostgreSQL.
//!
//! `KYODO_CRASH_ROUNDS` (default 3) sets how many kill points are tried; the long form in
//! docs/RELIABILITY.md uses more.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BIN: &str = env!("CARGO_BIN_EXE_kyodo");
const CSRF: &str = "crash-test-csrf-token-0123456789abcdef";
const WRITERS: usize = 16;

struct Response {
    status: u16,
    cookies: Vec<String>,
    body: String,
}

/// A minimal HTTP/1.1 client: one request per connection, so an in-flight request at the kill is
/// simply an error (not acknowledged).
async fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    form: &str,
) -> std::io::Result<Response> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).await?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: kyodo_csrf={CSRF}; {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let cookies = head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .collect();
    Ok(Response {
        status,
        cookies,
        body: body.to_string(),
    })
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn kyodo(dir: &Path, db: &str, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env("KYODO_DATA_DIR", dir)
        .env("KYODO_DATABASE_URL", db)
        .env("KYODO_LOG", "error")
        .env_remove("KYODO_CONFIG");
    c
}

async fn start(dir: &Path, db: &str, port: u16) -> Child {
    let mut child = kyodo(dir, db, &["serve"])
        .env("KYODO_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if http(port, "GET", "/healthz", "", "")
            .await
            .is_ok_and(|r| r.status == 200)
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("kyodo did not become healthy");
}

async fn login(port: u16, email: &str) -> String {
    let form = format!(
        "csrf={CSRF}&email={}&password={}",
        enc(email),
        enc(kyodo::demo::PASSWORD)
    );
    let r = http(port, "POST", "/login", "", &form).await.unwrap();
    assert_eq!(r.status, 303, "login {email}");
    r.cookies
        .into_iter()
        .find(|c| c.starts_with("kyodo_session="))
        .expect("session cookie")
}

/// (item id for comments, item id and FY2010 period id the demo staff member reports on).
async fn targets(db: &kyodo::db::Db) -> (i64, i64, i64) {
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
                        "csrf={CSRF}&period={}&action=save&progress=in_progress&rating=A&did={text}&evaluation=e&next_steps=n",
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
                    let form = format!("csrf={CSRF}&body={text}");
                    match http(port, "POST", &format!("/plans/items/{}/comments", ids.0), &citizen, &form).await {
                        Ok(r) if r.status == 200 => {
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

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}_{}", std::process::id(), kyodo::db::new_id())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let dir = std::env::temp_dir().join(unique("kyodo-crash"));
    let url = format!("sqlite://{}", dir.join("kyodo.db").display());
    crash_test(dir.clone(), url, "sqlite").await;
    let _ = std::fs::remove_dir_all(&dir);

    match std::env::var("KYODO_TEST_POSTGRES_URL") {
        Ok(admin_url) => {
            let name = unique("kyodo_crash");
            let admin = kyodo::db::connect(&admin_url).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await
                .unwrap();
            let mut url = url::Url::parse(&admin_url).unwrap();
            url.set_path(&format!("/{name}"));
            let dir = std::env::temp_dir().join(unique("kyodo-crash-pg"));
            crash_test(dir.clone(), url.to_string(), "postgres").await;
            let _ = std::fs::remove_dir_all(&dir);
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&admin)
            .await;
            admin.close().await;
        }
        Err(_) => assert!(
            std::env::var("KYODO_TEST_REQUIRE_POSTGRES").is_err(),
            "KYODO_TEST_POSTGRES_URL is required"
        ),
    }
}

/// Comment writers until `stop`; returns the acknowledged bodies.
fn spawn_writers(
    port: u16,
    citizen: String,
    node: i64,
    stop: Arc<AtomicBool>,
    tag: &'static str,
) -> Vec<tokio::task::JoinHandle<Vec<String>>> {
    (0..8)
        .map(|w| {
            let (citizen, stop) = (citizen.clone(), stop.clone());
            tokio::spawn(async move {
                let mut acked = Vec::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let text = format!("{tag}-{w}-{i}");
                    let form = format!("csrf={CSRF}&body={text}");
                    if let Ok(r) = http(
                        port,
                        "POST",
                        &format!("/plans/items/{node}/comments"),
                        &citizen,
                        &form,
                    )
                    .await
                        && r.status == 200
                    {
                        acked.push(text);
                    }
                }
                acked
            })
        })
        .collect()
}

/// The exports an operator would compare: the audit log as CSV and the seed plan as JSON.
async fn exports(port: u16) -> (String, String) {
    let admin = login(port, "admin@demo.kyodo.jp").await;
    let audit = http(port, "GET", "/admin/audit.csv", &admin, "")
        .await
        .unwrap();
    assert_eq!(audit.status, 200);
    let plans = http(port, "GET", "/api/v1/plans", "", "")
        .await
        .unwrap()
        .body;
    let id = plans
        .split("\"id\":")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .unwrap_or("0")
        .to_string();
    let plan = http(port, "GET", &format!("/api/v1/plans/{id}"), "", "")
        .await
        .unwrap();
    assert_eq!(plan.status, 200);
    (audit.body, plan.body)
}

/// Restores a backup file into a fresh place and returns its database URL.
async fn restore(backup: &Path, dir: &Path, backend: &str, admin_url: Option<&str>) -> String {
    std::fs::create_dir_all(dir).unwrap();
    if backend == "sqlite" {
        std::fs::copy(backup, dir.join("kyodo.db")).unwrap();
        return format!("sqlite://{}", dir.join("kyodo.db").display());
    }
    let admin_url = admin_url.unwrap();
    let name = unique("kyodo_restore");
    let admin = kyodo::db::connect(admin_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let mut url = url::Url::parse(admin_url).unwrap();
    url.set_path(&format!("/{name}"));
    let status = Command::new("pg_restore")
        .arg("--no-owner")
        .arg("--dbname")
        .arg(url.as_str())
        .arg(backup)
        .status()
        .unwrap();
    assert!(status.success(), "pg_restore");
    url.to_string()
}

async fn backup_test(dir: PathBuf, db_url: String, backend: &str, admin_url: Option<&str>) {
    std::fs::create_dir_all(&dir).unwrap();
    assert!(
        kyodo(&dir, &db_url, &["demo"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let db = kyodo::db::connect(&db_url).await.unwrap();
    let (node, _, _) = targets(&db).await;
    let port = free_port();
    let mut server = start(&dir, &db_url, port).await;
    let citizen = login(port, "citizen@demo.kyodo.jp").await;
    let stop = Arc::new(AtomicBool::new(false));
    let writers = spawn_writers(port, citizen, node, stop.clone(), "backup");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let during = dir.join("during.bak");
    let out = kyodo(&dir, &db_url, &["backup", "--to", during.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{backend}: backup under load failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acked = Vec::new();
    for w in writers {
        acked.extend(w.await.unwrap());
    }
    assert!(!acked.is_empty());

    // The copy taken under load is consistent: it starts, its audit chain verifies, and everything in
    // it is also in the live database.
    let restored_dir = dir.join("restored-during");
    let restored = restore(&during, &restored_dir, backend, admin_url).await;
    let verify = kyodo(&restored_dir, &restored, &["audit", "verify"])
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{backend}: restored audit chain: {}",
        String::from_utf8_lossy(&verify.stdout)
    );
    let rdb = kyodo::db::connect(&restored).await.unwrap();
    let in_copy: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM citizen_comments WHERE body LIKE 'backup-%'")
            .fetch_all(&rdb)
            .await
            .unwrap();
    let live: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM citizen_comments WHERE body LIKE 'backup-%'")
            .fetch_all(&db)
            .await
            .unwrap();
    assert!(
        !in_copy.is_empty() && in_copy.len() < live.len(),
        "{backend}: the copy holds a prefix of the writes ({} of {})",
        in_copy.len(),
        live.len()
    );
    assert!(in_copy.iter().all(|c| live.contains(c)));
    assert!(acked.iter().all(|a| live.iter().any(|(b,)| b == a)));
    rdb.close().await;

    // Idle: a backup restores to an identical copy — the exports of both are byte for byte the same.
    let idle = dir.join("idle.bak");
    assert!(
        kyodo(&dir, &db_url, &["backup", "--to", idle.to_str().unwrap()])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let live_exports = exports(port).await;
    server.kill().unwrap();
    server.wait().unwrap();
    let copy_dir = dir.join("restored-idle");
    let copy = restore(&idle, &copy_dir, backend, admin_url).await;
    let port2 = free_port();
    let mut second = start(&copy_dir, &copy, port2).await;
    let copy_exports = exports(port2).await;
    second.kill().unwrap();
    second.wait().unwrap();
    // The copy's audit log has the admin's extra sign-in for the export, as the live one did: compare
    // the entries that existed when the backup was taken.
    let live_audit: Vec<&str> = live_exports.0.lines().collect();
    let copy_audit: Vec<&str> = copy_exports.0.lines().collect();
    // One audit entry per comment at least: the export covers the whole log.
    assert!(
        live_audit.len() > live.len(),
        "{backend}: audit export too short ({} lines, {} comments)",
        live_audit.len(),
        live.len()
    );
    let common = live_audit.len().min(copy_audit.len()) - 1;
    assert_eq!(
        live_audit[live_audit.len() - common..],
        copy_audit[copy_audit.len() - common..],
        "{backend}: audit exports differ"
    );
    assert_eq!(
        live_exports.1, copy_exports.1,
        "{backend}: plan exports differ"
    );
    eprintln!(
        "{backend}: backup under load held {} of {} comments; idle backup restored identically",
        in_copy.len(),
        live.len()
    );
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_load_restores_to_a_consistent_copy() {
    let dir = std::env::temp_dir().join(unique("kyodo-backup"));
    let url = format!("sqlite://{}", dir.join("kyodo.db").display());
    backup_test(dir.clone(), url, "sqlite", None).await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Ok(admin_url) = std::env::var("KYODO_TEST_POSTGRES_URL") {
        let name = unique("kyodo_backup");
        let admin = kyodo::db::connect(&admin_url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .unwrap();
        let mut url = url::Url::parse(&admin_url).unwrap();
        url.set_path(&format!("/{name}"));
        let dir = std::env::temp_dir().join(unique("kyodo-backup-pg"));
        backup_test(dir.clone(), url.to_string(), "postgres", Some(&admin_url)).await;
        let _ = std::fs::remove_dir_all(&dir);
        let restored: Vec<(String,)> = sqlx::query_as(
            "SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE 'kyodo_restore_%'",
        )
        .fetch_all(&admin)
        .await
        .unwrap();
        for (db,) in restored.into_iter().chain([(name,)]) {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
            )))
            .execute(&admin)
            .await;
        }
        admin.close().await;
    }
}
