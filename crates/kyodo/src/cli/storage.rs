//! Which database a command works on, and whether it may: only `serve`, `migrate`, `demo` and
//! `org add` create a database; every other command refuses one that does not exist or holds no
//! organization, naming what it looked for and the variable that sets it (a mistyped
//! `KYODO_DATA_DIR` used to give a new, empty database and a false "intact").

use crate::config::Config;
use crate::db::{self, Db};
use anyhow::{Context, bail};

/// The main tables, counted after a backup and a restore.
pub const COUNTED: [&str; 9] = [
    "organizations",
    "users",
    "plans",
    "plan_nodes",
    "progress_report_versions",
    "citizen_comments",
    "survey_responses",
    "eval_sheets",
    "audit_log",
];

/// Where the configuration points, in words an operator can act on.
pub fn described(config: &Config) -> String {
    match db::sqlite_path(&config.database_url) {
        Some(path) => format!(
            "{} (KYODO_DATA_DIR={}; or set KYODO_DATABASE_URL)",
            path.display(),
            config.data_dir.display()
        ),
        None => format!("{} (KYODO_DATABASE_URL)", db::redact(&config.database_url)),
    }
}

/// Opens an existing Kyodo database without creating or migrating anything.
pub async fn open_existing(config: &Config) -> anyhow::Result<Db> {
    if let Some(path) = db::sqlite_path(&config.database_url)
        && !path.is_file()
    {
        bail!(
            "no database at {} — `kyodo migrate`, `kyodo serve` or `kyodo org add` create one",
            described(config)
        );
    }
    let pool = db::connect(&config.database_url).await?;
    match organization_count(&pool).await {
        Some(n) if n > 0 => Ok(pool),
        Some(_) => bail!(
            "the database at {} holds no organization — register one with `kyodo org add` or load the demo with `kyodo demo`",
            described(config)
        ),
        None => bail!(
            "the database at {} is not a Kyodo database (no organizations table) — `kyodo migrate` sets one up",
            described(config)
        ),
    }
}

/// Organizations in the database; `None` when it has no Kyodo tables at all.
pub async fn organization_count(pool: &Db) -> Option<i64> {
    sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM organizations")
        .fetch_one(pool)
        .await
        .ok()
        .map(|(n,)| n)
}

/// Refuses to work on a database whose schema is older than this build (after an upgrade).
pub async fn require_current_schema(pool: &Db) -> anyhow::Result<()> {
    let pending = db::pending_migrations(pool).await?;
    if pending > 0 {
        bail!(
            "the database lacks {pending} migration(s) of this version of kyodo — take a backup (`kyodo backup`), then run `kyodo migrate`"
        );
    }
    Ok(())
}

/// `table  rows` lines of the main tables.
pub async fn print_counts(pool: &Db) -> anyhow::Result<()> {
    for table in COUNTED {
        let (n,): (i64,) =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(pool)
                .await
                .with_context(|| format!("counting {table}"))?;
        println!("  {table:<26} {n:>10}");
    }
    Ok(())
}

/// SHA-256 of a file, read in pieces.
pub fn sha256_of(path: &std::path::Path) -> anyhow::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file =
        std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}
