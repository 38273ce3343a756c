//! The `kyodo` binary: demo twice, user management, backup, check, audit verify.

use crate::support::*;
use std::process::{Command, Output};

pub(crate) fn kyodo(t: &TestApp, args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kyodo"));
    cmd.args(args)
        .env("KYODO_DATABASE_URL", &t.app.config.database_url)
        .env("KYODO_DATA_DIR", &t.data_dir)
        .env("KYODO_CONFIG", t.data_dir.join("none.toml"))
        .env("KYODO_LOG", "warn");
    if let Some(p) = password {
        cmd.env("KYODO_NEW_PASSWORD", p);
    }
    cmd.output().expect("run kyodo")
}

pub(crate) fn ok(o: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "kyodo failed: {text}");
    text
}

#[tokio::test]
async fn demo_is_idempotent_and_users_are_managed_from_the_command_line() {
    each_backend(|t| async move {
        let first = ok(&kyodo(&t, &["demo"], None));
        assert!(first.contains("admin@demo.kyodo.jp"));
        let count = |t: &TestApp| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM users")
                    .fetch_one(&db)
                    .await
                    .unwrap()
                    .0
            }
        };
        let users = count(&t).await;
        ok(&kyodo(&t, &["demo"], None));
        assert_eq!(count(&t).await, users, "second demo load adds nothing");

        ok(&kyodo(
            &t,
            &[
                "user",
                "add",
                "--email",
                "new@city.example.jp",
                "--name",
                "新任 職員",
                "--department",
                "210",
            ],
            Some("new-staff-password"),
        ));
        let bad = kyodo(
            &t,
            &[
                "user",
                "add",
                "--email",
                "x@city.example.jp",
                "--name",
                "x",
                "--department",
                "210",
            ],
            Some("short"),
        );
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("at least 10"));
        ok(&kyodo(
            &t,
            &[
                "user",
                "grant",
                "--email",
                "new@city.example.jp",
                "--role",
                "dept_manager",
                "--department",
                "210",
            ],
            None,
        ));
        let mut c = t.client();
        c.login("new@city.example.jp", "new-staff-password").await;
        assert!(c.get("/account").await.body.contains("所属長"));
        ok(&kyodo(
            &t,
            &[
                "user",
                "revoke",
                "--email",
                "new@city.example.jp",
                "--role",
                "dept_manager",
                "--department",
                "210",
            ],
            None,
        ));
        ok(&kyodo(
            &t,
            &["user", "passwd", "--email", "new@city.example.jp"],
            Some("changed-password-1"),
        ));
        let mut c = t.client();
        c.login("new@city.example.jp", "changed-password-1").await;
        let bad_code = kyodo(
            &t,
            &[
                "org",
                "add",
                "--code",
                "072027",
                "--name",
                "x",
                "--name-en",
                "x",
            ],
            None,
        );
        assert!(String::from_utf8_lossy(&bad_code.stderr).contains("check digit"));
        t
    })
    .await;
}

#[tokio::test]
async fn check_backup_and_audit_verify() {
    each_backend(|t| async move {
        ok(&kyodo(&t, &["demo"], None));
        let check = ok(&kyodo(&t, &["check"], None));
        assert!(check.contains("database ok   true"), "{check}");
        // The configured URL's own password never appears (PostgreSQL; SQLite URLs have none).
        let url = url::Url::parse(&t.app.config.database_url).unwrap();
        if let Some(password) = url.password() {
            assert!(
                !check.contains(&format!(":{password}@")),
                "password shown: {check}"
            );
            assert!(check.contains(":***@"), "redacted URL missing: {check}");
        }
        let verify = ok(&kyodo(&t, &["audit", "verify"], None));
        assert!(verify.contains("intact"));
        if t.backend == "sqlite" {
            let dest = t.data_dir.join("copy.db");
            ok(&kyodo(
                &t,
                &["backup", "--to", dest.to_str().unwrap()],
                None,
            ));
            let copy = kyodo::db::connect(&format!("sqlite://{}", dest.display()))
                .await
                .unwrap();
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
                .fetch_one(&copy)
                .await
                .unwrap();
            assert!(n > 10);
            copy.close().await;
        }
        sqlx::query("UPDATE audit_log SET after_json = '{}' WHERE seq = 2")
            .execute(&t.app.db)
            .await
            .unwrap();
        let out = kyodo(&t, &["audit", "verify"], None);
        assert!(!out.status.success());
        // Failures on stderr, for monitoring.
        assert!(String::from_utf8_lossy(&out.stderr).contains("BROKEN at entry 2"));
        assert!(!String::from_utf8_lossy(&out.stdout).contains("BROKEN"));
        t
    })
    .await;
}

#[tokio::test]
async fn evaluation_reminders_run_from_a_timer() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let before = t.outbox(org).await.len();
        // Nothing due within the window: nothing sent.
        ok(&kyodo(&t, &["evaluation", "remind", "--org", "072028", "--days=-3650"], None));
        assert_eq!(t.outbox(org).await.len(), before);
        // The open demo year (sheets due within ten years): its late departments are mailed.
        let out = ok(&kyodo(&t, &["evaluation", "remind", "--org", "072028", "--days", "3650"], None));
        assert!(out.contains("reminders"), "{out}");
        let mail = t.outbox(org).await;
        assert!(mail.len() > before, "{out}");
        assert!(mail.iter().any(|m| m.subject.contains("事務事業評価シート")));
        // A second instance's timer the same day sends nothing more.
        let again = ok(&kyodo(&t, &["evaluation", "remind", "--org", "072028", "--days", "3650"], None));
        assert!(again.contains("reminded already today"), "{again}");
        assert_eq!(t.outbox(org).await.len(), mail.len());
        let (actor,): (String,) = sqlx::query_as(
            "SELECT actor_label FROM audit_log WHERE action = 'eval.remind' ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(actor, "cli:evaluation remind");
        t
    })
    .await;
}

/// The demo writes only into an organization it created: on a data directory where a real city
/// has the demo's code, `kyodo demo` refuses, names the flag, and adds no account (it used to add
/// `admin@demo.kyodo.jp` with the published password as a sysadmin of the real city).
#[tokio::test]
async fn the_demo_never_writes_into_a_real_organization() {
    each_backend(|t| async move {
        ok(&kyodo(
            &t,
            &[
                "org",
                "add",
                "--code",
                "072028",
                "--name",
                "会津若松市",
                "--name-en",
                "Aizu-Wakamatsu",
            ],
            None,
        ));
        let users = || {
            let db = t.app.db.clone();
            async move {
                sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM users")
                    .fetch_one(&db)
                    .await
                    .unwrap()
                    .0
            }
        };
        for args in [&["demo"][..], &["serve", "--demo"][..]] {
            let out = kyodo(&t, args, None);
            let text = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{args:?} loaded into a real city");
            assert!(
                text.contains("is not a demo organization")
                    && text.contains("--mark-existing-as-demo"),
                "{args:?}: {text}"
            );
            assert_eq!(users().await, 0, "{args:?} added accounts");
        }
        let text = ok(&kyodo(&t, &["demo", "--mark-existing-as-demo"], None));
        assert!(text.contains("admin@demo.kyodo.jp"));
        assert!(users().await > 0);
        let (is_demo,): (i64,) =
            sqlx::query_as("SELECT is_demo FROM organizations WHERE lg_code = '072028'")
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        assert_eq!(is_demo, 1);
        t
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_is_printed_as_the_server_serves_it() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let printed = ok(&kyodo(&t, &["openapi"], None));
        let doc: serde_json::Value = serde_json::from_str(&printed).expect("JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        let served = t.client().get("/api/v1/openapi.json").await;
        let served: serde_json::Value = serde_json::from_str(&served.body).unwrap();
        assert_eq!(doc, served);
        t
    })
    .await;
}
