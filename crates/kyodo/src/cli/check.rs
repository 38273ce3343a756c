//! Health from the command line: `kyodo check` (configuration, database, data directory) and
//! `kyodo audit verify` (every organization's audit chain).

use crate::accounts::organizations;
use crate::app::App;

/// Verifies every organization's audit chain: intact ones on stdout, a broken one on stderr (for
/// monitoring); true when all are intact.
pub(crate) async fn verify_all(pool: &crate::db::Db) -> anyhow::Result<bool> {
    let mut ok = true;
    for o in organizations::all(pool).await? {
        match crate::audit::verify(pool, o.id).await? {
            crate::audit::Verdict::Intact { entries } => {
                println!("{} {}: intact ({entries} entries)", o.lg_code, o.name)
            }
            crate::audit::Verdict::Broken { seq, reason } => {
                ok = false;
                eprintln!("{} {}: BROKEN at entry {seq}: {reason}", o.lg_code, o.name);
            }
        }
    }
    Ok(ok)
}

pub(crate) async fn check(app: &App) -> anyhow::Result<()> {
    let c = &app.config;
    println!("listen        {}", c.listen);
    println!("public url    {}", c.public_url);
    println!("data dir      {}", c.data_dir.display());
    println!("database      {}", crate::db::redact(&c.database_url));
    println!(
        "mail          {}",
        c.smtp_url
            .as_deref()
            .map(crate::db::redact)
            .unwrap_or_else(|| "outbox only (no SMTP: /admin/outbox lists the messages)".into())
    );
    println!("secure cookie {}", c.secure_cookies());
    let one: (i64,) = sqlx::query_as("SELECT 1").fetch_one(&app.db).await?;
    println!("database ok   {}", one.0 == 1);
    if crate::db::backend_of(&c.database_url) == crate::db::Backend::Sqlite {
        let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&app.db)
            .await?;
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(&app.db)
            .await?;
        println!("sqlite        integrity {integrity}, journal {mode}");
        anyhow::ensure!(integrity == "ok", "SQLite integrity check failed");
    }
    std::fs::create_dir_all(&c.data_dir)?;
    let probe = c.data_dir.join(".write-check");
    std::fs::write(&probe, b"ok").map_err(|e| anyhow::anyhow!("data dir not writable: {e}"))?;
    let _ = std::fs::remove_file(probe);
    println!("organizations {}", organizations::all(&app.db).await?.len());
    Ok(())
}
