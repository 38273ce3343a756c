//! Browsing and exporting the audit log: keyset pages (newest first) and a streamed CSV export.

use crate::db::{Db, Filters, Param};
use axum::body::Bytes;
use futures_util::Stream;
use serde::{Deserialize, Serialize};

/// Filters from the admin page's query string; all optional.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub actor: Option<String>,
    /// Inclusive dates, `YYYY-MM-DD` (already validated by the handler).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Show entries with `seq` below this (next page).
    pub before: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor_label: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

fn filters(organization_id: i64, f: &AuditFilter) -> Filters {
    let mut w = Filters::default();
    w.push("organization_id = ?", [Param::Int(organization_id)]);
    let non_empty = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    if let Some(a) = non_empty(&f.action) {
        w.push("action = ?", [Param::Text(a)]);
    }
    if let Some(t) = non_empty(&f.target_type) {
        w.push("target_type = ?", [Param::Text(t)]);
    }
    if let Some(a) = non_empty(&f.actor) {
        w.push("actor_label = ?", [Param::Text(a)]);
    }
    if let Some(d) = non_empty(&f.from) {
        w.push("at >= ?", [Param::Text(d)]);
    }
    if let Some(d) = non_empty(&f.to) {
        // Inclusive end date: everything before the next day's first instant.
        w.push("at < ?", [Param::Text(format!("{d}T99"))]);
    }
    if let Some(b) = f.before {
        w.push("seq < ?", [Param::Int(b)]);
    }
    w
}

const COLUMNS: &str =
    "seq, at, actor_label, action, target_type, target_id, before_json, after_json";

/// One page, newest first.
pub async fn list(
    db: &Db,
    organization_id: i64,
    f: &AuditFilter,
    limit: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    let w = filters(organization_id, f);
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log{} ORDER BY seq DESC LIMIT {}",
        w.where_sql(),
        limit.clamp(1, 500)
    );
    w.bind(sqlx::query_as::<_, AuditRow>(sqlx::AssertSqlSafe(sql)))
        .fetch_all(db)
        .await
}

/// CSV (UTF-8 with BOM, for Excel) in batches of 500 rows: memory stays flat however long the log.
pub fn stream_csv(
    db: Db,
    organization_id: i64,
    filter: AuditFilter,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    struct State {
        db: Db,
        filter: AuditFilter,
        header_sent: bool,
        done: bool,
    }
    let start = State {
        db,
        filter,
        header_sent: false,
        done: false,
    };
    futures_util::stream::unfold(start, move |mut st| async move {
        if st.done {
            return None;
        }
        if !st.header_sent {
            st.header_sent = true;
            let mut bom = crate::csv_writer::BOM.to_vec();
            bom.extend(crate::csv_writer::line(&[
                "seq",
                "at",
                "actor",
                "action",
                "target_type",
                "target_id",
                "before",
                "after",
            ]));

            return Some((Ok(Bytes::from(bom)), st));
        }
        let rows = match list(&st.db, organization_id, &st.filter, 500).await {
            Ok(rows) => rows,
            Err(e) => {
                st.done = true;
                return Some((Err(std::io::Error::other(e)), st));
            }
        };
        if rows.len() < 500 {
            st.done = true;
        }
        st.filter.before = rows.last().map(|r| r.seq);
        let mut w = crate::csv_writer::Writer::plain();
        for r in &rows {
            let seq = r.seq.to_string();
            w.record(&[
                seq.as_str(),
                &r.at,
                &r.actor_label,
                &r.action,
                &r.target_type,
                &r.target_id,
                r.before_json.as_deref().unwrap_or(""),
                r.after_json.as_deref().unwrap_or(""),
            ]);
        }
        Some((Ok(Bytes::from(w.into_bytes())), st))
    })
}
