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
    pub type_id: i64,
    pub fiscal_year: i64,
    pub received_at: &'a str,
    pub category: &'a str,
    pub department_id: Option<i64>,
}

impl<'a> From<&'a Case> for Counted<'a> {
    fn from(c: &'a Case) -> Self {
        Self {
            type_id: c.type_id,
            fiscal_year: c.fiscal_year,
            received_at: &c.received_at,
            category: &c.category,
            department_id: c.department_id,
        }
    }
}

/// Adds `delta` (1 or -1) cases received under `c`.
pub(super) async fn received(
    conn: &mut AnyConnection,
    org: i64,
    c: &Counted<'_>,
    delta: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO case_tallies (organization_id, type_id, fiscal_year, month, category, \
         department_id, received) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (organization_id, type_id, fiscal_year, month, category, department_id) \
         DO UPDATE SET received = case_tallies.received + excluded.received",
    )
    .bind(org)
    .bind(c.type_id)
    .bind(c.fiscal_year)
    .bind(c.received_at.get(..7).unwrap_or(c.received_at))
    .bind(c.category)
    .bind(c.department_id.unwrap_or(0))
    .bind(delta)
    .execute(conn)
    .await?;
    Ok(())
}

/// Calendar days from arrival to answer (dates as the timestamps' first ten characters).
pub fn days_to_answer(received_at: &str, answered_at: &str) -> Option<i64> {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok();
    Some((day(answered_at)? - day(received_at)?).num_days())
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
    for table in ["case_tallies", "case_answer_days"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE organization_id = $1"
        )))
        .bind(org)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO case_tallies (organization_id, type_id, fiscal_year, month, category, \
         department_id, received) \
         SELECT organization_id, type_id, fiscal_year, SUBSTR(received_at, 1, 7), category, \
         COALESCE(department_id, 0), COUNT(*) FROM cases \
         WHERE organization_id = $1 AND merged_into IS NULL \
         GROUP BY organization_id, type_id, fiscal_year, SUBSTR(received_at, 1, 7), category, \
         COALESCE(department_id, 0)",
    )
    .bind(org)
    .execute(&mut *tx)
    .await?;
    // Days need date arithmetic, which the two databases spell differently: counted here.
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
