//! 申請状況の確認 — a submitter finds a case by its number and access key, without an account.
//! A wrong number and a wrong key get the same answer, so the page never tells whether a number
//! exists; failures from one client address are counted in the database (every instance sees the
//! same count) and, after a few, delayed — doubling, at most 15 minutes — as for sign-ins.

use super::store::{self, Case};
use crate::accounts::logins::delay_seconds;
use crate::accounts::tokens;
use crate::app::App;
use crate::db::{now, timestamp};
use crate::error::AppResult;

/// Failures from one address before its look-ups are delayed.
pub const DELAY_AFTER: i64 = 5;

/// Why a look-up found nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// No case with this number and key (never which of the two was wrong).
    NotFound,
    /// Too many misses from this address: try again later.
    Wait,
}

/// The case with this number and key, or why not.
pub async fn find(
    app: &App,
    org: i64,
    number: &str,
    key: &str,
    address: &str,
) -> AppResult<Result<Case, Miss>> {
    let waiting: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM case_lookup_delays WHERE organization_id = $1 AND address = $2 \
         AND delayed_until > $3",
    )
    .bind(org)
    .bind(address)
    .bind(now())
    .fetch_optional(&app.db)
    .await?;
    if waiting.is_some() {
        return Ok(Err(Miss::Wait));
    }
    let found: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, access_digest FROM cases WHERE organization_id = $1 AND number = $2",
    )
    .bind(org)
    .bind(normalise_number(number))
    .fetch_optional(&app.db)
    .await?;
    // The key's digest is worked out whether or not the number exists, and compared in constant
    // time, so neither the answer nor its timing tells the two apart.
    let digest = tokens::digest(key.trim());
    let hit = found.filter(|(_, d)| tokens::same(d, &digest) && !key.trim().is_empty());
    match hit {
        // A hit does not clear the count: one's own number and key must not buy more guesses.
        Some((id, _)) => Ok(store::case(&app.db, org, id).await?.ok_or(Miss::NotFound)),
        None => {
            record_miss(app, org, address).await?;
            Ok(Err(Miss::NotFound))
        }
    }
}

/// Counts a miss. `delayed_until` is also the time of the last miss (now, when no delay): a count
/// whose last miss is a day old starts again.
async fn record_miss(app: &App, org: i64, address: &str) -> AppResult<()> {
    let now = chrono::Utc::now();
    let mut tx = app.begin_write().await?;
    let (failures,): (i64,) = sqlx::query_as(
        "INSERT INTO case_lookup_delays (organization_id, address, failures, delayed_until) \
         VALUES ($1, $2, 1, $3) ON CONFLICT (organization_id, address) \
         DO UPDATE SET failures = CASE WHEN case_lookup_delays.delayed_until < $4 THEN 1 \
         ELSE case_lookup_delays.failures + 1 END RETURNING failures",
    )
    .bind(org)
    .bind(address)
    .bind(timestamp(now))
    .bind(timestamp(now - chrono::Duration::days(1)))
    .fetch_one(&mut *tx)
    .await?;
    let wait = delay_seconds(failures, DELAY_AFTER);
    sqlx::query("UPDATE case_lookup_delays SET delayed_until = $3 WHERE organization_id = $1 AND address = $2")
        .bind(org)
        .bind(address)
        .bind(timestamp(now + chrono::Duration::seconds(wait)))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A number as typed: full-width digits and hyphens made half-width, spaces dropped.
pub fn normalise_number(raw: &str) -> String {
    raw.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '‐' | '−' | '―' => '-',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_as_typed() {
        assert_eq!(
            super::normalise_number(" 令和８－市民の声－００１２３ "),
            "令和8-市民の声-00123"
        );
    }
}
