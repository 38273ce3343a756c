//! The `kyodo` binary: demo twice, user management, backup, check, audit verify.

use crate::support::*;
use std::process::{Command, Output};

fn kyodo(t: &TestApp, args: &[&str], password: Option<&str>) -> Output {
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

fn ok(o: &Output) -> String {
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
        let before = t.outbox(org).len();
        // Nothing due within the window: nothing sent.
        ok(&kyodo(&t, &["evaluation", "remind", "--org", "072028", "--days=-3650"], None));
        assert_eq!(t.outbox(org).len(), before);
        // The open demo year (sheets due within ten years): its late departments are mailed.
        let out = ok(&kyodo(&t, &["evaluation", "remind", "--org", "072028", "--days", "3650"], None));
        assert!(out.contains("reminders"), "{out}");
        let mail = t.outbox(org);
        assert!(mail.len() > before, "{out}");
        assert!(mail.iter().any(|m| m.subject.contains("事務事業評価シート")));
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

/// Runs kyodo with only a data directory (the default SQLite database inside it).
fn kyodo_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(args)
        .env("KYODO_DATA_DIR", dir)
        .env_remove("KYODO_DATABASE_URL")
        .env("KYODO_CONFIG", dir.join("none.toml"))
        .env("KYODO_LOG", "warn")
        .output()
        .expect("run kyodo")
}

fn refused(o: &Output, needle: &str) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!o.status.success(), "not refused: {err}");
    assert!(err.contains(needle), "{needle:?} not in: {err}");
    err
}

/// A mistyped data directory, or a database without organizations, is refused by every command
/// that does not create one — naming where it looked and the variable — and nothing is created.
/// (`audit verify` used to create an empty database and report it intact.)
#[tokio::test]
async fn commands_refuse_a_missing_or_empty_database() {
    let missing = std::env::temp_dir().join(format!("kyodo-missing-{}", kyodo::db::new_id()));
    for args in [
        &["audit", "verify"][..],
        &["backup"][..],
        &["check"][..],
        &["user", "passwd", "--email", "a@b.jp"][..],
        &["org", "list"][..],
    ] {
        let err = refused(&kyodo_in(&missing, args), "no database at");
        assert!(err.contains("KYODO_DATA_DIR"), "{args:?}: {err}");
        assert!(!missing.exists(), "{args:?} created {}", missing.display());
    }
    each_backend(|t| async move {
        // The harness's database is migrated but holds no organization.
        for args in [&["audit", "verify"][..], &["backup"][..], &["check"][..]] {
            refused(&kyodo(&t, args, None), "holds no organization");
        }
        // A database behind this version's migrations (as after installing a new binary).
        ok(&kyodo(&t, &["demo"], None));
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
            .execute(&t.app.db)
            .await
            .unwrap();
        refused(&kyodo(&t, &["check"], None), "lacks 1 migration");
        ok(&kyodo(&t, &["audit", "verify"], None));
        t
    })
    .await;
}

/// `kyodo backup --dir --keep` keeps the newest; it prints format, checksum and counts.
/// `kyodo restore` refuses a non-empty target without --replace, a file that is no backup and a
/// backup of the other backend; with --replace it backs the target up first.
#[tokio::test]
async fn backup_rotates_and_restore_refuses_what_it_should() {
    each_backend(|t| async move {
        ok(&kyodo(&t, &["demo"], None));
        let dir = t.data_dir.join("daily");
        let dir_s = dir.to_str().unwrap().to_string();
        let mut last = String::new();
        for _ in 0..3 {
            last = ok(&kyodo(
                &t,
                &["backup", "--dir", &dir_s, "--keep", "2"],
                None,
            ));
        }
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(last.contains("removed old backup"), "{last}");
        let written = last
            .lines()
            .find_map(|l| l.strip_prefix("backup written to "))
            .unwrap()
            .to_string();
        let sha = last
            .lines()
            .find_map(|l| l.strip_prefix("sha256: "))
            .unwrap();
        use sha2::Digest;
        assert_eq!(
            sha,
            hex::encode(sha2::Sha256::digest(std::fs::read(&written).unwrap()))
        );
        let format = if t.backend == "sqlite" {
            "SQLite database file"
        } else {
            "pg_dump custom-format archive"
        };
        assert!(last.contains(format), "{last}");
        assert!(
            last.lines().any(
                |l| l.trim_start().starts_with("organizations") && l.trim_end().ends_with(" 1")
            ),
            "{last}"
        );

        // Into the live, non-empty database: refused without --replace.
        refused(
            &kyodo(&t, &["restore", "--from", &written], None),
            "--replace",
        );
        // Not a backup at all.
        let junk = t.data_dir.join("junk.db");
        std::fs::write(&junk, b"hello").unwrap();
        refused(
            &kyodo(&t, &["restore", "--from", junk.to_str().unwrap()], None),
            "not a Kyodo backup",
        );
        // With --replace: the target is backed up first, then replaced, verified and counted.
        let out = ok(&kyodo(
            &t,
            &["restore", "--from", &written, "--replace"],
            None,
        ));
        assert!(out.contains("was backed up to"), "{out}");
        assert!(out.contains("intact"), "{out}");
        assert!(out.contains("rows restored:"), "{out}");
        let saved = std::fs::read_dir(t.data_dir.join("backups"))
            .unwrap()
            .count();
        assert_eq!(saved, 1, "the replaced database's backup");
        // A backup of the other backend.
        let (other, needle) = if t.backend == "sqlite" {
            (&b"PGDMP\x01\x0e\x00"[..], "is a PostgreSQL archive")
        } else {
            (&b"SQLite format 3\x00\x10\x00"[..], "is a SQLite backup")
        };
        let foreign = t.data_dir.join("foreign.bak");
        std::fs::write(&foreign, other).unwrap();
        refused(
            &kyodo(&t, &["restore", "--from", foreign.to_str().unwrap()], None),
            needle,
        );
        t
    })
    .await;
}

/// `kyodo department import` with a list as a city keeps it: Shift_JIS, a title row above the
/// headers, full-width codes, levels in Japanese or left out, a child before its parent, a row
/// that is already there. A file with problems names each by line and changes nothing.
#[tokio::test]
async fn departments_import_from_a_citys_own_list() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let other = kyodo::accounts::organizations::by_code(&t.app.db, "130001")
            .await
            .unwrap()
            .unwrap()
            .id;
        let count = || async {
            kyodo::accounts::departments::list(&t.app.db, other)
                .await
                .unwrap()
                .len()
        };
        let before = count().await;
        let sjis = |text: &str| encoding_rs::SHIFT_JIS.encode(text).0.into_owned();
        let file = t.data_dir.join("組織.csv");
        std::fs::write(
            &file,
            sjis("令和7年度 組織一覧,,,\r\n所属名,所属コード,上位コード,区分\r\n2,２,９,課\r\n行政改革課,１１０,１００,\r\n行政改革課,110,100,\r\n"),
        )
        .unwrap();
        let args = ["department", "import", "--org", "130001", file.to_str().unwrap()];
        let bad = kyodo(&t, &args, None);
        assert!(!bad.status.success());
        let err = String::from_utf8_lossy(&bad.stderr);
        assert!(err.contains(":3: この上位コードの組織が") && err.contains("[9]"), "{err}");
        assert!(err.contains(":4: この上位コードの組織が"), "{err}");
        assert!(err.contains(":5: 同じコードがこのファイルの上の行にもあります。 / The same code"), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");
        assert_eq!(count().await, before, "nothing half-imported");

        std::fs::write(
            &file,
            sjis("令和7年度 組織一覧,,,\r\n\r\n所属名,所属コード,上位コード,区分\r\n行政改革課,１１０,１００,\r\n企画局,１００,,局\r\n総務局,1,,部\r\n改革推進係,111,110,係\r\n"),
        )
        .unwrap();
        let out = ok(&kyodo(&t, &args, None));
        assert!(out.contains("3 department(s) added to 130001, 1 already there"), "{out}");
        let list = ok(&kyodo(&t, &["department", "list", "--org", "130001"], None));
        assert!(list.contains("100  企画局") && list.contains("  110  行政改革課") && list.contains("    111  改革推進係"), "{list}");
        let levels: Vec<(String, String)> = kyodo::accounts::departments::list(&t.app.db, other)
            .await
            .unwrap()
            .into_iter()
            .map(|d| (d.code, d.level))
            .collect();
        for (code, level) in [("100", "bu"), ("110", "ka"), ("111", "kakari")] {
            assert!(levels.contains(&(code.into(), level.into())), "{levels:?}");
        }
        // Again: everything is there already, nothing is added.
        assert!(ok(&kyodo(&t, &args, None)).contains("0 department(s) added to 130001, 4 already there"));
        t
    })
    .await;
}
