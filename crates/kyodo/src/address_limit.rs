//! 送信の上限 — anonymous submissions from one client address, per thing and per day: survey
//! answers, opinions, 傍聴 registrations, applications to a call. A cookie or an e-mail address is
//! free to change; the address is not, within a day. Counted in the database so every Kyodo
//! instance counts the same; the address is kept only as a digest together with what is counted,
//! never with a submission.

use crate::db::Db;
use sha2::{Digest, Sha256};

fn digest(scope: &str, target: i64, address: &str) -> String {
    hex::encode(Sha256::digest(
        format!("kyodo-address:{scope}:{target}:{address}").as_bytes(),
    ))
}

/// Counts one submission from `address` to `target` of `scope`; false once more than `limit`
/// were counted today.
pub async fn allow(
    db: &Db,
    org: i64,
    scope: &str,
    target: i64,
    address: &str,
    limit: i64,
) -> sqlx::Result<bool> {
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let mut tx = db.begin().await?;
    // Yesterday's and older counts of the organization are no longer needed.
    sqlx::query("DELETE FROM address_counts WHERE organization_id = $1 AND day < $2")
        .bind(org)
        .bind(&day)
        .execute(&mut *tx)
        .await?;
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO address_counts (organization_id, scope, target_id, address_digest, day, n) \
         VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (organization_id, scope, target_id, address_digest, day) \
         DO UPDATE SET n = address_counts.n + 1 RETURNING n",
    )
    .bind(org)
    .bind(scope)
    .bind(target)
    .bind(digest(scope, target, address))
    .bind(&day)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(n <= limit)
}
