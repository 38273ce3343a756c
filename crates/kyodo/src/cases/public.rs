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

const PUBLIC_CASES: &str = "FROM cases c JOIN case_types t ON t.organization_id = c.organization_id \
     AND t.id = c.type_id WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND t.publishable = 1 \
     AND c.merged_into IS NULL";

pub async fn stats(db: &Db, org: i64, fy: i64) -> sqlx::Result<Stats> {
    let by_month = format!(
        "SELECT SUBSTR(c.received_at, 1, 7) AS m, COUNT(*) {PUBLIC_CASES} GROUP BY SUBSTR(c.received_at, 1, 7) ORDER BY m"
    );
    let by_category = format!(
        "SELECT c.category, COUNT(*) AS n {PUBLIC_CASES} GROUP BY c.category ORDER BY n DESC, c.category"
    );
    let by_department = String::from(
        "SELECT COALESCE(d.name, ''), COUNT(*) AS n FROM cases c JOIN case_types t ON t.organization_id = c.organization_id \
         AND t.id = c.type_id LEFT JOIN departments d ON d.organization_id = c.organization_id AND d.id = c.department_id \
         WHERE c.organization_id = $1 AND c.fiscal_year = $2 AND t.publishable = 1 AND c.merged_into IS NULL \
         GROUP BY d.name ORDER BY n DESC, d.name",
    );
    // Days to an answer, sorted; the median is read from the middle (one column of small numbers).
    let days = format!(
        "SELECT SUBSTR(c.received_at, 1, 10), SUBSTR(c.answered_at, 1, 10) {PUBLIC_CASES} AND c.answered_at IS NOT NULL"
    );
    let q = |sql: &str| {
        sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(org)
            .bind(fy)
            .fetch_all(db)
    };
    let (by_month, by_category, by_department) =
        tokio::try_join!(q(&by_month), q(&by_category), q(&by_department))?;
    let spans: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(days))
        .bind(org)
        .bind(fy)
        .fetch_all(db)
        .await?;
    let mut d: Vec<i64> = spans
        .iter()
        .filter_map(|(a, b)| {
            let a = chrono::NaiveDate::parse_from_str(a, "%Y-%m-%d").ok()?;
            let b = chrono::NaiveDate::parse_from_str(b, "%Y-%m-%d").ok()?;
            Some((b - a).num_days())
        })
        .collect();
    d.sort_unstable();
    let median_days = match d.len() {
        0 => None,
        n if n % 2 == 1 => Some(d[n / 2] as f64),
        n => Some((d[n / 2 - 1] + d[n / 2]) as f64 / 2.0),
    };
    Ok(Stats {
        total: by_month.iter().map(|m| m.1).sum(),
        answered: d.len() as i64,
        by_month,
        by_category,
        by_department,
        median_days,
    })
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

/// Cases received by fiscal year, month, category and department (the open-data counts).
pub async fn counts(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, String, String, String, i64)>> {
    sqlx::query_as(
        "SELECT c.fiscal_year, SUBSTR(c.received_at, 1, 7), c.category, COALESCE(d.name, ''), COUNT(*) \
         FROM cases c JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         LEFT JOIN departments d ON d.organization_id = c.organization_id AND d.id = c.department_id \
         WHERE c.organization_id = $1 AND t.publishable = 1 AND c.merged_into IS NULL \
         GROUP BY c.fiscal_year, SUBSTR(c.received_at, 1, 7), c.category, d.name \
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
