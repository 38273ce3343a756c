//! Write transactions. SQLite has one writer at a time, so its writers queue here, and those that
//! queue together share one commit (group commit): each writer runs in a SAVEPOINT of one open
//! transaction on the queue's connection, and the last writer of the queue (or the 32nd) commits
//! for all. `commit` returns only once that COMMIT is durable (`synchronous = FULL`), so nothing is
//! acknowledged before it is on disk; a writer that fails or is dropped is rolled back to its
//! savepoint and takes nobody else with it. One fsync per group instead of one per write is what
//! lets 64 staff sessions save without queueing behind each other's disk flushes.
//!
//! Correctness does not rest on the queue: SQLite's own lock (taken by `BEGIN IMMEDIATE`) and its
//! busy timeout still order the writers of other processes. PostgreSQL writers do not queue: its
//! row locks and advisory locks do that per row, and it groups commits itself.

use super::Db;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Executor};
use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

/// The longest a writer waits for its turn.
const TURN_WAIT: Duration = Duration::from_secs(10);
/// At most this many writers share one commit, so a steady queue still commits often.
const GROUP_MAX: usize = 32;

/// The per-process queue of SQLite writers (`None` on PostgreSQL, and the `Default` a one-off
/// command uses: plain transactions).
#[derive(Clone, Default)]
pub struct WriteQueue(Option<Arc<Queue>>);

struct Queue {
    writer: Arc<Mutex<Writer>>,
    /// Writers waiting for their turn: while there are some, the group stays open for them.
    waiting: AtomicUsize,
    /// The last group committed and the recent groups that failed, with why.
    outcome: watch::Sender<Outcome>,
}

#[derive(Default, Clone)]
struct Outcome {
    committed: u64,
    failed: VecDeque<(u64, String)>,
}

/// The queue's connection and its open transaction, if any.
#[derive(Default)]
struct Writer {
    conn: Option<PoolConnection<Any>>,
    /// The group whose transaction is open (0: none open).
    group: u64,
    last_group: u64,
    members: usize,
    /// A writer was dropped inside its savepoint; the next one rolls it back first.
    abandoned: bool,
}

impl WriteQueue {
    pub fn for_backend(backend: super::Backend) -> Self {
        match backend {
            super::Backend::Sqlite => Self(Some(Arc::new(Queue {
                writer: Arc::new(Mutex::new(Writer::default())),
                waiting: AtomicUsize::new(0),
                outcome: watch::Sender::new(Outcome::default()),
            }))),
            super::Backend::Postgres => Self(None),
        }
    }

    /// Whether this process's writers queue (SQLite).
    pub fn is_queued(&self) -> bool {
        self.0.is_some()
    }

    /// Begins a transaction on `db`, after the writers queued before it on SQLite.
    pub async fn begin(&self, db: &Db) -> sqlx::Result<WriteTx> {
        let Some(queue) = &self.0 else {
            return Ok(WriteTx(Inner::Plain(db.begin().await?)));
        };
        let turn = {
            let _waiting = Waiting::new(&queue.waiting);
            tokio::time::timeout(TURN_WAIT, queue.writer.clone().lock_owned()).await
        };
        let Ok(mut writer) = turn else {
            // Bounded like SQLite's busy timeout: a writer that waits longer (say, a transaction
            // begun while another of the same task is open) goes on without its turn and meets
            // SQLite's own lock, as it would without the queue — never a wait without end.
            tracing::warn!("a write waited {TURN_WAIT:?} for its turn; going on without it");
            return Ok(WriteTx(Inner::Plain(db.begin().await?)));
        };
        if let Err(e) = open_savepoint(&mut writer, db).await {
            // Whatever the group held is gone with the rolled-back transaction.
            fail_group(&mut writer, queue, &e.to_string()).await;
            return Err(e);
        }
        let group = writer.group;
        // The writer's statements run on the connection directly; it goes back at the turn's end.
        let Some(conn) = writer.conn.take() else {
            return Err(sqlx::Error::PoolClosed);
        };
        Ok(WriteTx(Inner::Grouped {
            writer,
            conn,
            queue: queue.clone(),
            group,
        }))
    }
}

/// Counts a writer as waiting until it has its turn or gives up (also when its task is dropped).
struct Waiting<'a>(&'a AtomicUsize);
impl<'a> Waiting<'a> {
    fn new(n: &'a AtomicUsize) -> Self {
        n.fetch_add(1, Ordering::SeqCst);
        Self(n)
    }
}
impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn open_savepoint(w: &mut Writer, db: &Db) -> sqlx::Result<()> {
    if w.abandoned {
        w.abandoned = false;
        exec(w, "ROLLBACK TO w; RELEASE w").await?;
    }
    if w.group == 0 {
        if w.conn.is_none() {
            w.conn = Some(db.acquire().await?);
        }
        exec(w, "BEGIN IMMEDIATE").await?;
        w.last_group += 1;
        w.group = w.last_group;
        w.members = 0;
    }
    w.members += 1;
    exec(w, "SAVEPOINT w").await
}

async fn exec(w: &mut Writer, sql: &'static str) -> sqlx::Result<()> {
    let conn = w.conn.as_mut().ok_or(sqlx::Error::PoolClosed)?;
    (**conn).execute(sql).await.map(|_| ())
}

/// Ends a writer's turn (rolling an abandoned one back to its savepoint) and commits the open
/// group when nobody waits to join it (or it is full), handing the connection back to the pool
/// so that readers of a one-connection pool are never starved.
async fn end_turn(w: &mut Writer, queue: &Queue) {
    if w.abandoned && w.group != 0 {
        w.abandoned = false;
        if let Err(e) = exec(w, "ROLLBACK TO w; RELEASE w").await {
            fail_group(w, queue, &e.to_string()).await;
        }
    }
    if w.group == 0 || (queue.waiting.load(Ordering::SeqCst) > 0 && w.members < GROUP_MAX) {
        return;
    }
    match exec(w, "COMMIT").await {
        Ok(()) => {
            let group = std::mem::take(&mut w.group);
            queue.outcome.send_modify(|o| o.committed = group);
            w.conn = None;
        }
        Err(e) => {
            tracing::error!("a group commit failed: {e}");
            fail_group(w, queue, &e.to_string()).await;
        }
    }
}

/// Rolls back the open group and tells its writers; the connection is dropped if even that fails.
async fn fail_group(w: &mut Writer, queue: &Queue, why: &str) {
    if w.group == 0 {
        return;
    }
    if exec(w, "ROLLBACK").await.is_err()
        && let Some(mut conn) = w.conn.take()
    {
        conn.close_on_drop();
    }
    w.conn = None;
    w.abandoned = false;
    let group = std::mem::take(&mut w.group);
    queue.outcome.send_modify(|o| {
        o.committed = group;
        o.failed.push_back((group, why.to_string()));
        if o.failed.len() > 64 {
            o.failed.pop_front();
        }
    });
}

/// A transaction holding its place in the write queue until it commits or is dropped. It reads
/// and writes like the connection it wraps (`&mut *tx`).
pub struct WriteTx(Inner);

enum Inner {
    /// PostgreSQL, or a SQLite writer that went on without its turn.
    Plain(sqlx::Transaction<'static, Any>),
    /// A SQLite writer inside its savepoint of the open group.
    Grouped {
        writer: OwnedMutexGuard<Writer>,
        conn: PoolConnection<Any>,
        queue: Arc<Queue>,
        group: u64,
    },
    Done,
}

impl WriteTx {
    /// Returns once the change is committed (on SQLite: once its group's COMMIT is).
    pub async fn commit(mut self) -> sqlx::Result<()> {
        match std::mem::replace(&mut self.0, Inner::Done) {
            Inner::Plain(tx) => tx.commit().await,
            Inner::Grouped {
                mut writer,
                conn,
                queue,
                group,
            } => {
                writer.conn = Some(conn);
                if let Err(e) = exec(&mut writer, "RELEASE w").await {
                    writer.abandoned = true;
                    end_turn(&mut writer, &queue).await;
                    return Err(e);
                }
                end_turn(&mut writer, &queue).await;
                drop(writer);
                wait_for_group(&queue, group).await
            }
            Inner::Done => Ok(()),
        }
    }

    pub async fn rollback(mut self) -> sqlx::Result<()> {
        match std::mem::replace(&mut self.0, Inner::Done) {
            Inner::Plain(tx) => tx.rollback().await,
            Inner::Grouped {
                mut writer,
                conn,
                queue,
                ..
            } => {
                writer.conn = Some(conn);
                writer.abandoned = true;
                end_turn(&mut writer, &queue).await;
                Ok(())
            }
            Inner::Done => Ok(()),
        }
    }
}

/// Waits until `group` is committed, committing it itself if the writers meant to join it went
/// away (a task dropped while it waited for its turn).
async fn wait_for_group(queue: &Arc<Queue>, group: u64) -> sqlx::Result<()> {
    let mut outcome = queue.outcome.subscribe();
    loop {
        let seen = tokio::time::timeout(
            Duration::from_millis(20),
            outcome.wait_for(|o| o.committed >= group),
        )
        .await
        .map(|o| o.map(|o| o.failed.iter().find(|f| f.0 == group).map(|f| f.1.clone())));
        if let Ok(Ok(failed)) = seen {
            // The group's own error (a full or read-only disk, most likely) as an I/O error: it
            // clears by itself, so the visitor is told to retry (503), as for a lone writer.
            return match failed {
                Some(why) => Err(sqlx::Error::Io(std::io::Error::other(format!(
                    "the write's group was rolled back: {why}"
                )))),
                None => Ok(()),
            };
        }
        if let Ok(mut writer) = queue.writer.clone().try_lock_owned()
            && writer.group == group
        {
            writer.members = GROUP_MAX;
            end_turn(&mut writer, queue).await;
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if let Inner::Grouped {
            mut writer,
            conn,
            queue,
            ..
        } = std::mem::replace(&mut self.0, Inner::Done)
        {
            writer.conn = Some(conn);
            writer.abandoned = true;
            // The rollback needs the connection, so it runs on a task of its own that keeps the
            // turn; without a runtime the next writer does it before its own savepoint.
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move { end_turn(&mut writer, &queue).await });
            }
        }
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.0 {
            Inner::Plain(tx) => tx,
            Inner::Grouped { conn, .. } => conn,
            Inner::Done => unreachable!("a finished write transaction"),
        }
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.0 {
            Inner::Plain(tx) => tx,
            Inner::Grouped { conn, .. } => conn,
            Inner::Done => unreachable!("a finished write transaction"),
        }
    }
}
