//! A PostgreSQL streaming replica for anonymous public reads (`KYODO_DATABASE_REPLICA_URL`).
//!
//! A replica replays the primary's write-ahead log a little later. A page read there must not
//! miss a write this instance already knows of: a write on any instance is announced with the
//! primary's WAL position after it (`cache_sync`), and a read goes to the replica only when the
//! replica has replayed at least that far for the organization, and at least as far as the
//! primary was when this instance started. Otherwise — the replica lags, or does not answer —
//! the read goes to the primary, with a log line when that changes.

use super::Db;
use sqlx::any::AnyPoolOptions;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A write's position that could not be read: the next poll replaces it with the primary's
/// position then (which is past the write), and until then reads go to the primary.
pub const UNKNOWN: u64 = u64::MAX;

/// How often the replica's replay position is read.
const POLL: Duration = Duration::from_millis(20);

pub struct Replica {
    pool: Db,
    /// The WAL position the replica has replayed, as last read.
    replayed: AtomicU64,
    /// The replica answered its last poll.
    up: AtomicBool,
    /// The primary's WAL position when this instance started: older data is never enough.
    floor: AtomicU64,
    /// Per organization, the primary's WAL position after its latest write known here.
    needed: Mutex<HashMap<i64, u64>>,
}

/// `SELECT` of a server's WAL position as a number: the replay position on a replica, the
/// current position on a primary.
const POSITION: &str = "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() \
     ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn)::BIGINT";

/// The WAL position of the server behind `db` (`None` on SQLite or on error).
pub async fn position(db: &Db) -> Option<u64> {
    let (lsn,): (Option<i64>,) = sqlx::query_as(POSITION).fetch_one(db).await.ok()?;
    lsn.map(|l| l.max(0) as u64)
}

impl Replica {
    /// A pool on the replica that connects when first used, so a replica that is down at start
    /// does not keep Kyodo from serving; polling starts with the runtime.
    pub fn open(url: &str, primary: &Db) -> anyhow::Result<Arc<Self>> {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(2))
            .connect_lazy(url)?;
        let replica = Arc::new(Self {
            pool,
            replayed: AtomicU64::new(0),
            up: AtomicBool::new(false),
            floor: AtomicU64::new(UNKNOWN),
            needed: Mutex::new(HashMap::new()),
        });
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(watch(Arc::downgrade(&replica), primary.clone()));
        }
        Ok(replica)
    }

    /// A write of `org` reached WAL position `lsn` on the primary.
    pub fn wrote(&self, org: i64, lsn: u64) {
        if let Ok(mut needed) = self.needed.lock() {
            let n = needed.entry(org).or_default();
            *n = (*n).max(lsn);
        }
    }

    /// Notices from other instances may have been lost: reads go to the primary until the replica
    /// has replayed as far as the primary is now.
    pub fn missed(&self) {
        self.floor.store(UNKNOWN, Ordering::Release);
    }

    /// The replica's pool when it has everything `org`'s pages must show, else `None`.
    pub fn reader_for(&self, org: i64) -> Option<&Db> {
        if !self.up.load(Ordering::Acquire) {
            return None;
        }
        let replayed = self.replayed.load(Ordering::Acquire);
        let needed = self
            .needed
            .lock()
            .ok()?
            .get(&org)
            .copied()
            .unwrap_or(0)
            .max(self.floor.load(Ordering::Acquire));
        (replayed >= needed).then_some(&self.pool)
    }

    /// Whether the replica answered its last poll (for `/healthz` and tests).
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Acquire)
    }

    fn record(&self, replayed: Option<u64>) {
        let was_up = self.up.load(Ordering::Acquire);
        match replayed {
            Some(lsn) => {
                self.replayed.store(lsn, Ordering::Release);
                self.up.store(true, Ordering::Release);
                if !was_up {
                    tracing::info!("read replica answers: anonymous reads go to it when current");
                }
            }
            None => {
                self.up.store(false, Ordering::Release);
                if was_up {
                    tracing::warn!("read replica does not answer: every read goes to the primary");
                }
            }
        }
    }
}

/// Polls the replica's replay position until the replica is dropped.
async fn watch(replica: std::sync::Weak<Replica>, primary: Db) {
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(r) = replica.upgrade() else { return };
        let unknown = r
            .needed
            .lock()
            .is_ok_and(|n| n.values().any(|&v| v == UNKNOWN));
        if r.floor.load(Ordering::Acquire) == UNKNOWN || unknown {
            let Some(lsn) = position(&primary).await else {
                continue;
            };
            if r.floor.load(Ordering::Acquire) == UNKNOWN {
                r.floor.store(lsn, Ordering::Release);
            }
            if let Ok(mut needed) = r.needed.lock() {
                needed
                    .values_mut()
                    .filter(|v| **v == UNKNOWN)
                    .for_each(|v| *v = lsn);
            }
        }
        let replayed = tokio::time::timeout(POLL * 10, position(&r.pool))
            .await
            .ok()
            .flatten();
        r.record(replayed);
    }
}
