//! Sealing: entries waiting in `audit_pending` join their organization's hash chain. The head row
//! is locked first and the waiting entries read after, so sealers on several instances take turns
//! and never chain one entry twice; an entry whose transaction commits late is simply sealed in a
//! later round (its place in the chain is when it was sealed, its `at` when it happened).

use super::{Hashed, entry_hash};
use crate::app::App;
use crate::db::Db;
use crate::db::write::WriteQueue;
use std::time::Duration;

/// Entries sealed per transaction: a round holds the write queue (SQLite) or the head row for a
/// few milliseconds; 500 at a time raised the submission storm's p99 on SQLite (159 ms against 116).
const BATCH: i64 = 100;
/// Rows per INSERT or DELETE statement (12 parameters each: well under both databases' limits).
const CHUNK: usize = 100;

type Pending = (
    i64,
    String,
    Option<i64>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// Seals everything waiting for `organization_id`; returns how many entries were sealed.
pub async fn seal(db: &Db, writes: &WriteQueue, organization_id: i64) -> sqlx::Result<usize> {
    let mut sealed = 0;
    loop {
        let waiting: Option<i64> =
            sqlx::query_scalar("SELECT id FROM audit_pending WHERE organization_id = $1 LIMIT 1")
                .bind(organization_id)
                .fetch_optional(db)
                .await?;
        if waiting.is_none() {
            return Ok(sealed);
        }
        let n = seal_batch(db, writes, organization_id).await?;
        sealed += n;
        if n < BATCH as usize {
            return Ok(sealed);
        }
    }
}

async fn seal_batch(db: &Db, writes: &WriteQueue, organization_id: i64) -> sqlx::Result<usize> {
    let mut tx = writes.begin(db).await?;
    // The head's lock first: a second sealer waits here, then reads what is still waiting.
    let (mut seq, mut prev): (i64, String) = sqlx::query_as(
        "UPDATE audit_heads SET seq = seq WHERE organization_id = $1 RETURNING seq, hash",
    )
    .bind(organization_id)
    .fetch_one(&mut *tx)
    .await?;
    let rows: Vec<Pending> = sqlx::query_as(
        "SELECT id, at, actor_id, actor_label, action, target_type, target_id, before_json, \
         after_json FROM audit_pending WHERE organization_id = $1 ORDER BY id LIMIT $2",
    )
    .bind(organization_id)
    .bind(BATCH)
    .fetch_all(&mut *tx)
    .await?;
    for chunk in rows.chunks(CHUNK) {
        let insert = format!(
            "INSERT INTO audit_log (organization_id, seq, at, actor_id, actor_label, action, \
             target_type, target_id, before_json, after_json, prev_hash, hash) VALUES {}",
            crate::db::values_groups(chunk.len(), 12, 1)
        );
        let mut chained = Vec::with_capacity(chunk.len());
        for (_, at, actor_id, label, action, ttype, tid, before, after) in chunk {
            seq += 1;
            let hash = entry_hash(
                &prev,
                Hashed {
                    organization_id,
                    seq,
                    at,
                    actor_id: *actor_id,
                    actor_label: label,
                    action,
                    target_type: ttype,
                    target_id: tid,
                    before: before.as_deref(),
                    after: after.as_deref(),
                },
            );
            chained.push((seq, std::mem::replace(&mut prev, hash.clone()), hash));
        }
        // Only placeholders are formatted in; every value is bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(insert));
        for ((_, at, actor_id, label, action, ttype, tid, before, after), (seq, prev_hash, hash)) in
            chunk.iter().zip(chained)
        {
            q = q
                .bind(organization_id)
                .bind(seq)
                .bind(at)
                .bind(*actor_id)
                .bind(label)
                .bind(action)
                .bind(ttype)
                .bind(tid)
                .bind(before)
                .bind(after)
                .bind(prev_hash)
                .bind(hash);
        }
        q.execute(&mut *tx).await?;
        // Exactly the entries sealed (not "up to an id": one committed late may sit below it).
        let delete = format!(
            "DELETE FROM audit_pending WHERE organization_id = $1 AND id IN {}",
            crate::db::values_groups(1, chunk.len(), 2)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(delete)).bind(organization_id);
        for row in chunk {
            q = q.bind(row.0);
        }
        q.execute(&mut *tx).await?;
    }
    sqlx::query("UPDATE audit_heads SET seq = $2, hash = $3 WHERE organization_id = $1")
        .bind(organization_id)
        .bind(seq)
        .bind(&prev)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// Seals every organization's waiting entries.
pub async fn seal_all(app: &App) -> sqlx::Result<usize> {
    let orgs: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT organization_id FROM audit_pending")
        .fetch_all(&app.db)
        .await?;
    let mut sealed = 0;
    for org in orgs {
        sealed += seal(&app.db, &app.writes, org).await?;
    }
    Ok(sealed)
}

/// Seals once a second for as long as the server runs (every instance does; they take turns).
pub async fn seal_timer(app: App) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = seal_all(&app).await {
            tracing::warn!(error = %e, "audit entries not sealed yet");
        }
    }
}
