//! Reliability under faults, run against the real `kyodo` binary:
//! - `crash`: concurrent writes, SIGKILL at several points; every acknowledged write survives.
//! - `backup`: `kyodo backup` under load restores to a consistent copy; an idle one to an identical one.
//! - `uploads`: hostile workbooks are refused; the server stays up with bounded memory.
//! - `slow_clients`: half-sent headers are cut off after the timeout; the connection cap is logged.
//! - `faults`: disk full, read-only storage and a database outage answer 503 and recover by themselves.
//! - `minutes_index`: the minutes search index after SIGKILL of an import or a rebuild matches the database.
//!
//! Each runs on SQLite and, when `KYODO_TEST_POSTGRES_URL` is set, on PostgreSQL.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test step that fails should stop the test with its message"
)]

mod backup;
mod crash;
mod faults;
mod minutes_index;
mod slow_clients;
mod uploads;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BIN: &str = env!("CARGO_BIN_EXE_kyodo");
/// The anonymous CSRF secret every request carries as its `kyodo_csrf` cookie.
const CSRF: &str = "crash-test-csrf-token-0123456789abcdef";

/// The CSRF token for a request with `cookie`: derived from its session, else from [`CSRF`].
fn token_for(cookie: &str) -> String {
    let secret = cookie
        .split(';')
        .filter_map(|kv| kv.trim().strip_prefix("kyodo_session="))
        .next()
        .unwrap_or(CSRF);
    kyodo::web::csrf::form_token(secret)
}

struct Response {
    status: u16,
    cookies: Vec<String>,
    /// The header lines, lower-cased.
    head: String,
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
        head: head.to_ascii_lowercase(),
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
    if !healthy_within(port, Duration::from_secs(30)).await {
        let _ = child.kill();
        let _ = child.wait();
        panic!("kyodo did not become healthy");
    }
    child
}

/// A server process killed when dropped, so a failing assertion leaves no server behind.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn healthy_within(port: u16, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if http(port, "GET", "/healthz", "", "")
            .await
            .is_ok_and(|r| r.status == 200)
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

async fn login(port: u16, email: &str) -> String {
    let form = format!(
        "csrf={}&email={}&password={}",
        token_for(""),
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

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}_{}", std::process::id(), kyodo::db::new_id())
}

/// A fresh PostgreSQL database for one test: `(admin URL, database URL, name)`, or `None` when
/// `KYODO_TEST_POSTGRES_URL` is unset (a failure when `KYODO_TEST_REQUIRE_POSTGRES` is set).
async fn postgres_database(prefix: &str) -> Option<(String, String, String)> {
    let Ok(admin_url) = std::env::var("KYODO_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("KYODO_TEST_REQUIRE_POSTGRES").is_err(),
            "KYODO_TEST_POSTGRES_URL is required"
        );
        return None;
    };
    let name = unique(prefix);
    let admin = kyodo::db::connect(&admin_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let mut url = url::Url::parse(&admin_url).unwrap();
    url.set_path(&format!("/{name}"));
    Some((admin_url, url.to_string(), name))
}

/// Drops test databases (forcibly: a killed server may have left sessions behind).
async fn drop_databases(admin_url: &str, names: &[String]) {
    let admin = kyodo::db::connect(admin_url).await.unwrap();
    for name in names {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&admin)
        .await;
    }
    admin.close().await;
}
