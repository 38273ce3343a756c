//! Mail is one durable queue: a failed delivery is retried later and given up after the last
//! retry; two instances delivering at once send a message exactly once; the outbox page shows
//! each message's state. A small SMTP server in the test receives what is sent.

use crate::support::*;
use kyodo::mail::{Mailer, deliver_due};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// An SMTP server that accepts every message and counts them; returns its URL.
async fn smtp_server(received: Arc<AtomicUsize>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let received = received.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    let reply: &[u8] = if in_data {
                        if line != "." {
                            continue;
                        }
                        in_data = false;
                        received.fetch_add(1, Ordering::SeqCst);
                        b"250 queued\r\n"
                    } else {
                        match line.get(..4).map(str::to_ascii_uppercase).as_deref() {
                            Some("DATA") => {
                                in_data = true;
                                b"354 go ahead\r\n"
                            }
                            Some("QUIT") => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 ok\r\n",
                        }
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    format!("smtp://127.0.0.1:{port}")
}

/// A port nothing listens on: every delivery fails.
async fn closed_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("smtp://127.0.0.1:{port}")
}

async fn make_due(t: &TestApp) {
    sqlx::query("UPDATE mail_messages SET next_attempt_at = '2000-01-01T00:00:00.000000Z' WHERE sent_at IS NULL AND failed_at IS NULL")
        .execute(&t.app.db)
        .await
        .unwrap();
}

async fn state(t: &TestApp, subject: &str) -> (i64, bool, bool) {
    let (attempts, sent, failed): (i64, Option<String>, Option<String>) =
        sqlx::query_as("SELECT attempts, sent_at, failed_at FROM mail_messages WHERE subject = $1")
            .bind(subject)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
    (attempts, sent.is_some(), failed.is_some())
}

#[tokio::test]
async fn mail_is_retried_given_up_at_last_and_sent_once_by_two_instances() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let from = "kyodo@city.example.jp".to_string();
        let down = Mailer::new(from.clone(), Some(&closed_port().await)).unwrap();
        down.send(&t.app.db, org, "taro@city.example.jp", "再送の確認", "本文")
            .await
            .unwrap();
        assert_eq!(
            state(&t, "再送の確認").await,
            (0, false, false),
            "queued, not yet tried"
        );

        // The relay is down: tried, kept for later, not due again at once.
        assert_eq!(deliver_due(&t.app.db, &down).await.unwrap(), 1);
        assert_eq!(state(&t, "再送の確認").await, (1, false, false));
        assert_eq!(
            deliver_due(&t.app.db, &down).await.unwrap(),
            0,
            "the retry waits"
        );

        // Two instances with a working relay deliver at the same moment: one message arrives.
        let received = Arc::new(AtomicUsize::new(0));
        let url = smtp_server(received.clone()).await;
        let a = Mailer::new(from.clone(), Some(&url)).unwrap();
        let b = Mailer::new(from.clone(), Some(&url)).unwrap();
        make_due(&t).await;
        let (x, y) = tokio::join!(deliver_due(&t.app.db, &a), deliver_due(&t.app.db, &b));
        assert_eq!(x.unwrap() + y.unwrap(), 1, "claimed by one instance only");
        assert_eq!(received.load(Ordering::SeqCst), 1);
        assert_eq!(state(&t, "再送の確認").await, (2, true, false));

        // A message the relay never takes is given up after the last retry (six tries).
        down.send(&t.app.db, org, "hanako@city.example.jp", "届かない", "本文")
            .await
            .unwrap();
        for _ in 0..6 {
            make_due(&t).await;
            assert_eq!(deliver_due(&t.app.db, &down).await.unwrap(), 1);
        }
        assert_eq!(state(&t, "届かない").await, (6, false, true));
        make_due(&t).await;
        assert_eq!(
            deliver_due(&t.app.db, &down).await.unwrap(),
            0,
            "given up: never tried again"
        );

        // The administrator sees each message's state.
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        let page = admin.get("/admin/outbox").await;
        assert!(
            page.body.contains("送信できませんでした(再試行を終了)"),
            "{}",
            page.body
        );
        assert!(page.body.contains("送信済み"));
        assert!(
            !page.body.contains("SMTP delivery"),
            "no internal error text on the page"
        );
        t
    })
    .await;
}
