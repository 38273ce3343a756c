//! 監査ログ — the tamper-evident audit log (S-1.2.3, the check function of administration).
//!
//! Every state-changing action appends one entry in the same transaction as the change; `seal`
//! then chains entries per organization, in the order it finds them, within about a second:
//! `hash = SHA-256(prev_hash ‖ canonical JSON of the entry)`.
//! `verify` walks the chain and reports the first entry that was edited, deleted or reordered.

mod query;
mod seal;
pub use query::{AuditFilter, AuditRow, list, stream_csv};
pub use seal::{seal, seal_all, seal_timer};

use crate::db::Db;
use futures_util::TryStreamExt;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it: a signed-in user or an operator at the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn user(id: i64) -> Self {
        Self {
            user_id: Some(id),
            label: format!("user:{id}"),
        }
    }
    pub fn cli(what: &str) -> Self {
        Self {
            user_id: None,
            label: format!("cli:{what}"),
        }
    }
    /// Someone without an account (a guest sending or following up a case).
    pub fn guest() -> Self {
        Self {
            user_id: None,
            label: "guest".into(),
        }
    }
    pub fn system() -> Self {
        Self {
            user_id: None,
            label: "system".into(),
        }
    }
}

/// What happened to which object, with its values before and after.
#[derive(Debug)]
pub struct Change<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The fields of an entry that its hash covers, in order.
struct Hashed<'a> {
    organization_id: i64,
    seq: i64,
    at: &'a str,
    actor_id: Option<i64>,
    actor_label: &'a str,
    action: &'a str,
    target_type: &'a str,
    target_id: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

fn entry_hash(prev_hash: &str, e: Hashed<'_>) -> String {
    let Hashed {
        organization_id,
        seq,
        at,
        actor_id,
        actor_label,
        action,
        target_type,
        target_id,
        before,
        after,
    } = e;
    // A JSON array is an unambiguous encoding of the fields (no delimiter collisions).
    let canonical = serde_json::json!([
        organization_id,
        seq,
        at,
        actor_id,
        actor_label,
        action,
        target_type,
        target_id,
        before,
        after
    ]);
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// Starts an organization's chain; called when the organization is created.
pub async fn init_chain(conn: &mut AnyConnection, organization_id: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit_heads (organization_id, seq, hash) VALUES ($1, 0, $2)")
        .bind(organization_id)
        .bind(GENESIS)
        .execute(conn)
        .await?;
    Ok(())
}

/// How almost every write ends: the audit entry is appended inside the write's own transaction
/// and both are committed together, so a change is never visible without its record.
pub async fn record_and_commit(
    mut tx: crate::db::write::WriteTx,
    organization_id: i64,
    actor: &Actor,
    change: Change<'_>,
) -> sqlx::Result<()> {
    append(&mut tx, organization_id, actor, change).await?;
    tx.commit().await
}

/// Appends one entry. Call inside the transaction that makes the change. The entry waits in
/// `audit_pending` (committed or rolled back with the change) until `seal` chains it, so writers
/// of one organization never queue on the chain's head row.
pub async fn append(
    conn: &mut AnyConnection,
    organization_id: i64,
    actor: &Actor,
    change: Change<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_pending (id, organization_id, at, actor_id, actor_label, action, \
         target_type, target_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(crate::db::new_id())
    .bind(organization_id)
    .bind(crate::db::now())
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(change.action)
    .bind(change.target_type)
    .bind(&change.target_id)
    .bind(change.before.map(|v| v.to_string()))
    .bind(change.after.map(|v| v.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Result of checking one organization's chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        entries: i64,
    },
    /// The first sequence number at which the chain breaks, and why.
    Broken {
        seq: i64,
        reason: &'static str,
    },
}

type Row = (
    i64,
    String,
    Option<i64>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

/// Seals what is waiting, then walks the chain in order, streaming (memory does not grow with
/// the log).
pub async fn verify(db: &Db, organization_id: i64) -> anyhow::Result<Verdict> {
    seal(
        db,
        &crate::db::write::WriteQueue::default(),
        organization_id,
    )
    .await?;
    let mut rows = sqlx::query_as::<_, Row>(
        "SELECT seq, at, actor_id, actor_label, action, target_type, target_id, before_json, \
         after_json, prev_hash, hash FROM audit_log WHERE organization_id = $1 ORDER BY seq",
    )
    .bind(organization_id)
    .fetch(db);
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_string();
    while let Some((seq, at, actor_id, label, action, ttype, tid, before, after, prev_hash, hash)) =
        rows.try_next().await?
    {
        if seq != expected_seq {
            return Ok(Verdict::Broken {
                seq: expected_seq,
                reason: "missing entry (deleted or renumbered)",
            });
        }
        if prev_hash != prev {
            return Ok(Verdict::Broken {
                seq,
                reason: "link to previous entry broken (reordered or previous entry replaced)",
            });
        }
        let recomputed = entry_hash(
            &prev,
            Hashed {
                organization_id,
                seq,
                at: &at,
                actor_id,
                actor_label: &label,
                action: &action,
                target_type: &ttype,
                target_id: &tid,
                before: before.as_deref(),
                after: after.as_deref(),
            },
        );
        if recomputed != hash {
            return Ok(Verdict::Broken {
                seq,
                reason: "content edited",
            });
        }
        prev = hash;
        expected_seq += 1;
    }
    drop(rows);
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_heads WHERE organization_id = $1")
            .bind(organization_id)
            .fetch_optional(db)
            .await?;
    let entries = expected_seq - 1;
    match head {
        Some((head_seq, head_hash)) if head_seq == entries && head_hash == prev => {
            Ok(Verdict::Intact { entries })
        }
        Some((head_seq, _)) if head_seq > entries => Ok(Verdict::Broken {
            seq: entries + 1,
            reason: "missing entry (deleted or renumbered)",
        }),
        _ => Ok(Verdict::Broken {
            seq: entries.max(1),
            reason: "chain head does not match the last entry",
        }),
    }
}
