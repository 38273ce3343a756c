//! The staff's work list: cases by department, assignee, status, type and deadline, 50 a page,
//! due first. Restricted types (働きかけ記録) are left out unless the reader is the HQ.

use crate::db::{Db, Filters, Param};

/// What the list is narrowed to (all optional).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub department: Option<i64>,
    pub assignee: Option<i64>,
    /// A status code, or `open` for every open status, or empty for all.
    pub status: String,
    pub type_id: Option<i64>,
    /// `overdue` (due before today) or `soon` (due within three days), or empty.
    pub due: String,
    pub include_restricted: bool,
}

/// A row of the list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub number: String,
    pub type_name: String,
    pub subject: String,
    pub category: String,
    pub status: String,
    pub department: Option<String>,
    pub assignee: Option<String>,
    pub received_at: String,
    pub due_on: String,
}

pub const PAGE: i64 = 50;

/// Where a row stands in the list's order (due, received, id): an export resumes after it.
pub type Key = (String, String, i64);

impl Row {
    pub fn key(&self) -> Key {
        (self.due_on.clone(), self.received_at.clone(), self.id)
    }
}

/// Which rows a read returns: a page of the list, or up to `n` rows after a key (the export).
enum Slice<'a> {
    Page(i64),
    After(Option<&'a Key>, i64),
}

/// Up to `n` matching cases after `after`, in the list's order: the CSV export reads the whole
/// list this way, a batch at a time, so its memory does not grow with the list.
pub async fn batch(
    db: &Db,
    org: i64,
    f: &Filter,
    today: &str,
    after: Option<&Key>,
    n: i64,
) -> sqlx::Result<Vec<Row>> {
    query(db, org, f, today, Slice::After(after, n))
        .await
        .map(|r| r.0)
}

/// Every matching case in batches of `n` (each a database round trip), until the list ends.
pub fn batches(
    db: Db,
    org: i64,
    f: Filter,
    today: String,
    n: i64,
) -> impl futures_util::Stream<Item = sqlx::Result<Vec<Row>>> + Send + 'static {
    futures_util::stream::unfold(Some(None::<Key>), move |after| {
        let (db, f, today) = (db.clone(), f.clone(), today.clone());
        async move {
            let after = after?;
            match batch(&db, org, &f, &today, after.as_ref(), n).await {
                Ok(rows) => {
                    let next = (rows.len() as i64 == n).then(|| rows.last().map(Row::key));
                    Some((Ok(rows), next.flatten().map(Some)))
                }
                Err(e) => Some((Err(e), None)),
            }
        }
    })
}

/// One page of the list, and how many match.
pub async fn list(
    db: &Db,
    org: i64,
    f: &Filter,
    today: &str,
    page: i64,
) -> sqlx::Result<(Vec<Row>, i64)> {
    query(db, org, f, today, Slice::Page(page)).await
}

async fn query(
    db: &Db,
    org: i64,
    f: &Filter,
    today: &str,
    slice: Slice<'_>,
) -> sqlx::Result<(Vec<Row>, i64)> {
    let open = format!(
        "c.status IN ({})",
        super::OPEN.map(|s| format!("'{s}'")).join(", ")
    );
    let mut w = Filters::default();
    w.push("c.organization_id = ?", [Param::Int(org)]);
    if let Some(d) = f.department {
        w.push("c.department_id = ?", [Param::Int(d)]);
    }
    if let Some(a) = f.assignee {
        w.push("c.assignee_id = ?", [Param::Int(a)]);
    }
    if let Some(t) = f.type_id {
        w.push("c.type_id = ?", [Param::Int(t)]);
    }
    match f.status.as_str() {
        "" => {}
        "open" => w.push(&open, []),
        s => w.push("c.status = ?", [Param::Text(s.to_string())]),
    }
    match f.due.as_str() {
        "overdue" => {
            w.push("c.due_on < ?", [Param::Text(today.to_string())]);
            w.push(&open, []);
        }
        "soon" => {
            let soon = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d")
                .map(|d| (d + chrono::Duration::days(3)).to_string())
                .unwrap_or_else(|_| today.to_string());
            w.push(
                "c.due_on >= ? AND c.due_on <= ?",
                [Param::Text(today.to_string()), Param::Text(soon)],
            );
            w.push(&open, []);
        }
        _ => {}
    }
    // Restricted kinds are left out by id (a handful), so counting needs no join.
    if !f.include_restricted {
        let restricted: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM case_types WHERE organization_id = $1 AND audience = 'restricted'",
        )
        .bind(org)
        .fetch_all(db)
        .await?;
        if !restricted.is_empty() {
            let marks = vec!["?"; restricted.len()].join(", ");
            w.push(
                &format!("c.type_id NOT IN ({marks})"),
                restricted.into_iter().map(Param::Int),
            );
        }
    }
    if let Slice::After(Some((due, received, id)), _) = slice {
        w.push(
            "(c.due_on, c.received_at, c.id) > (?, ?, ?)",
            [
                Param::Text(due.clone()),
                Param::Text(received.clone()),
                Param::Int(*id),
            ],
        );
    }
    let from = format!(
        "FROM cases c JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         LEFT JOIN departments d ON d.organization_id = c.organization_id AND d.id = c.department_id \
         LEFT JOIN users u ON u.organization_id = c.organization_id AND u.id = c.assignee_id{}",
        w.where_sql()
    );
    let count_sql = format!("SELECT COUNT(*) FROM cases c{}", w.where_sql());
    let list_sql = format!(
        "SELECT c.id, c.number, t.name AS type_name, c.subject, c.category, c.status, d.name AS department, \
         u.display_name AS assignee, c.received_at, c.due_on {from} \
         ORDER BY c.due_on, c.received_at, c.id {}",
        match slice {
            Slice::Page(p) => format!("LIMIT {PAGE} OFFSET {}", p.max(0) * PAGE),
            Slice::After(_, n) => format!("LIMIT {}", n.max(1)),
        }
    );
    let count = w.bind(sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(count_sql)));
    let rows = w.bind(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(list_sql)));
    if matches!(slice, Slice::After(..)) {
        return Ok((rows.fetch_all(db).await?, 0));
    }
    let ((total,), rows) = tokio::try_join!(count.fetch_one(db), rows.fetch_all(db))?;
    Ok((rows, total))
}
