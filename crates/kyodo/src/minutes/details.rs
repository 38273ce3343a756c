//! A meeting's details besides its speeches: the agenda (議事日程, or 庁議 案件 with 結果 and
//! 担当部局) and the documents (配布資料). The agenda comes from the minutes' heading on import;
//! staff correct it, and add place, attendance and documents, on the meeting's HQ page — pasted
//! from a sheet, a line per item, columns split by tabs or 「｜」, every problem named by line.

use super::store::AgendaItem;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::validation::{FieldErrors, LineProblem};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Item {
    pub seq: i64,
    pub title: String,
    pub result: String,
    pub department: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Document {
    pub seq: i64,
    pub title: String,
    pub url: String,
}

/// Replaces a meeting's agenda (inside the caller's transaction).
pub async fn replace_items(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    meeting: i64,
    items: &[AgendaItem],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM minutes_items WHERE organization_id = $1 AND meeting_id = $2")
        .bind(org)
        .bind(meeting)
        .execute(&mut *conn)
        .await?;
    let rows = items.iter().enumerate().map(|(i, it)| {
        (
            i as i64 + 1,
            [
                it.title.as_str(),
                it.result.as_str(),
                it.department.as_str(),
            ],
        )
    });
    insert_rows(
        conn,
        org,
        meeting,
        "minutes_items",
        "title, result, department",
        rows,
    )
    .await
}

async fn replace_documents(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    meeting: i64,
    docs: &[(String, String)],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM minutes_documents WHERE organization_id = $1 AND meeting_id = $2")
        .bind(org)
        .bind(meeting)
        .execute(&mut *conn)
        .await?;
    let rows = docs
        .iter()
        .enumerate()
        .map(|(i, (t, u))| (i as i64 + 1, [t.as_str(), u.as_str()]));
    insert_rows(conn, org, meeting, "minutes_documents", "title, url", rows).await
}

/// One multi-row INSERT per 100 rows of `N` text columns after (organization, meeting, seq).
async fn insert_rows<'a, const N: usize>(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    meeting: i64,
    table: &str,
    columns: &str,
    rows: impl Iterator<Item = (i64, [&'a str; N])>,
) -> sqlx::Result<()> {
    let rows: Vec<_> = rows.collect();
    for chunk in rows.chunks(100) {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} (organization_id, meeting_id, seq, {columns}) VALUES {}",
            crate::db::values_groups(chunk.len(), N + 3, 1)
        )));
        for (seq, texts) in chunk {
            q = q.bind(org).bind(meeting).bind(*seq);
            for t in texts {
                q = q.bind(*t);
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The agenda items of several meetings, as (meeting id, item), in order.
pub async fn items_of(db: &Db, org: i64, meetings: &[i64]) -> sqlx::Result<Vec<(i64, Item)>> {
    rows_of(
        db,
        org,
        meetings,
        "seq, title, result, department",
        "minutes_items",
    )
    .await
}

/// The documents of several meetings, as (meeting id, document), in order.
pub async fn documents_of(
    db: &Db,
    org: i64,
    meetings: &[i64],
) -> sqlx::Result<Vec<(i64, Document)>> {
    rows_of(db, org, meetings, "seq, title, url", "minutes_documents").await
}

#[derive(sqlx::FromRow)]
struct Of<T> {
    meeting_id: i64,
    #[sqlx(flatten)]
    row: T,
}

async fn rows_of<T>(
    db: &Db,
    org: i64,
    meetings: &[i64],
    columns: &str,
    table: &str,
) -> sqlx::Result<Vec<(i64, T)>>
where
    T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    if meetings.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = meetings.iter().map(i64::to_string).collect();
    let rows: Vec<Of<T>> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT meeting_id, {columns} FROM {table} WHERE organization_id = $1 AND meeting_id IN ({}) \
         ORDER BY meeting_id, seq",
        ids.join(", ")
    )))
    .bind(org)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.meeting_id, r.row)).collect())
}

/// The details form as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub attendance: String,
    /// A line per item: title, result, department.
    #[serde(default)]
    pub items: String,
    /// A line per document: title, URL.
    #[serde(default)]
    pub documents: String,
}

/// A line's cells: split by tabs (pasted from a sheet) or 「｜」/「|」.
fn cells(line: &str) -> Vec<String> {
    let sep: &[char] = if line.contains('\t') {
        &['\t']
    } else {
        &['｜', '|']
    };
    line.split(sep).map(|c| c.trim().to_string()).collect()
}

/// Every non-empty line read by `read` from its cells: the values, or each line's problem.
fn read_lines<T>(
    text: &str,
    read: impl Fn(&[String]) -> Result<T, &'static str>,
) -> Result<Vec<T>, Vec<LineProblem>> {
    let (mut values, mut problems) = (Vec::new(), Vec::new());
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        match read(&cells(l)) {
            Ok(v) => values.push(v),
            Err(key) => problems.push(LineProblem {
                line: i + 1,
                key,
                value: l.chars().take(40).collect(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}

/// The agenda as typed, or each problem by line.
pub fn parse_items(text: &str) -> Result<Vec<AgendaItem>, Vec<LineProblem>> {
    read_lines(text, |c| match c {
        [title, ..] if title.is_empty() => Err("minutes.item_no_title"),
        c if c.len() > 3 => Err("minutes.item_too_many_cells"),
        c if c.iter().any(|v| v.chars().count() > 2000) => Err("field.too_long"),
        c if c.iter().any(|v| v.chars().any(char::is_control)) => Err("field.invalid_chars"),
        c => Ok(AgendaItem {
            title: c[0].clone(),
            result: c.get(1).cloned().unwrap_or_default(),
            department: c.get(2).cloned().unwrap_or_default(),
        }),
    })
}

/// The documents as typed — a title and an http(s) address each — or each problem by line.
pub fn parse_documents(text: &str) -> Result<Vec<(String, String)>, Vec<LineProblem>> {
    read_lines(text, |c| {
        let [title, url] = c else {
            return Err("minutes.document_cells");
        };
        // Only web addresses: a `javascript:` link on a public page would run in visitors' browsers.
        let web = url.starts_with("https://") || url.starts_with("http://");
        if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
            Err("minutes.document_cells")
        } else if !web || url.len() > 2000 || url.chars().any(char::is_whitespace) {
            Err("minutes.document_url")
        } else {
            Ok((title.clone(), url.clone()))
        }
    })
}

/// Checks the form whole; saves place, attendance, agenda and documents in one transaction.
/// A problem in the agenda or the documents is reported on the field (`Invalid`); the page lists
/// the lines from [`parse_items`] / [`parse_documents`].
pub async fn save(
    app: &App,
    org: i64,
    actor: &Actor,
    meeting: i64,
    f: &DetailsForm,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let place = errs.optional_text("place", &f.place, 200);
    let attendance = errs.long_text("attendance", &f.attendance, 20_000);
    let items = parse_items(&f.items).unwrap_or_else(|_| {
        errs.add("items", "minutes.details_lines");
        Vec::new()
    });
    let docs = parse_documents(&f.documents).unwrap_or_else(|_| {
        errs.add("documents", "minutes.details_lines");
        Vec::new()
    });
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let mut tx = app.begin_write().await?;
    let changed = sqlx::query(
        "UPDATE minutes_meetings SET place = $1, attendance = $2 WHERE organization_id = $3 AND id = $4",
    )
    .bind(&place)
    .bind(&attendance)
    .bind(org)
    .bind(meeting)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    replace_items(&mut tx, org, meeting, &items).await?;
    replace_documents(&mut tx, org, meeting, &docs).await?;
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "minutes.details",
            target_type: "minutes_meeting",
            target_id: meeting.to_string(),
            before: None,
            after: Some(serde_json::json!({ "items": items.len(), "documents": docs.len() })),
        },
    )
    .await?;
    Ok(())
}
