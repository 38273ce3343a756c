//! 予約番号 — booking numbers, counted per fiscal year of booking, never given twice on any number of
//! instances: the year's counter row is incremented in one statement (`… RETURNING`).
//!
//! Every booking and draw goes through that one row, and PostgreSQL holds a row's lock until its
//! transaction commits. Taken inside the booking's transaction, the row waited for the rest of it
//! (the update, the mail, the audit entry, the commit): in a burst the winners of every slot
//! queued there one after another, and the losers of each slot waited behind their winner. So
//! on PostgreSQL the number is taken, after the booking passed every check, in a statement of its
//! own on the counters pool that commits at once; if the booking then fails to be stored, its
//! number stays unused (欠番), as with the case desk's numbers. SQLite lets one writer at a time
//! in anyway: there the number is taken inside the booking's transaction and has no gaps.

use crate::app::App;
use sqlx::AnyConnection;

/// Takes `count` numbers of `fiscal_year` and returns the last of them (the first is
/// `last - count + 1`).
pub async fn take(
    app: &App,
    tx: &mut AnyConnection,
    org: i64,
    fiscal_year: i32,
    count: i64,
) -> sqlx::Result<i64> {
    let Some(counters) = &app.counters else {
        return sqlx::query_scalar(
            "INSERT INTO rsv_counters (organization_id, fiscal_year, last) VALUES ($1, $2, $3) \
             ON CONFLICT (organization_id, fiscal_year) DO UPDATE SET last = rsv_counters.last + $3 RETURNING last",
        )
        .bind(org)
        .bind(i64::from(fiscal_year))
        .bind(count)
        .fetch_one(tx)
        .await;
    };
    // Committed without waiting for its WAL flush: the booking's own commit (which waits) comes
    // after it in the WAL, so a number is durable before any receipt shows it; one lost in a
    // crash was never shown, and giving it again duplicates nothing.
    sqlx::query_scalar(
        "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)), \
         taken AS (INSERT INTO rsv_counters (organization_id, fiscal_year, last) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id, fiscal_year) DO UPDATE SET last = rsv_counters.last + $3 RETURNING last) \
         SELECT taken.last FROM taken, quick",
    )
    .bind(org)
    .bind(i64::from(fiscal_year))
    .bind(count)
    .fetch_one(counters)
    .await
}
