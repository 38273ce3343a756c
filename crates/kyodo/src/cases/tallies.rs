//! 件数 — counts of cases kept as they are written: received by (kind, 年度, month, category,
//! department) and answered by days to answer. The public statistics and the counts CSV read
//! these few hundred rows rather than every case; each write that changes what is counted (a new
//! case, a transfer, an answer, a merge) updates them in its own transaction, so they never drift
//! apart from the cases, on any number of instances.

use super::store::Case;
use crate::db::Db;
use sqlx::AnyConnection;

/// What a case is counted under.
pub(super) struct Counted<'a> {
    /// The case counted: its id picks which of the eight rows of a count takes it.
    pub case_id: i64,
    pub type_id: i64,
    pub fiscal_year: i64,
    pub received_at: &'a str,
    pub category: &'a str,
    pub department_id: Option<i64>,
}

impl<'a> From<&'a Case> for Counted<'a> {
    fn from(c: &'a Case) -> Self {
        Self {
            case_id: c.id,
            type_id: c.type_id,
            fiscal_year: c.fiscal_year,
            received_at: &c.received_at,
            category: &c.category,
            department_id: c.department_id,
        }
    }
}

/// Rows one count is kept in (migration 0058): concurrent submissions of a kind rarely wait on
/// each other's row lock. Readers add them up.
const SHARDS: i64 = 8;

/// Adds `delta` (1 or -1) cases received under `c`.
pub(super) async fn received(
    conn: &mut AnyConnection,
    org: i64,
    c: &Counted<'_>,
    delta: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO case_tallies (organization_id, type_id, fiscal_year, month, category, \
         department_id, shard, received) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (organization_id, type_id, fiscal_year, month, category, department_id, shard) \
         DO UPDATE SET received = case_tallies.received + excluded.received",
    )
    .bind(org)
    .bind(c.type_id)
    .bind(c.fiscal_year)
    .bind(local_month(c.received_at))
    .bind(c.category)
    .bind(c.department_id.unwrap_or(0))
    .bind(c.case_id.rem_euclid(SHARDS))
    .bind(delta)
    .execute(conn)
    .await?;
    Ok(())
}

/// A stored instant (RFC 3339, UTC) as its day in Japan: a case sent at 08:00 JST on the 1st
/// belongs to the 1st (and to that month), not to the day before as its UTC date says. A bare
/// date is taken as it is.
fn local_day(stored: &str) -> Option<chrono::NaiveDate> {
    match chrono::DateTime::parse_from_rfc3339(stored) {
        Ok(t) => Some(t.with_timezone(&crate::i18n::jst()).date_naive()),
        Err(_) => chrono::NaiveDate::parse_from_str(stored.get(..10)?, "%Y-%m-%d").ok(),
    }
}

/// The month (YYYY-MM, Japan time) a case is counted in.
pub fn local_month(received_at: &str) -> String {
    local_day(received_at)
        .map(|d| d.format("%Y-%m").to_string())
        .unwrap_or_else(|| received_at.get(..7).unwrap_or(received_at).to_string())
}

/// Calendar days from arrival to answer, both days in Japan time.
pub fn days_to_answer(received_at: &str, answered_at: &str) -> Option<i64> {
    Some((local_day(answered_at)? - local_day(received_at)?).num_days())
}

/// Adds `delta` answered cases of `c` taking `days` to answer.
pub(super) async fn answered(
    conn: &mut AnyConnection,
    org: i64,
    c: &Counted<'_>,
    days: i64,
    delta: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO case_answer_days (organization_id, type_id, fiscal_year, days, n) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (organization_id, type_id, fiscal_year, days) \
         DO UPDATE SET n = case_answer_days.n + excluded.n",
    )
    .bind(org)
    .bind(c.type_id)
    .bind(c.fiscal_year)
    .bind(days)
    .bind(delta)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes a case out of the counts (merged into another) or puts it back.
pub(super) async fn count_case(
    conn: &mut AnyConnection,
    org: i64,
    case: &Case,
    delta: i64,
) -> sqlx::Result<()> {
    let c = Counted::from(case);
    received(&mut *conn, org, &c, delta).await?;
    if let Some(days) = case
        .answered_at
        .as_deref()
        .and_then(|a| days_to_answer(&case.received_at, a))
    {
        answered(conn, org, &c, days, delta).await?;
    }
    Ok(())
}

/// Counts an organization's cases again from scratch (bulk loads, and a database whose cases
/// predate the kept counts). One transaction; the cases are read in one pass.
pub async fn rebuild(db: &Db, writes: &crate::db::write::WriteQueue, org: i64) -> sqlx::Result<()> {
    let mut tx = writes.begin(db).await?;
    // Two instances starting together both recount: the second waits for the first, then counts
    // the same again, instead of colliding with its rows.
    crate::db::serialize(&mut tx, org, "cases.tallies").await?;
    for table in ["case_tallies", "case_answer_days"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE organization_id = $1"
        )))
        .bind(org)
        .execute(&mut *tx)
        .await?;
    }
    // Months are Japan's, which SQL would spell differently on each database: counted here, from
    // one pass over the year's cases.
    type Key = (i64, i64, String, String, i64);
    let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "SELECT type_id, fiscal_year, received_at, category, COALESCE(department_id, 0) FROM cases \
         WHERE organization_id = $1 AND merged_into IS NULL",
    )
    .bind(org)
    .fetch_all(&mut *tx)
    .await?;
    let mut months = std::collections::BTreeMap::<Key, i64>::new();
    for (ty, fy, received, category, dept) in rows {
        *months
            .entry((ty, fy, local_month(&received), category, dept))
            .or_default() += 1;
    }
    for ((ty, fy, month, category, dept), n) in months {
        sqlx::query(
            "INSERT INTO case_tallies (organization_id, type_id, fiscal_year, month, category, \
             department_id, shard, received) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
        )
        .bind(org)
        .bind(ty)
        .bind(fy)
        .bind(month)
        .bind(category)
        .bind(dept)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    // Days too, in Japan time.
    let spans: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT type_id, fiscal_year, received_at, answered_at FROM cases \
         WHERE organization_id = $1 AND merged_into IS NULL AND answered_at IS NOT NULL",
    )
    .bind(org)
    .fetch_all(&mut *tx)
    .await?;
    let mut buckets = std::collections::BTreeMap::<(i64, i64, i64), i64>::new();
    for (ty, fy, received, answered) in &spans {
        if let Some(days) = days_to_answer(received, answered) {
            *buckets.entry((*ty, *fy, days)).or_default() += 1;
        }
    }
    for ((ty, fy, days), n) in buckets {
        sqlx::query(
            "INSERT INTO case_answer_days (organization_id, type_id, fiscal_year, days, n) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org)
        .bind(ty)
        .bind(fy)
        .bind(days)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// At start: organizations that have cases but no kept counts yet get them.
pub async fn fill_missing(app: &crate::app::App) -> sqlx::Result<()> {
    // One index probe per organization, not a pass over every case at each start.
    let orgs: Vec<i64> = sqlx::query_scalar(
        "SELECT o.id FROM organizations o \
         WHERE EXISTS (SELECT 1 FROM cases c WHERE c.organization_id = o.id) \
         AND NOT EXISTS (SELECT 1 FROM case_tallies t WHERE t.organization_id = o.id)",
    )
    .fetch_all(&app.db)
    .await?;
    for org in orgs {
        rebuild(&app.db, &app.writes, org).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_days_are_japan_time() {
        // 08:30 JST on 1 May is 23:30 UTC on 30 April.
        assert_eq!(local_month("2026-04-30T23:30:00.000000Z"), "2026-05");
        assert_eq!(local_month("2026-04-30T14:59:59.000000Z"), "2026-04");
        assert_eq!(local_month("2026-06-02"), "2026-06");
        // Sent 23:30 JST on the 1st, answered 09:00 JST on the 2nd: one day, not two.
        assert_eq!(
            days_to_answer("2026-05-01T14:30:00Z", "2026-05-02T00:00:00Z"),
            Some(1)
        );
        assert_eq!(
            days_to_answer("2026-05-01T00:00:00Z", "2026-05-01T08:00:00Z"),
            Some(0)
        );
    }
}
