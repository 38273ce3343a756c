//! Hostile workbooks against the running server: every one of `kyodo_decode::hostile::all()` is
//! posted to the plan import and the evaluation import as the reform HQ. Each must be refused
//! beside the file field (422, the "too large" or "not xlsx" message), the server must keep
//! answering, and its peak memory (VmHWM) must stay under 256 MiB through all of them. The
//! probe's two-cell workbook used to make the process ask for 512 GiB and die.

use super::*;
use std::path::PathBuf;

const PEAK_LIMIT_KIB: u64 = 256 * 1024;

/// A multipart POST of one file (and the CSRF field); returns status and body.
async fn upload(port: u16, path: &str, cookie: &str, file: &[u8]) -> std::io::Result<Response> {
    let boundary = "kyodo-hostile-boundary-7c1f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hostile.xlsx\"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n",
        token_for(cookie)
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut s = TcpStream::connect(("127.0.0.1", port)).await?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: kyodo_csrf={CSRF}; {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await?;
    s.write_all(&body).await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok(Response {
        status,
        cookies: Vec::new(),
        head: String::new(),
        body: text,
    })
}

fn peak_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_workbooks_are_refused_and_the_server_stays_up_in_bounded_memory() {
    let dir: PathBuf = std::env::temp_dir().join(unique("kyodo_hostile"));
    std::fs::create_dir_all(&dir).unwrap();
    let db_url = format!("sqlite://{}", dir.join("kyodo.db").display());
    assert!(
        kyodo(&dir, &db_url, &["demo"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let db = kyodo::db::connect(&db_url).await.unwrap();
    let (cycle,): (i64,) =
        sqlx::query_as("SELECT id FROM eval_cycles ORDER BY fiscal_year DESC LIMIT 1")
            .fetch_one(&db)
            .await
            .unwrap();
    db.close().await;
    let port = free_port();
    let server = Server(
        kyodo(&dir, &db_url, &["serve"])
            .env("KYODO_LISTEN", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    assert!(
        healthy_within(port, Duration::from_secs(30)).await,
        "kyodo did not start"
    );
    let hq = login(port, "hq@demo.kyodo.jp").await;
    let pid = server.0.id();
    let baseline = peak_kib(pid);
    let targets = [
        "/hq/plans/import".to_string(),
        format!("/hq/evaluation/cycles/{cycle}/import"),
    ];
    for (name, bytes) in kyodo_decode::hostile::all() {
        for path in &targets {
            let r = upload(port, path, &hq, &bytes).await.unwrap_or_else(|e| {
                panic!(
                    "{name} ({} bytes) to {path}: connection lost: {e}",
                    bytes.len()
                )
            });
            assert_eq!(r.status, 422, "{name} to {path}: {}", r.body);
            assert!(
                r.body.contains("上限(")
                    || r.body.contains("xlsx形式のファイルとして読めませんでした"),
                "{name} to {path}: no message naming the limit beside the file"
            );
            let health = http(port, "GET", "/healthz", "", "")
                .await
                .expect("still up");
            assert_eq!(
                health.status, 200,
                "{name}: server unhealthy after the upload"
            );
        }
        let peak = peak_kib(pid);
        eprintln!(
            "{name}: {} bytes; peak RSS so far {} MiB",
            bytes.len(),
            peak / 1024
        );
        assert!(
            peak < PEAK_LIMIT_KIB,
            "{name}: peak RSS {peak} KiB (baseline {baseline} KiB)"
        );
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
