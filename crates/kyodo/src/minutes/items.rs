//! 庁議の案件: a 庁議 record is often its agenda and results only (案件, 結果, 担当部局), with no
//! speeches for the speech index to find. Its items are searched here, with the speeches' exact
//! semantics (a term matches when its normalised form occurs in the normalised text). A city
//! holds tens of 庁議 a year with a few items each, so the organization's items are read in one
//! query and matched in memory; the speech filters that items cannot have (speaker, position,
//! 会派, a council-only kind) leave them out.

use super::search::{Filters, Query};
use super::text::normalize;
use crate::db::Db;

/// The most items read for one search (newest first): decades of 庁議.
const READ_AT_MOST: i64 = 20_000;

/// One matching item with its meeting.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemHit {
    pub meeting_id: i64,
    pub meeting_title: String,
    pub body: String,
    pub held_on: String,
    pub is_demo: bool,
    pub seq: i64,
    pub title: String,
    pub result: String,
    pub department: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    meeting_id: i64,
    meeting_title: String,
    body: String,
    held_on: String,
    is_demo: i64,
    seq: i64,
    title: String,
    result: String,
    department: String,
}

/// Whether a search with these filters can find items at all.
pub fn applies(f: &Filters) -> bool {
    (f.kind.is_empty() || f.kind == "executive")
        && f.position.is_empty()
        && f.group.is_empty()
        && f.speakers.iter().all(|s| s.trim().is_empty())
}

/// Does the normalised `text` satisfy the query (every group by one of its terms, no excluded
/// term)? An empty query matches everything (a search by filters only).
pub fn satisfies(q: &Query, text: &str) -> bool {
    q.groups
        .iter()
        .all(|g| g.iter().any(|t| text.contains(t.as_str())))
        && !q.not.iter().any(|t| text.contains(t.as_str()))
}

/// The 庁議 items matching the query and filters, newest meeting first.
pub async fn search(db: &Db, org: i64, q: &Query, f: &Filters) -> sqlx::Result<Vec<ItemHit>> {
    if !applies(f) {
        return Ok(Vec::new());
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT m.id AS meeting_id, m.title AS meeting_title, m.body, m.held_on, m.is_demo, \
         i.seq, i.title, i.result, i.department \
         FROM minutes_meetings m JOIN minutes_items i ON i.organization_id = m.organization_id AND i.meeting_id = m.id \
         WHERE m.organization_id = $1 AND m.kind = 'executive' \
         AND ($2 = '' OR m.body = $2) AND ($3 = '' OR m.held_on >= $3) AND ($4 = '' OR m.held_on <= $4) \
         ORDER BY m.held_on DESC, m.id, i.seq LIMIT $5",
    )
    .bind(org)
    .bind(&f.body)
    .bind(&f.from)
    .bind(&f.until)
    .bind(READ_AT_MOST)
    .fetch_all(db)
    .await?;
    let names: Vec<&str> = f
        .meeting_names
        .iter()
        .map(String::as_str)
        .filter(|n| !n.is_empty())
        .collect();
    let mut hits: Vec<ItemHit> = rows
        .into_iter()
        .filter(|r| names.is_empty() || names.iter().any(|n| r.body.contains(n)))
        .filter(|r| {
            satisfies(
                q,
                &normalize(&format!("{}\n{}\n{}", r.title, r.result, r.department)),
            )
        })
        .map(|r| ItemHit {
            meeting_id: r.meeting_id,
            meeting_title: r.meeting_title,
            body: r.body,
            held_on: r.held_on,
            is_demo: r.is_demo != 0,
            seq: r.seq,
            title: r.title,
            result: r.result,
            department: r.department,
        })
        .collect();
    if f.oldest_first {
        hits.reverse();
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minutes::search::parse;

    #[test]
    fn items_match_as_speeches_do() {
        let text = normalize("公共施設再配置計画\n原案のとおり決定する。\n財務部");
        let yes = |q: &str| satisfies(&parse(q).expect("query"), &text);
        assert!(yes("再配置"));
        assert!(yes("ＦＯＯ OR 決定"), "OR, and full-width folded");
        assert!(yes("再配置 財務部"), "AND across title and department");
        assert!(!yes("再配置 -財務部"), "excluded");
        assert!(!yes("予算"));
        let filters = |kind: &str, position: &str| Filters {
            kind: kind.into(),
            position: position.into(),
            ..Filters::default()
        };
        assert!(applies(&filters("", "")) && applies(&filters("executive", "")));
        assert!(!applies(&filters("council", "")) && !applies(&filters("", "市長")));
    }
}
