//! `kyodo backup`: SQLite via `VACUUM INTO` (a consistent snapshot while the server keeps writing),
//! PostgreSQL via `pg_dump --format=custom`.

use crate::app::App;
use crate::db::{Backend, backend_of};
use anyhow::Context;
use std::path::PathBuf;

pub async fn run(app: &App, to: Option<PathBuf>) -> anyhow::Result<()> {
    let backend = backend_of(&app.config.database_url);
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let ext = if backend == Backend::Sqlite {
        "db"
    } else {
        "dump"
    };
    let dest = to.unwrap_or_else(|| {
        app.config
            .data_dir
            .join("backups")
            .join(format!("kyodo-{stamp}.{ext}"))
    });
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    anyhow::ensure!(!dest.exists(), "{} already exists", dest.display());
    match backend {
        Backend::Sqlite => {
            let path = dest
                .to_str()
                .context("backup path must be UTF-8")?
                .replace('\'', "''");
            sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{path}'")))
                .execute(&app.db)
                .await
                .context("VACUUM INTO")?;
        }
        Backend::Postgres => {
            let status = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--file")
                .arg(&dest)
                .arg(&app.config.database_url)
                .status()
                .await
                .context("running pg_dump (install postgresql-client)")?;
            anyhow::ensure!(status.success(), "pg_dump failed: {status}");
        }
    }
    println!("backup written to {}", dest.display());
    Ok(())
}
