//! Write transactions. SQLite has one writer at a time, and a writer that finds the lock taken
//! sleeps in SQLite's busy handler (1, 2, 5 … 100 ms steps) however soon the lock is free: under
//! load that sleep, not the work, made a write's p99 hundreds of milliseconds. So on SQLite the
//! writers of this process queue on an async lock before `BEGIN` and each starts the moment the
//! previous one commits. Correctness does not rest on it — SQLite's own lock and the busy timeout
//! still order writers of other processes (`kyodo` commands run beside the server). PostgreSQL
//! writers do not queue: its row locks and advisory locks do that per row.

use sqlx::AnyConnection;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The longest a writer waits for its turn.
const TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The per-process queue of SQLite writers (`None` on PostgreSQL).
#[derive(Clone, Default)]
pub struct WriteQueue(Option<Arc<Mutex<()>>>);

impl WriteQueue {
    pub fn for_backend(backend: super::Backend) -> Self {
        match backend {
            super::Backend::Sqlite => Self(Some(Arc::new(Mutex::new(())))),
            super::Backend::Postgres => Self(None),
        }
    }

    /// Begins a transaction on `db`, after the writers queued before it on SQLite.
    pub async fn begin(&self, db: &super::Db) -> sqlx::Result<WriteTx> {
        let turn = match &self.0 {
            // Bounded like SQLite's busy timeout: a writer that waits longer (say, a transaction
            // begun while another of the same task is open) goes on without its turn and meets
            // SQLite's own lock, as it would without the queue — never a wait without end.
            Some(lock) => match tokio::time::timeout(TURN_WAIT, lock.clone().lock_owned()).await {
                Ok(turn) => Some(turn),
                Err(_) => {
                    tracing::warn!(
                        "a write waited {TURN_WAIT:?} for its turn; going on without it"
                    );
                    None
                }
            },
            None => None,
        };
        Ok(WriteTx {
            tx: db.begin().await?,
            _turn: turn,
        })
    }
}

/// A transaction holding its place in the write queue until it commits or is dropped. It reads
/// and writes like the connection it wraps (`&mut *tx`).
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.tx.rollback().await
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}
