//! 整理番号 — a case's number, per type and fiscal year, never given twice on any number of
//! instances: the year's counter row is incremented in one statement (`… RETURNING`).
//!
//! Every submission of a kind goes through that one row, and PostgreSQL holds a row's lock until
//! its transaction commits. Taken inside the case's transaction, the row waited for that whole
//! transaction (and the round trips of each statement), and a storm of submissions queued on it.
//! So on PostgreSQL the number is taken first, in a statement of its own that commits at once;
//! if the case then fails to be stored, its number stays unused (欠番), as on a paper 受付簿.
//! SQLite lets one writer at a time in anyway: there the number is taken inside the case's
//! transaction and numbers have no gaps.

use crate::db::Backend;
use sqlx::AnyConnection;

/// The 整理番号: 令和8-市民の声-00123 (the era year of the fiscal year it arrived in).
pub fn number(fiscal_year: i32, code: &str, seq: i64) -> String {
    let era = kyodo_jp::FiscalYear(fiscal_year)
        .era()
        .map(|(e, n)| format!("{}{n}", e.kanji()))
        .unwrap_or_else(|| fiscal_year.to_string());
    format!("{era}-{code}-{seq:05}")
}

/// Where a case's number comes from.
pub enum Source {
    /// Taken already (PostgreSQL, by [`reserve`]).
    Reserved(i64),
    /// To be taken inside the case's transaction (SQLite).
    InTransaction,
}

/// On PostgreSQL, takes the next number of a type and year in its own statement (committed at
/// once, so no transaction waits behind it); on SQLite, leaves it to the case's transaction.
pub async fn reserve(
    db: &crate::db::Db,
    backend: Backend,
    org: i64,
    type_id: i64,
    fiscal_year: i64,
) -> sqlx::Result<Source> {
    if backend == Backend::Sqlite {
        return Ok(Source::InTransaction);
    }
    // Committed without waiting for its WAL flush: the case's own commit (which waits) comes
    // after it in the WAL, so a number is durable before any receipt shows it; one lost in a
    // crash was never shown, and giving it again duplicates nothing.
    let seq = sqlx::query_scalar(
        "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)), \
         taken AS (INSERT INTO case_counters (organization_id, type_id, fiscal_year, last_seq) \
         VALUES ($1, $2, $3, 1) ON CONFLICT (organization_id, type_id, fiscal_year) \
         DO UPDATE SET last_seq = case_counters.last_seq + 1 RETURNING last_seq) \
         SELECT taken.last_seq FROM taken, quick",
    )
    .bind(org)
    .bind(type_id)
    .bind(fiscal_year)
    .fetch_one(db)
    .await?;
    Ok(Source::Reserved(seq))
}

/// The sequence a case is stored with: the reserved one, or the next taken in `tx`.
pub async fn take(
    source: Source,
    tx: &mut AnyConnection,
    org: i64,
    type_id: i64,
    fiscal_year: i64,
) -> sqlx::Result<i64> {
    match source {
        Source::Reserved(seq) => Ok(seq),
        Source::InTransaction => next(tx, org, type_id, fiscal_year).await,
    }
}

async fn next(
    conn: &mut AnyConnection,
    org: i64,
    type_id: i64,
    fiscal_year: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO case_counters (organization_id, type_id, fiscal_year, last_seq) \
         VALUES ($1, $2, $3, 1) ON CONFLICT (organization_id, type_id, fiscal_year) \
         DO UPDATE SET last_seq = case_counters.last_seq + 1 RETURNING last_seq",
    )
    .bind(org)
    .bind(type_id)
    .bind(fiscal_year)
    .fetch_one(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_the_era_year_and_keep_five_digits_at_least() {
        assert_eq!(number(2026, "市民の声", 123), "令和8-市民の声-00123");
        assert_eq!(number(2026, "市民の声", 123_456), "令和8-市民の声-123456");
    }
}
