//! `kyodo backup` and `kyodo restore`.
//!
//! A backup is, on SQLite, a SQLite database file written by `VACUUM INTO` (a consistent snapshot
//! while the server keeps writing); on PostgreSQL, a `pg_dump --format=custom` archive. Both are
//! restored by `kyodo restore --from FILE`, which tells the two apart by their first bytes.

use super::storage::{self, print_counts, sha256_of};
use crate::config::Config;
use crate::db::{self, Backend, Db, backend_of};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// Where a backup goes: a file, or a directory of dated files of which the newest `keep` stay.
pub enum Destination {
    Default,
    File(PathBuf),
    Directory { dir: PathBuf, keep: Option<usize> },
}

fn extension(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "db",
        Backend::Postgres => "dump",
    }
}

fn dated_name(backend: Backend, prefix: &str) -> String {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    format!("{prefix}{stamp}.{}", extension(backend))
}

pub async fn backup(config: &Config, to: Destination) -> anyhow::Result<()> {
    let pool = storage::open_existing(config).await?;
    let backend = backend_of(&config.database_url);
    let (dest, prune) = match to {
        Destination::Default => (
            config
                .data_dir
                .join("backups")
                .join(dated_name(backend, "kyodo-")),
            None,
        ),
        Destination::File(f) => (f, None),
        Destination::Directory { dir, keep } => (
            dir.join(dated_name(backend, "kyodo-")),
            keep.map(|k| (dir, k)),
        ),
    };
    write(&pool, config, &dest).await?;
    println!("backup written to {}", dest.display());
    println!(
        "format: {}",
        match backend {
            Backend::Sqlite => "SQLite database file",
            Backend::Postgres => "pg_dump custom-format archive",
        }
    );
    println!("size: {} bytes", std::fs::metadata(&dest)?.len());
    println!("sha256: {}", sha256_of(&dest)?);
    match backend {
        Backend::Sqlite => {
            // Counted in the copy itself.
            let copy = db::open_sqlite_file_read_only(&dest).await?;
            println!("rows in the backup:");
            print_counts(&copy).await?;
            copy.close().await;
        }
        Backend::Postgres => {
            println!(
                "rows in the database just after the dump (the archive holds the snapshot it began with):"
            );
            print_counts(&pool).await?;
        }
    }
    if let Some((dir, keep)) = prune {
        for old in prune_backups(&dir, keep)? {
            println!("removed old backup {}", old.display());
        }
    }
    println!("restore with: kyodo restore --from {}", dest.display());
    Ok(())
}

/// Writes a consistent copy of `pool` to `dest` (which must not exist).
async fn write(pool: &Db, config: &Config, dest: &Path) -> anyhow::Result<()> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    anyhow::ensure!(!dest.exists(), "{} already exists", dest.display());
    match backend_of(&config.database_url) {
        Backend::Sqlite => {
            let path = dest
                .to_str()
                .context("backup path must be UTF-8")?
                .replace('\'', "''");
            sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{path}'")))
                .execute(pool)
                .await
                .context("VACUUM INTO")?;
        }
        Backend::Postgres => {
            let status = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--file")
                .arg(dest)
                .arg(&config.database_url)
                .status()
                .await
                .context("running pg_dump (install postgresql-client)")?;
            anyhow::ensure!(status.success(), "pg_dump failed: {status}");
        }
    }
    Ok(())
}

/// Removes all but the newest `keep` backups (`kyodo-….db` / `.dump`) in `dir`; returns them.
fn prune_backups(dir: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("kyodo-") && (name.ends_with(".db") || name.ends_with(".dump"))
        })
        .collect();
    // Dated names sort by time.
    files.sort();
    let remove = files.len().saturating_sub(keep);
    let old: Vec<PathBuf> = files.into_iter().take(remove).collect();
    for f in &old {
        std::fs::remove_file(f).with_context(|| format!("removing {}", f.display()))?;
    }
    Ok(old)
}

#[derive(Debug, PartialEq)]
enum Format {
    Sqlite,
    PgCustom,
}

fn detect(file: &Path) -> anyhow::Result<Format> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let n = f.read(&mut head)?;
    if head[..n].starts_with(b"SQLite format 3\0") {
        Ok(Format::Sqlite)
    } else if head[..n].starts_with(b"PGDMP") {
        Ok(Format::PgCustom)
    } else {
        bail!(
            "{} is not a Kyodo backup (neither a SQLite database file nor a pg_dump custom-format archive)",
            file.display()
        )
    }
}

/// `kyodo restore`: into an empty target, or over a non-empty one with `replace` after backing it
/// up; then verifies the audit log and prints the counts.
pub async fn restore(config: &Config, from: &Path, replace: bool) -> anyhow::Result<bool> {
    let format = detect(from)?;
    let backend = backend_of(&config.database_url);
    match (&format, backend) {
        (Format::Sqlite, Backend::Sqlite) | (Format::PgCustom, Backend::Postgres) => {}
        (Format::Sqlite, Backend::Postgres) => {
            bail!(
                "{} is a SQLite backup; KYODO_DATABASE_URL names PostgreSQL",
                from.display()
            )
        }
        (Format::PgCustom, Backend::Sqlite) => bail!(
            "{} is a PostgreSQL archive; set KYODO_DATABASE_URL to the PostgreSQL database to restore into",
            from.display()
        ),
    }
    let target = storage::described(config);
    let sqlite_file = db::sqlite_path(&config.database_url);
    let exists = sqlite_file.as_ref().is_none_or(|p| p.is_file());
    let (orgs, has_tables) = if exists {
        let pool = db::connect(&config.database_url).await?;
        let n = storage::organization_count(&pool).await;
        let tables = n.is_some();
        pool.close().await;
        (n.unwrap_or(0), tables)
    } else {
        (0, false)
    };
    if orgs > 0 {
        if !replace {
            bail!(
                "the target {target} holds {orgs} organization(s): refusing to overwrite it. `kyodo restore --from {} --replace` first backs it up, then replaces it",
                from.display()
            );
        }
        let saved = config
            .data_dir
            .join("backups")
            .join(dated_name(backend, "kyodo-before-restore-"));
        let pool = db::connect(&config.database_url).await?;
        write(&pool, config, &saved).await?;
        pool.close().await;
        println!(
            "the database being replaced was backed up to {}",
            saved.display()
        );
    }
    match (sqlite_file, backend) {
        (Some(path), Backend::Sqlite) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            // Copied under another name, then renamed over the target: never half a database.
            let partial = path.with_extension("restoring");
            std::fs::copy(from, &partial)
                .with_context(|| format!("copying to {}", partial.display()))?;
            std::fs::File::open(&partial)?.sync_all()?;
            for suffix in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{suffix}", path.display()));
                if side.exists() {
                    std::fs::remove_file(&side)?;
                }
            }
            std::fs::rename(&partial, &path)?;
        }
        _ => {
            let mut cmd = tokio::process::Command::new("pg_restore");
            cmd.arg("--no-owner")
                .arg("--single-transaction")
                .arg("--exit-on-error");
            if has_tables {
                cmd.arg("--clean").arg("--if-exists");
            }
            let status = cmd
                .arg("--dbname")
                .arg(&config.database_url)
                .arg(from)
                .status()
                .await
                .context("running pg_restore (install postgresql-client)")?;
            anyhow::ensure!(status.success(), "pg_restore failed: {status}");
        }
    }
    println!("restored {} into {target}", from.display());
    let pool = db::connect(&config.database_url).await?;
    let intact = super::check::verify_all(&pool).await?;
    println!("rows restored:");
    print_counts(&pool).await?;
    pool.close().await;
    Ok(intact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_backups_are_kept() {
        let dir = std::env::temp_dir().join(format!("kyodo-prune-{}", crate::db::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "kyodo-20250101T000000.000Z.db",
            "kyodo-20250102T000000.000Z.db",
            "kyodo-20250103T000000.000Z.db",
            "notes.txt",
        ] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let removed = prune_backups(&dir, 2).unwrap();
        assert_eq!(removed, vec![dir.join("kyodo-20250101T000000.000Z.db")]);
        assert!(
            dir.join("notes.txt").exists() && dir.join("kyodo-20250103T000000.000Z.db").exists()
        );
        std::fs::write(dir.join("x.db"), b"not a backup").unwrap();
        assert!(detect(&dir.join("x.db")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
