//! Storage: one `sqlx::AnyPool` over embedded SQLite (default) or PostgreSQL (production).
//!
//! SQL is written once with `$n` placeholders and portable types (BIGINT, TEXT, BOOLEAN,
//! DOUBLE PRECISION); ids are assigned by the application; timestamps are RFC 3339 UTC text, which sorts.

pub mod channel;
pub mod flag;
mod real;
pub mod replica;
pub mod scheduled;
mod text_column;
pub mod write;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub use real::Real;

pub type Db = AnyPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend_of(url: &str) -> Backend {
    if url.starts_with("postgres") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// SQLite: WAL for concurrent readers, FULL sync so an acknowledged commit survives power loss,
/// a busy timeout instead of immediate "database is locked", and enforced foreign keys.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";

/// A PostgreSQL connection idle longer than this is pinged before it is used again.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(2);

/// Opens the pool (creating the SQLite file and its directory when needed).
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    let backend = backend_of(url);
    let mut url = url.to_string();
    let in_memory = url.contains(":memory:");
    if backend == Backend::Sqlite && !in_memory {
        let path = sqlite_path(&url).unwrap_or_default();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        if !url.contains('?') {
            url.push_str("?mode=rwc");
        }
    }
    let max = match backend {
        Backend::Sqlite if in_memory => 1,
        // Two connections per core: each has its own page cache and prepared statements, and
        // with 8 the soak's memory crept ~8 MiB higher for less throughput (docs/PERFORMANCE.md).
        Backend::Sqlite => 4,
        Backend::Postgres => 16,
    };
    let pool = AnyPoolOptions::new()
        .max_connections(max)
        // Short enough that an unreachable database gives a prompt 503 rather than a hung page.
        .acquire_timeout(Duration::from_secs(5))
        // A SQLite connection is a file handle that cannot go stale, and the check before each
        // use is a round trip to the connection's thread: it doubled the cost of every query.
        // A PostgreSQL connection is checked when it has sat idle (a server restarted meanwhile
        // costs no failed request); one in steady use is not — a ping before every query was a
        // second round trip each and held the submission storm to ~520 requests a second.
        .test_before_acquire(false)
        .before_acquire(move |conn, meta| {
            Box::pin(async move {
                if backend == Backend::Postgres && meta.idle_for > IDLE_BEFORE_PING {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(SQLITE_PRAGMAS).await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .with_context(|| format!("connecting to {}", redact(&url)))?;
    Ok(pool)
}

/// On PostgreSQL, a small pool beside the main one for counters that a transaction takes a number
/// from while it is open (`None` on SQLite, whose writers take theirs inside the transaction).
/// Its own connections: a transaction that holds one of the main pool's and waits for another
/// could wait for ever when every one of them is held the same way.
pub fn counters_pool(url: &str) -> anyhow::Result<Option<Db>> {
    if backend_of(url) != Backend::Postgres {
        return Ok(None);
    }
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy(url)
        .with_context(|| format!("connecting to {}", redact(url)))?;
    Ok(Some(pool))
}

/// A SQLite file opened read-only, untouched (no journal-mode change): to count a backup's rows.
pub async fn open_sqlite_file_read_only(path: &std::path::Path) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}?mode=ro", path.display()))
        .await
        .with_context(|| format!("opening {}", path.display()))
}

/// The file of a SQLite URL (`None` for PostgreSQL and in-memory databases).
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    if backend_of(url) != Backend::Sqlite || url.contains(":memory:") {
        return None;
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    Some(path.split('?').next().unwrap_or(path).into())
}

/// Migrations this build knows that the database has not applied.
pub async fn pending_migrations(db: &Db) -> anyhow::Result<usize> {
    let applied: Vec<(i64,)> =
        sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_all(db)
            .await
            .context("reading the migration history")?;
    Ok(sqlx::migrate!("./migrations")
        .iter()
        .filter(|m| !applied.iter().any(|(v,)| *v == m.version))
        .count())
}

/// Applies pending migrations (one history for both backends).
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations")
        .run(db)
        .await
        .context("running migrations")
}

/// Does the database answer?
pub async fn ping(db: &Db) -> bool {
    sqlx::query_as::<_, (i64,)>("SELECT 1")
        .fetch_one(db)
        .await
        .is_ok()
}

/// The URL without its password, for logs and `kyodo check`.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Serialises one kind of work (`"import.programmes"`) of one organization, called first in its
/// transaction. On PostgreSQL a transaction-scoped advisory lock (released at commit or rollback)
/// makes the second of two concurrent imports, on any instance, wait and then see what the first
/// wrote. SQLite has one writer at a time, but a transaction that reads first and writes later
/// fails when another wrote in between (`SQLITE_BUSY_SNAPSHOT`, which no timeout waits out): there
/// a no-op write takes the write lock before anything is read, waiting its turn.
pub async fn serialize(conn: &mut sqlx::AnyConnection, org: i64, work: &str) -> sqlx::Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(lock_key(org, work))
            .execute(conn)
            .await?;
    } else {
        sqlx::query("UPDATE organizations SET name = name WHERE id = $1")
            .bind(org)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// A stable 64-bit key (FNV-1a) for an organization's kind of work.
fn lock_key(org: i64, work: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in org.to_le_bytes().iter().chain(work.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

static ID_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A new row id: milliseconds since 1970 in the high bits, a per-process random start plus a counter
/// in the low 22 bits. Time-ordered, unique across processes in practice, and portable (no sequences).
pub fn new_id() -> i64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let seed = *SEED.get_or_init(|| {
        let mut b = [0u8; 8];
        random_fill(&mut b);
        u64::from_le_bytes(b)
    });
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let low = seed.wrapping_add(ID_COUNTER.fetch_add(1, Ordering::Relaxed)) & 0x3F_FFFF;
    ((millis << 22) | low) as i64 & i64::MAX
}

/// The `VALUES` groups of a multi-row INSERT: `rows` groups of `columns` placeholders numbered
/// from `$first` on — `values_groups(2, 3, 1)` is `($1, $2, $3), ($4, $5, $6)`.
pub fn values_groups(rows: usize, columns: usize, first: usize) -> String {
    (0..rows)
        .map(|r| {
            let marks = (0..columns)
                .map(|c| format!("${}", first + r * columns + c))
                .collect::<Vec<_>>();
            format!("({})", marks.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Now as stored: RFC 3339 UTC with microseconds (sorts as text).
pub fn now() -> String {
    timestamp(chrono::Utc::now())
}

pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn parse_timestamp(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// Fills `buf` from the operating system's random source (ids, secrets, invitation codes).
#[expect(
    clippy::expect_used,
    reason = "without the OS random source Kyodo can make no secret or id; stopping is right"
)]
pub fn random_fill(buf: &mut [u8]) {
    getrandom::fill(buf).expect("OS random source");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_positive() {
        let ids: std::collections::HashSet<i64> = (0..10_000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|&i| i > 0));
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://kyodo:secret@127.0.0.1/kyodo"),
            "postgres://kyodo:***@127.0.0.1/kyodo"
        );
    }
}

/// A value for a query whose WHERE clause is assembled at run time (filters); see [`Filters`].
#[derive(Debug, Clone)]
pub enum Param {
    Int(i64),
    Text(String),
}

/// Assembles `AND`-joined conditions with `$n` placeholders numbered in order, portable to both backends.
#[derive(Debug, Default)]
pub struct Filters {
    pub clauses: Vec<String>,
    pub params: Vec<Param>,
}

impl Filters {
    /// Adds a condition; each `?` in `clause` becomes the next `$n`.
    pub fn push(&mut self, clause: &str, values: impl IntoIterator<Item = Param>) {
        let mut out = String::with_capacity(clause.len() + 4);
        for ch in clause.chars() {
            if ch == '?' {
                out.push_str(&format!(
                    "${}",
                    self.params.len() + 1 + out.matches('$').count()
                ));
            } else {
                out.push(ch);
            }
        }
        self.clauses.push(out);
        self.params.extend(values);
    }

    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn next_placeholder(&self) -> String {
        format!("${}", self.params.len() + 1)
    }

    pub fn bind<'q, O>(
        &'q self,
        mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
        for p in &self.params {
            q = match p {
                Param::Int(i) => q.bind(*i),
                Param::Text(s) => q.bind(s.as_str()),
            };
        }
        q
    }
}

#[cfg(test)]
mod values_tests {
    #[test]
    fn values_groups_number_on_from_the_first() {
        assert_eq!(super::values_groups(2, 3, 1), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::values_groups(1, 1, 2), "($2)");
        assert_eq!(super::values_groups(0, 4, 1), "");
    }
}
