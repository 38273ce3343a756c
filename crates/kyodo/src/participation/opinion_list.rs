//! The department's list of a consultation's opinions, a page at a time: a viral consultation has
//! 10,000 and the work page must never load them all.

use super::opinions::{COLUMNS, Opinion};
use crate::db::Db;

/// Which of a consultation's confirmed opinions the work page shows: one section (0: the whole
/// draft) or all, only those not yet in a group, and which page.
#[derive(Debug, Clone)]
pub struct Filter {
    pub section: Option<i64>,
    pub ungrouped: bool,
    pub offset: i64,
    pub limit: i64,
}

/// One page of the confirmed opinions in receipt order, how many match the filter, and how many
/// wait for their submitter's confirmation. A viral consultation has 10,000: never all at once.
pub async fn page_of(
    db: &Db,
    org: i64,
    c: i64,
    f: &Filter,
) -> sqlx::Result<(Vec<Opinion>, i64, i64)> {
    const MATCHING: &str = "FROM pc_opinions WHERE organization_id = $1 AND consultation_id = $2 AND confirmed = 1 \
         AND ($3 < 0 OR section_number = $3) AND ($4 = 0 OR group_id IS NULL)";
    let section = f.section.unwrap_or(-1);
    let ungrouped = i64::from(f.ungrouped);
    let (list, matching, waiting) = tokio::try_join!(
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} {MATCHING} ORDER BY receipt_no LIMIT $5 OFFSET $6"
        )))
        .bind(org)
        .bind(c)
        .bind(section)
        .bind(ungrouped)
        .bind(f.limit)
        .bind(f.offset)
        .fetch_all(db),
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {MATCHING}")))
            .bind(org)
            .bind(c)
            .bind(section)
            .bind(ungrouped)
            .fetch_one(db),
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM pc_opinions WHERE organization_id = $1 AND consultation_id = $2 AND confirmed = 0",
        )
        .bind(org)
        .bind(c)
        .fetch_one(db),
    )?;
    Ok((list, matching, waiting))
}
