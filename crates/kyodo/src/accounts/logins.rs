//! Delays after failed sign-ins, kept in the database so that every Kyodo instance on it sees
//! the same counts. Per account and client address (one attacker's address cannot lock the
//! owner out from theirs), and per account over all addresses (a guess spread over many).

use crate::db::Db;

/// Failures from one address on one account before its delays start.
pub const PAIR_DELAY_AFTER: i64 = 3;
/// Failures on one account from all addresses before the account as a whole is delayed.
pub const ACCOUNT_DELAY_AFTER: i64 = 20;
const LONGEST_DELAY_SECONDS: i64 = 15 * 60;

/// The delay after `failures` (0 before `after`, then 2 s doubling, at most 15 minutes).
pub fn delay_seconds(failures: i64, after: i64) -> i64 {
    if failures < after {
        0
    } else {
        2i64.checked_shl((failures - after).min(20) as u32)
            .unwrap_or(LONGEST_DELAY_SECONDS)
            .min(LONGEST_DELAY_SECONDS)
    }
}

fn until(seconds: i64) -> String {
    crate::db::timestamp(chrono::Utc::now() + chrono::Duration::seconds(seconds))
}

/// Whether attempts from `address` on the account wait.
pub async fn delayed(
    db: &Db,
    org: i64,
    user_id: i64,
    address: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM login_delays WHERE organization_id = $1 AND user_id = $2 AND address = $3 \
         AND delayed_until > $4",
    )
    .bind(org)
    .bind(user_id)
    .bind(address)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// Counts a failure for the pair and the account and sets both delays; returns the account's
/// failures so far.
pub async fn record_failure(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    user_id: i64,
    address: &str,
) -> sqlx::Result<i64> {
    let (pair,): (i64,) = sqlx::query_as(
        "INSERT INTO login_delays (organization_id, user_id, address, failures, delayed_until) \
         VALUES ($1, $2, $3, 1, '') ON CONFLICT (organization_id, user_id, address) \
         DO UPDATE SET failures = login_delays.failures + 1 RETURNING failures",
    )
    .bind(org)
    .bind(user_id)
    .bind(address)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE login_delays SET delayed_until = $1 \
         WHERE organization_id = $2 AND user_id = $3 AND address = $4",
    )
    .bind(until(delay_seconds(pair, PAIR_DELAY_AFTER)))
    .bind(org)
    .bind(user_id)
    .bind(address)
    .execute(&mut *conn)
    .await?;
    let (account,): (i64,) = sqlx::query_as(
        "UPDATE users SET failed_logins = failed_logins + 1 \
         WHERE organization_id = $1 AND id = $2 RETURNING failed_logins",
    )
    .bind(org)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    let wait = delay_seconds(account, ACCOUNT_DELAY_AFTER);
    if wait > 0 {
        sqlx::query("UPDATE users SET locked_until = $1 WHERE organization_id = $2 AND id = $3")
            .bind(until(wait))
            .bind(org)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(account)
}

/// A successful sign-in clears the pair's count and the account's.
pub async fn record_success(db: &Db, org: i64, user_id: i64, address: &str) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM login_delays WHERE organization_id = $1 AND user_id = $2 AND address = $3",
    )
    .bind(org)
    .bind(user_id)
    .bind(address)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE users SET failed_logins = 0, locked_until = NULL \
         WHERE organization_id = $1 AND id = $2 AND (failed_logins > 0 OR locked_until IS NOT NULL)",
    )
    .bind(org)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Counts a sign-in attempt from `address` and says whether it is within `per_minute` for the
/// address's current one-minute window. The count is one row per address, updated in one
/// statement, so every instance on the database shares it.
pub async fn attempt_allowed(
    db: &Db,
    org: i64,
    address: &str,
    per_minute: u32,
) -> sqlx::Result<bool> {
    let now = chrono::Utc::now();
    let window_over = crate::db::timestamp(now - chrono::Duration::seconds(60));
    let (attempts,): (i64,) = sqlx::query_as(
        "INSERT INTO login_attempts (organization_id, address, window_start, attempts) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (organization_id, address) DO UPDATE SET \
           attempts = CASE WHEN login_attempts.window_start <= $4 THEN 1 ELSE login_attempts.attempts + 1 END, \
           window_start = CASE WHEN login_attempts.window_start <= $4 THEN $3 ELSE login_attempts.window_start END \
         RETURNING attempts",
    )
    .bind(org)
    .bind(address)
    .bind(crate::db::timestamp(now))
    .bind(&window_over)
    .fetch_one(db)
    .await?;
    if attempts == 1 {
        // A new window: forget the organization's finished ones (the table stays as small as the
        // number of addresses signing in within a minute).
        sqlx::query("DELETE FROM login_attempts WHERE organization_id = $1 AND window_start <= $2")
            .bind(org)
            .bind(&window_over)
            .execute(db)
            .await?;
    }
    Ok(attempts <= i64::from(per_minute))
}

#[cfg(test)]
mod tests {
    #[test]
    fn delays_double_from_the_threshold_up_to_fifteen_minutes() {
        let d = |n| super::delay_seconds(n, 3);
        assert_eq!(
            [d(0), d(2), d(3), d(4), d(5), d(12), d(13), d(60)],
            [0, 0, 2, 4, 8, 900, 900, 900]
        );
    }
}
