//! The desk's cases linked to something the city runs: a public facility (関連施設 — counted month
//! by month in its designated manager's report; which cases, for the city's staff only) and a
//! programme (事務事業 — listed on its evaluation sheet for staff) or a plan item (listed on the
//! item's page for staff). Restricted kinds never appear in these lists.

use crate::db::Db;
use chrono::{DateTime, NaiveDate, TimeZone};

/// A linked case. Its subject may carry personal data: staff pages only.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkedCase {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub received_at: String,
}

impl LinkedCase {
    /// The month it arrived in, in Japan ("2026-05"): the report's months are local months.
    pub fn month(&self) -> String {
        DateTime::parse_from_rfc3339(&self.received_at)
            .map(|t| {
                t.with_timezone(&crate::i18n::jst())
                    .format("%Y-%m")
                    .to_string()
            })
            .unwrap_or_default()
    }
}

/// How many of `cases` arrived in each month ("2026-05" → n), Japan time.
pub fn count_by_month(cases: &[LinkedCase]) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for c in cases {
        *counts.entry(c.month()).or_insert(0) += 1;
    }
    counts
}

/// The stored (UTC) instant a local date begins at.
fn start_of(day: NaiveDate) -> String {
    let local = crate::i18n::jst()
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&chrono::Utc));
    local.map(crate::db::timestamp).unwrap_or_default()
}

/// The cases about `facility` received in 年度 `fy` (April–March, Japan time), oldest first.
/// A duplicate merged into another case is counted once, as that case.
pub async fn of_facility_year(
    db: &Db,
    org: i64,
    facility: i64,
    fy: i32,
) -> sqlx::Result<Vec<LinkedCase>> {
    let from = NaiveDate::from_ymd_opt(fy, 4, 1).map(start_of);
    let to = NaiveDate::from_ymd_opt(fy + 1, 4, 1).map(start_of);
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, number, subject, status, received_at FROM cases \
         WHERE organization_id = $1 AND facility_id = $2 AND received_at >= $3 AND received_at < $4 \
         AND merged_into IS NULL AND {NOT_RESTRICTED} ORDER BY received_at, id"
    )))
    .bind(org)
    .bind(facility)
    .bind(from.unwrap_or_default())
    .bind(to.unwrap_or_default())
    .fetch_all(db)
    .await
}

/// Restricted kinds (働きかけ記録) never appear in lists read by other staff, whatever they link.
const NOT_RESTRICTED: &str = "type_id NOT IN (SELECT id FROM case_types WHERE organization_id = $1 AND audience = 'restricted')";

/// What a case may be linked to by a column of its own.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// 事務事業 (evaluation).
    Programme,
    /// A plan item (実施計画の取組項目).
    PlanItem,
}

impl Target {
    fn column(self) -> &'static str {
        match self {
            Target::Programme => "programme_id",
            Target::PlanItem => "plan_node_id",
        }
    }
}

/// The cases linked to `target`'s row `id`, newest first (at most `limit`), and how many there are.
pub async fn of_target(
    db: &Db,
    org: i64,
    target: Target,
    id: i64,
    limit: i64,
) -> sqlx::Result<(Vec<LinkedCase>, i64)> {
    let column = target.column();
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, number, subject, status, received_at FROM cases \
         WHERE organization_id = $1 AND {column} = $2 AND merged_into IS NULL AND {NOT_RESTRICTED} \
         ORDER BY received_at DESC, id DESC LIMIT {}",
        limit.clamp(1, 1000)
    )))
    .bind(org)
    .bind(id);
    let count = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM cases WHERE organization_id = $1 AND {column} = $2 AND merged_into IS NULL AND {NOT_RESTRICTED}"
    )))
    .bind(org)
    .bind(id);
    tokio::try_join!(rows.fetch_all(db), count.fetch_one(db))
}

/// The plan items a case may be linked to: the trackable items of plans past draft, as
/// (id, "plan: number title"), in the plans' and items' order.
pub async fn plan_items(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT n.id, p.title || ': ' || n.number || ' ' || n.title FROM plan_nodes n \
         JOIN plans p ON p.organization_id = n.organization_id AND p.id = n.plan_id \
         WHERE n.organization_id = $1 AND n.trackable = 1 AND p.status <> 'draft' \
         ORDER BY p.id, n.position, n.id",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_bounds_are_japan_time() {
        let c = LinkedCase {
            id: 1,
            number: String::new(),
            subject: String::new(),
            status: String::new(),
            received_at: "2026-04-30T15:30:00.000000Z".into(),
        };
        assert_eq!(c.month(), "2026-05");
        let earlier = LinkedCase {
            received_at: "2026-04-30T14:59:00.000000Z".into(),
            ..c.clone()
        };
        let counts = count_by_month(&[c.clone(), c.clone(), earlier]);
        assert_eq!((counts["2026-05"], counts["2026-04"]), (2, 1));
        let day = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        assert_eq!(start_of(day), "2026-03-31T15:00:00.000000Z");
    }
}
