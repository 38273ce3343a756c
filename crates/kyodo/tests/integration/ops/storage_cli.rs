//! Which commands may create a database and which must find one; backup rotation and restore.

use crate::ops::cli::{kyodo, ok};
use crate::support::*;
use std::process::{Command, Output};

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
