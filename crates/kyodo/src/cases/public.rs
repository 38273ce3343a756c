//! What the public sees of the desk: the published cases of publishable types (the text and answer
//! staff redacted, never what the submitter typed) and counts of every case of those types — by
//! month, category and department, and the median office time to an answer.

use crate::db::Db;

/// A published case: 「市民の声と市の回答」.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicCase {
    pub number: String,
    pub type_name: String,
    pub category: String,
    pub department: Option<String>,
    pub received_at: String,
    pub public_text: String,
    pub public_answer: String,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub is_demo: bool,
}

pub const PAGE: i64 = 20;

/// Published cases of a fiscal year, newest first.
pub async fn published(db: &Db, org: i64, fy: i64, page: i64) -> sqlx::Result<Vec<PublicCase>> {
    sqlx::query_as(
        "SELECT c.number, t.name AS type_name, c.category, d.name AS department, c.received_at, \
         c.public_text, c.public_answer, c.is_demo FROM cases c \
         JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         LEFT JOIN departments d ON d.organization_id = c.organization_id AND d.id = c.department_id \
         WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND t.publishable = 1 \
         AND c.published_at IS NOT NULL AND c.publish_consent = 1 \
         ORDER BY c.received_at DESC, c.id DESC LIMIT $3 OFFSET $4",
    )
    .bind(org)
    .bind(fy)
    .bind(PAGE)
    .bind(page.max(0) * PAGE)
    .fetch_all(db)
    .await
}

/// Counts of one fiscal year.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub total: i64,
    pub answered: i64,
    /// (YYYY-MM, cases received).
    pub by_month: Vec<(String, i64)>,
    pub by_category: Vec<(String, i64)>,
    pub by_department: Vec<(String, i64)>,
    /// Median calendar days from arrival to answer.
    pub median_days: Option<f64>,
}

/// The kept counts of publishable kinds (`tallies.rs`); merged cases are never in them.
const PUBLIC_TALLIES: &str = "FROM case_tallies c JOIN case_types t ON t.organization_id = c.organization_id \
     AND t.id = c.type_id WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND t.publishable = 1";

/// A year's statistics from the kept counts: a few hundred rows however many cases there are.
pub async fn stats(db: &Db, org: i64, fy: i64) -> sqlx::Result<Stats> {
    let by_month = format!(
        "SELECT c.month, CAST(SUM(c.received) AS BIGINT) AS n {PUBLIC_TALLIES} GROUP BY c.month \
         HAVING SUM(c.received) > 0 ORDER BY c.month"
    );
    let by_category = format!(
        "SELECT c.category, CAST(SUM(c.received) AS BIGINT) AS n {PUBLIC_TALLIES} GROUP BY c.category \
         HAVING SUM(c.received) > 0 ORDER BY n DESC, c.category"
    );
    let by_department = String::from(
        "SELECT COALESCE(d.name, ''), CAST(SUM(c.received) AS BIGINT) AS n FROM case_tallies c \
         JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         LEFT JOIN departments d ON d.organization_id = c.organization_id AND d.id = c.department_id \
         WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND t.publishable = 1 \
         GROUP BY d.name HAVING SUM(c.received) > 0 ORDER BY n DESC, d.name",
    );
    let days = "SELECT c.days, CAST(SUM(c.n) AS BIGINT) FROM case_answer_days c JOIN case_types t \
         ON t.organization_id = c.organization_id AND t.id = c.type_id \
         WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND t.publishable = 1 \
         GROUP BY c.days HAVING SUM(c.n) > 0 ORDER BY c.days";
    let q = |sql: &str| {
        sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(org)
            .bind(fy)
            .fetch_all(db)
    };
    let histogram = sqlx::query_as::<_, (i64, i64)>(days)
        .bind(org)
        .bind(fy)
        .fetch_all(db);
    let (by_month, by_category, by_department, histogram) =
        tokio::try_join!(q(&by_month), q(&by_category), q(&by_department), histogram)?;
    let answered: i64 = histogram.iter().map(|h| h.1).sum();
    Ok(Stats {
        total: by_month.iter().map(|m| m.1).sum(),
        answered,
        by_month,
        by_category,
        by_department,
        median_days: median(&histogram, answered),
    })
}

/// The median of a histogram of (days, how many), sorted by days.
fn median(histogram: &[(i64, i64)], total: i64) -> Option<f64> {
    let nth = |k: i64| {
        let mut seen = 0;
        histogram.iter().find_map(|&(days, n)| {
            seen += n;
            (seen > k).then_some(days)
        })
    };
    match total {
        0 => None,
        n if n % 2 == 1 => nth(n / 2).map(|d| d as f64),
        n => Some((nth(n / 2 - 1)? + nth(n / 2)?) as f64 / 2.0),
    }
}

/// The fiscal years that have cases of publishable types, newest first (from the numbering
/// counters: one row per kind and year, never the cases themselves).
pub async fn years(db: &Db, org: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT DISTINCT n.fiscal_year FROM case_counters n JOIN case_types t ON t.organization_id = n.organization_id \
         AND t.id = n.type_id WHERE n.organization_id = $1 AND t.publishable = 1 ORDER BY n.fiscal_year DESC",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// (year, number, type, category, department, received, text, answer)
type PublishedRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
);

/// Every published case of every year (the open-data CSV), oldest first.
pub async fn all_published(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, PublicCase)>> {
    let rows: Vec<PublishedRow> = sqlx::query_as(
        "SELECT c.fiscal_year, c.number, t.name, c.category, d.name, c.received_at, c.public_text, c.public_answer \
         FROM cases c JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         LEFT JOIN departments d ON d.organization_id = c.organization_id AND d.id = c.department_id \
         WHERE c.organization_id = $1 AND t.publishable = 1 AND c.published_at IS NOT NULL AND c.publish_consent = 1 \
         ORDER BY c.received_at, c.id",
    )
    .bind(org)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.0,
                PublicCase {
                    number: r.1,
                    type_name: r.2,
                    category: r.3,
                    department: r.4,
                    received_at: r.5,
                    public_text: r.6,
                    public_answer: r.7,
                    is_demo: false,
                },
            )
        })
        .collect())
}

/// Cases received by fiscal year, month, category and department (the open-data counts), from
/// the kept counts.
pub async fn counts(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, String, String, String, i64)>> {
    sqlx::query_as(
        "SELECT c.fiscal_year, c.month, c.category, COALESCE(d.name, ''), CAST(SUM(c.received) AS BIGINT) \
         FROM case_tallies c JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         LEFT JOIN departments d ON d.organization_id = c.organization_id AND d.id = c.department_id \
         WHERE c.organization_id = $1 AND t.publishable = 1 \
         GROUP BY c.fiscal_year, c.month, c.category, d.name HAVING SUM(c.received) > 0 \
         ORDER BY 1, 2, 3, 4",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// (published cases, demonstration rows among all cases, first and last arrival) for the catalogue.
pub const CATALOGUE_SQL: &str = "SELECT COUNT(*), COALESCE(MAX(c.is_demo), 0), MIN(c.received_at), MAX(c.received_at) \
     FROM cases c JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
     WHERE c.organization_id = $1 AND t.publishable = 1";

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_a_histogram() {
        assert_eq!(median(&[], 0), None);
        assert_eq!(median(&[(3, 1)], 1), Some(3.0));
        // 1, 2, 2, 9 → (2 + 2) / 2; 1, 2, 9 → 2; 1, 9 → 5
        assert_eq!(median(&[(1, 1), (2, 2), (9, 1)], 4), Some(2.0));
        assert_eq!(median(&[(1, 1), (2, 1), (9, 1)], 3), Some(2.0));
        assert_eq!(median(&[(1, 1), (9, 1)], 2), Some(5.0));
    }
}

/// A published answer as news.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerNews {
    pub number: String,
    pub category: String,
    pub published_at: String,
    pub public_text: String,
}

/// The newest answers published in 市民の声と市の回答 (through the `cases_published` index: only
/// published cases are read).
pub async fn recently_published(db: &Db, org: i64, limit: i64) -> sqlx::Result<Vec<AnswerNews>> {
    sqlx::query_as(
        "SELECT c.number, c.category, c.published_at, c.public_text FROM cases c \
         WHERE c.organization_id = $1 AND c.published_at IS NOT NULL AND c.publish_consent = 1 \
         AND c.type_id IN (SELECT t.id FROM case_types t WHERE t.organization_id = $1 AND t.publishable = 1) \
         ORDER BY c.published_at DESC, c.id DESC LIMIT $2",
    )
    .bind(org)
    .bind(limit)
    .fetch_all(db)
    .await
}
