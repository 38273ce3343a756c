//! Faults that clear by themselves: while storage is full or read-only, or the database server is
//! unreachable, Kyodo answers with its 503 page (never a 500), keeps no partial write, and serves
//! writes again on its own once the fault clears — no restart.
//!
//! SQLite runs on a tmpfs of its own, which is filled up (mounting needs root, as CI has), then on a
//! read-only connection. PostgreSQL is reached through a TCP proxy the test cuts and restores,
//! and its database is switched to read-only transactions.

use super::crash::targets;
use super::*;
use std::path::PathBuf;
use tokio::net::{TcpListener, TcpSocket};
use tokio::task::{JoinHandle, JoinSet};

/// The phrase both 503 pages (with and without a request context) carry.
const TRY_AGAIN: &str = "しばらくしてから";

/// One citizen's comment; returns the status and remembers acknowledged texts.
struct Writer {
    port: u16,
    citizen: String,
    node: i64,
    acked: Vec<String>,
    sent: usize,
}

impl Writer {
    async fn comment(&mut self) -> u16 {
        self.sent += 1;
        let text = format!("fault-{}", self.sent);
        let form = format!("csrf={}&body={text}", token_for(&self.citizen));
        let path = format!("/plans/items/{}/comments", self.node);
        let r = http(self.port, "POST", &path, &self.citizen, &form)
            .await
            .expect("the server keeps answering during the fault");
        // 303: stored (Post/Redirect/Get); 503: refused while the fault lasts.
        assert!(
            r.status == 303 || r.status == 503,
            "comment during a fault answered {}: {}",
            r.status,
            r.body
        );
        if r.status == 303 {
            self.acked.push(text);
        } else {
            assert!(
                r.body.contains(TRY_AGAIN),
                "503 without its page: {}",
                r.body
            );
            assert!(
                r.head.contains("\r\nretry-after: 5"),
                "503 without Retry-After: {}",
                r.head
            );
        }
        r.status
    }

    /// Writes until one is refused with 503 (bounded); panics if the fault never shows.
    async fn until_refused(&mut self, what: &str) {
        for _ in 0..3000 {
            if self.comment().await == 503 {
                return;
            }
        }
        panic!("{what}: writes kept succeeding");
    }

    /// Writes until one succeeds again (within 30 s): recovery without a restart.
    async fn until_accepted(&mut self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.comment().await == 303 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("{what}: writes did not recover by themselves");
    }

    /// Every acknowledged comment is stored exactly once, and nothing else: a refused write left no
    /// row, and each stored comment has its audit entry.
    async fn check_stored(&self, db: &kyodo::db::Db, backend: &str) {
        let stored: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM citizen_comments WHERE body LIKE 'fault-%'")
                .fetch_all(db)
                .await
                .unwrap();
        let mut stored: Vec<String> = stored.into_iter().map(|(b,)| b).collect();
        let mut acked = self.acked.clone();
        stored.sort();
        acked.sort();
        assert_eq!(
            stored, acked,
            "{backend}: stored comments ≠ acknowledged ones"
        );
        let (audited,): (i64,) = sqlx::query_as(
            // Sealed into the chain or still waiting for the next seal: written with the comment.
            "SELECT COUNT(*) FROM (SELECT action, target_id FROM audit_log \
             UNION ALL SELECT action, target_id FROM audit_pending) a \
             JOIN citizen_comments c ON a.target_id = CAST(c.id AS TEXT) \
             WHERE a.action = 'comment.create' AND c.body LIKE 'fault-%'",
        )
        .fetch_one(db)
        .await
        .unwrap();
        assert_eq!(audited as usize, acked.len(), "{backend}: audit entries");
    }
}

async fn status(port: u16, path: &str) -> u16 {
    http(port, "GET", path, "", "").await.unwrap().status
}

fn run(cmd: &str, args: &[&str], dir: &Path) {
    let st = Command::new(cmd).args(args).arg(dir).status().unwrap();
    assert!(
        st.success(),
        "{cmd} {args:?} failed (the fault test needs root)"
    );
}

/// Unmounts the test's tmpfs however the test ends.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Fills the file system holding `path` until it refuses another byte.
fn fill(path: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let block = vec![0u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    while f.write_all(&block[..512]).is_ok() {}
    let _ = f.sync_all();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_or_read_only_disk_answers_503_and_recovers() {
    let dir = std::env::temp_dir().join(unique("kyodo-fault"));
    std::fs::create_dir_all(&dir).unwrap();
    run("mount", &["-t", "tmpfs", "-o", "size=48m", "tmpfs"], &dir);
    let mounted = Mounted(dir.clone());
    let url = format!("sqlite://{}", dir.join("kyodo.db").display());
    assert!(
        kyodo(&dir, &url, &["demo"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let db = kyodo::db::connect(&url).await.unwrap();
    let (node, _, _) = targets(&db).await;
    let port = free_port();
    let mut server = start(&dir, &url, port).await;
    let citizen = login(port, "citizen@demo.kyodo.jp").await;
    let mut w = Writer {
        port,
        citizen,
        node,
        acked: Vec::new(),
        sent: 0,
    };
    let item = format!("/plans/items/{node}");
    assert_eq!(w.comment().await, 303);

    // Disk full: writes are refused with 503 while reads go on; freeing space heals it.
    let filler = dir.join("filler");
    fill(&filler);
    w.until_refused("disk full").await;
    assert_eq!(
        status(port, &item).await,
        200,
        "reads while the disk is full"
    );
    std::fs::remove_file(&filler).unwrap();
    w.until_accepted("disk freed").await;

    // A read-only database (a tmpfs cannot be remounted read-only under open files, so the server is
    // restarted on a read-only connection): writes 503, reads go on; back to read-write, writes work.
    server.kill().unwrap();
    server.wait().unwrap();
    let read_only = format!("{url}?mode=ro");
    let mut server = start(&dir, &read_only, port).await;
    w.until_refused("read-only").await;
    assert_eq!(
        status(port, &item).await,
        200,
        "reads from a read-only database"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    let mut server = start(&dir, &url, port).await;
    w.until_accepted("read-write again").await;

    server.kill().unwrap();
    server.wait().unwrap();
    w.check_stored(&db, "sqlite").await;
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    db.close().await;
    let verify = kyodo(&dir, &url, &["audit", "verify"]).output().unwrap();
    assert!(verify.status.success(), "audit chain after the faults");
    eprintln!(
        "sqlite faults: {} writes sent, {} acknowledged and stored, the rest refused with 503",
        w.sent,
        w.acked.len()
    );
    drop(mounted);
}

/// A loopback TCP proxy to the database server that the test can cut (closing every connection
/// and refusing new ones) and restore on the same port.
struct Proxy {
    port: u16,
    target: String,
    task: Option<JoinHandle<()>>,
}

impl Proxy {
    fn start(target: String) -> Self {
        let mut p = Proxy {
            port: free_port(),
            target,
            task: None,
        };
        p.up();
        p
    }

    fn up(&mut self) {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind(([127, 0, 0, 1], self.port).into()).unwrap();
        let listener: TcpListener = socket.listen(64).unwrap();
        let target = self.target.clone();
        self.task = Some(tokio::spawn(async move {
            // Dropped with this task when it is aborted: every proxied connection closes.
            let mut conns = JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                conns.spawn(async move {
                    if let Ok(mut out) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
            }
        }));
    }

    async fn down(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_or_read_only_database_answers_503_and_recovers() {
    let Some((admin_url, direct, name)) = postgres_database("kyodo_fault").await else {
        return; // SQLite has no server to lose; its faults are the test above.
    };
    let dir = std::env::temp_dir().join(unique("kyodo-fault-pg"));
    std::fs::create_dir_all(&dir).unwrap();
    assert!(
        kyodo(&dir, &direct, &["demo"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let mut url = url::Url::parse(&direct).unwrap();
    let mut proxy = Proxy::start(format!(
        "{}:{}",
        url.host_str().unwrap(),
        url.port().unwrap_or(5432)
    ));
    url.set_port(Some(proxy.port)).unwrap();
    let db = kyodo::db::connect(&direct).await.unwrap();
    let (node, _, _) = targets(&db).await;
    db.close().await;
    let port = free_port();
    let mut server = start(&dir, url.as_str(), port).await;
    let citizen = login(port, "citizen@demo.kyodo.jp").await;
    let mut w = Writer {
        port,
        citizen,
        node,
        acked: Vec::new(),
        sent: 0,
    };
    let item = format!("/plans/items/{node}");
    assert_eq!(w.comment().await, 303);

    // The database server becomes unreachable: health, pages and writes all answer 503.
    proxy.down().await;
    let (health, page, write) =
        tokio::join!(status(port, "/healthz"), status(port, &item), async {
            w.comment().await
        });
    assert_eq!((health, page, write), (503, 503, 503), "during the outage");
    proxy.up();
    w.until_accepted("database back").await;
    assert_eq!(status(port, "/healthz").await, 200);

    // The database turns read-only (as after a fail-over to a standby): writes 503, reads go on.
    let admin = kyodo::db::connect(&admin_url).await.unwrap();
    // Kyodo's connections only: an autovacuum worker busy on the database at that moment is a
    // superuser process the test's role may not terminate (CI failed once on exactly that).
    let kick = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' \
         AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    );
    for sql in [
        format!("ALTER DATABASE {name} SET default_transaction_read_only = on"),
        kick.clone(),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&admin)
            .await
            .unwrap();
    }
    w.until_refused("read-only database").await;
    let mut read = 503;
    for _ in 0..10 {
        read = status(port, &item).await;
        if read == 200 {
            break;
        }
    }
    assert_eq!(read, 200, "reads from a read-only database");
    for sql in [
        format!("ALTER DATABASE {name} RESET default_transaction_read_only"),
        kick,
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&admin)
            .await
            .unwrap();
    }
    admin.close().await;
    w.until_accepted("read-write again").await;

    server.kill().unwrap();
    server.wait().unwrap();
    let db = kyodo::db::connect(&direct).await.unwrap();
    w.check_stored(&db, "postgres").await;
    db.close().await;
    let verify = kyodo(&dir, &direct, &["audit", "verify"]).output().unwrap();
    assert!(verify.status.success(), "audit chain after the faults");
    eprintln!(
        "postgres faults: {} writes sent, {} acknowledged and stored, the rest refused with 503",
        w.sent,
        w.acked.len()
    );
    proxy.down().await;
    let _ = std::fs::remove_dir_all(&dir);
    drop_databases(&admin_url, &[name]).await;
}
