//! Clients that send half a request header and then nothing (a slowloris) are closed after the
//! header-read timeout, and the connection cap keeps them from exhausting the process; the log
//! says when the cap is reached. Before, 1,000 such connections stayed open indefinitely.

use super::*;
use std::path::PathBuf;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_headers_are_cut_off_and_the_cap_is_logged() {
    let dir: PathBuf = std::env::temp_dir().join(unique("kyodo_slow"));
    std::fs::create_dir_all(&dir).unwrap();
    let db_url = format!("sqlite://{}", dir.join("kyodo.db").display());
    assert!(
        kyodo(&dir, &db_url, &["demo"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let port = free_port();
    let log = dir.join("server.log");
    let server = Server(
        kyodo(&dir, &db_url, &["serve"])
            .env("KYODO_LISTEN", format!("127.0.0.1:{port}"))
            .env("KYODO_LOG", "warn")
            .env("KYODO_HEADER_TIMEOUT_SECONDS", "2")
            .env("KYODO_MAX_CONNECTIONS", "64")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    assert!(
        healthy_within(port, Duration::from_secs(30)).await,
        "kyodo did not start"
    );
    // 100 connections, each with half a header, more than the cap.
    let mut slow = Vec::new();
    for _ in 0..100 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        s.write_all(b"GET /plans HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .await
            .unwrap();
        slow.push(s);
    }
    // Within the timeout (and the time for the waiting ones to be accepted and time out too),
    // every one is closed by the server.
    let started = Instant::now();
    for (i, s) in slow.iter_mut().enumerate() {
        let mut buf = [0u8; 512];
        let left = Duration::from_secs(15).saturating_sub(started.elapsed());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Ok(_) => {} // closed (0 bytes), reset, or a 408 — anything but still open
            Err(_) => panic!("connection {i} still open after {:?}", started.elapsed()),
        }
    }
    // The server serves as before.
    assert!(
        healthy_within(port, Duration::from_secs(5)).await,
        "server unhealthy afterwards"
    );
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("connection limit reached"),
        "no log line: {text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
