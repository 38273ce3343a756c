//! Searching speeches. A term matches a speech exactly when its normalised form (NFKC, case
//! folded: `text`) occurs in the speech's normalised text — one- and two-character terms included,
//! never a false hit. Terms are ANDed; `OR` between two terms makes them alternatives, `-term` or
//! `NOT term` excludes, "double quotes" keep spaces inside one term. The database does the
//! matching (`LIKE` on the stored normalised text, wildcards escaped), so the count is exact and
//! every instance answers alike.

use super::store::MEETING_COLUMNS;
use super::text::normalize;
use crate::db::Db;
use unicode_normalization::UnicodeNormalization;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most terms a query may have.
pub const MAX_TERMS: usize = 8;
/// Hits per page.
pub const PAGE: i64 = 20;

/// A parsed query: every group must match (a group matches when any of its terms does), and no
/// excluded term may.
#[derive(Debug, Default, PartialEq)]
pub struct Query {
    pub groups: Vec<Vec<String>>,
    pub not: Vec<String>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.not.is_empty()
    }
    /// The terms to highlight.
    pub fn positive(&self) -> Vec<&str> {
        self.groups.iter().flatten().map(String::as_str).collect()
    }
}

/// Reads a query, or says why not (too long, too many terms, only exclusions).
pub fn parse(q: &str) -> Result<Query, &'static str> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err("minutes.query_too_long");
    }
    let q: String = q.nfkc().collect();
    let mut tokens: Vec<(String, bool)> = Vec::new(); // (token, quoted)
    let mut rest = q.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap_or(r.len());
            tokens.push((r[..end].to_string(), true));
            rest = r.get(end + 1..).unwrap_or("").trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            tokens.push((rest[..end].to_string(), false));
            rest = rest[end..].trim_start();
        }
    }
    let mut out = Query::default();
    let (mut or_next, mut not_next) = (false, false);
    for (t, quoted) in tokens {
        match t.as_str() {
            "OR" if !quoted => {
                or_next = true;
                continue;
            }
            "AND" if !quoted => continue,
            "NOT" if !quoted => {
                not_next = true;
                continue;
            }
            _ => {}
        }
        let (excluded, t) = match t.strip_prefix('-').filter(|r| !quoted && !r.is_empty()) {
            Some(r) => (true, r.to_string()),
            None => (not_next, t),
        };
        let term = normalize(&t);
        if term.trim().is_empty() {
            continue;
        }
        if excluded {
            out.not.push(term);
        } else if or_next && !out.groups.is_empty() {
            out.groups
                .last_mut()
                .into_iter()
                .for_each(|g| g.push(term.clone()));
        } else {
            out.groups.push(vec![term]);
        }
        or_next = false;
        not_next = false;
    }
    if out.groups.iter().map(Vec::len).sum::<usize>() + out.not.len() > MAX_TERMS {
        return Err("minutes.too_many_terms");
    }
    if out.groups.is_empty() && !out.not.is_empty() {
        return Err("minutes.only_not");
    }
    Ok(out)
}

/// Narrowing a search.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub body: String,
    pub kind: String,
    /// Parts of the speaker's name: any of them.
    pub speakers: Vec<String>,
    /// Parts of the meeting's name (会議名): any of them.
    pub meeting_names: Vec<String>,
    pub position: String,
    /// YYYY-MM-DD, inclusive.
    pub from: String,
    pub until: String,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
}

/// One hit: a speech in its meeting.
#[derive(Debug, sqlx::FromRow)]
pub struct Hit {
    #[sqlx(flatten)]
    pub meeting: super::store::Meeting,
    pub seq: i64,
    pub speaker_raw: String,
    pub speaker: String,
    pub position: String,
    pub speaker_group: String,
    pub text: String,
}

fn like(term: &str) -> String {
    let escaped: String = term
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// The WHERE clause after the organization ($1) and its string parameters, in order.
fn conditions(q: &Query, f: &Filters) -> (String, Vec<String>) {
    let mut sql = String::from("s.organization_id = $1 AND s.speaker_raw <> ''");
    let mut binds: Vec<String> = Vec::new();
    let param = |v: String, binds: &mut Vec<String>| {
        binds.push(v);
        format!("${}", binds.len() + 1)
    };
    for g in &q.groups {
        let any: Vec<String> = g
            .iter()
            .map(|t| {
                format!(
                    "s.text_norm LIKE {} ESCAPE '\\'",
                    param(like(t), &mut binds)
                )
            })
            .collect();
        sql.push_str(&format!(" AND ({})", any.join(" OR ")));
    }
    for t in &q.not {
        let p = param(like(t), &mut binds);
        sql.push_str(&format!(" AND s.text_norm NOT LIKE {p} ESCAPE '\\'"));
    }
    for (value, column) in [
        (&f.body, "m.body"),
        (&f.kind, "m.kind"),
        (&f.position, "s.position"),
    ] {
        if !value.is_empty() {
            let p = param(value.clone(), &mut binds);
            sql.push_str(&format!(" AND {column} = {p}"));
        }
    }
    for (values, column) in [(&f.speakers, "s.speaker"), (&f.meeting_names, "m.body")] {
        let any: Vec<String> = values
            .iter()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{column} LIKE {} ESCAPE '\\'", param(like(v), &mut binds)))
            .collect();
        if !any.is_empty() {
            sql.push_str(&format!(" AND ({})", any.join(" OR ")));
        }
    }
    if !f.from.is_empty() {
        let p = param(f.from.clone(), &mut binds);
        sql.push_str(&format!(" AND m.held_on >= {p}"));
    }
    if !f.until.is_empty() {
        let p = param(f.until.clone(), &mut binds);
        sql.push_str(&format!(" AND m.held_on <= {p}"));
    }
    (sql, binds)
}

const FROM: &str = "minutes_speeches s JOIN minutes_meetings m ON m.organization_id = s.organization_id AND m.id = s.meeting_id";

/// The exact number of matching speeches and `limit` of them from `offset`.
pub async fn search(
    db: &Db,
    org: i64,
    q: &Query,
    f: &Filters,
    offset: i64,
    limit: i64,
) -> sqlx::Result<(i64, Vec<Hit>)> {
    let (cond, binds) = conditions(q, f);
    let count_sql = format!("SELECT COUNT(*) FROM {FROM} WHERE {cond}");
    let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)).bind(org);
    for b in &binds {
        count = count.bind(b);
    }
    let total: i64 = count.fetch_one(db).await?;
    let order = if f.oldest_first { "ASC" } else { "DESC" };
    let columns: String = MEETING_COLUMNS
        .split(", ")
        .map(|c| format!("m.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let (offset, limit) = (offset.max(0), limit.clamp(0, 1_000));
    let sql = format!(
        "SELECT {columns}, s.seq, s.speaker_raw, s.speaker, s.position, s.speaker_group, s.text FROM {FROM} WHERE {cond} \
         ORDER BY m.held_on {order}, m.id {order}, s.seq LIMIT {limit} OFFSET {offset}"
    );
    let mut rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org);
    for b in &binds {
        rows = rows.bind(b);
    }
    Ok((total, rows.fetch_all(db).await?))
}

/// Matching speeches per calendar year of their meeting, oldest first (the term's frequency).
pub async fn by_year(
    db: &Db,
    org: i64,
    q: &Query,
    f: &Filters,
) -> sqlx::Result<Vec<(String, i64)>> {
    let (cond, binds) = conditions(q, f);
    let mut rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT substr(m.held_on, 1, 4) AS y, COUNT(*) FROM {FROM} WHERE {cond} GROUP BY substr(m.held_on, 1, 4) ORDER BY y"
    )))
    .bind(org);
    for b in &binds {
        rows = rows.bind(b);
    }
    rows.fetch_all(db).await
}

/// The exact number of meetings with a matching speech and `limit` of them from `offset`, each
/// with the numbers of its matching speeches.
pub async fn meetings(
    db: &Db,
    org: i64,
    q: &Query,
    f: &Filters,
    offset: i64,
    limit: i64,
) -> sqlx::Result<(i64, Vec<(super::store::Meeting, Vec<i64>)>)> {
    let (cond, binds) = conditions(q, f);
    let exists = format!(
        "m.organization_id = $1 AND EXISTS (SELECT 1 FROM minutes_speeches s WHERE s.meeting_id = m.id AND {cond})"
    );
    let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM minutes_meetings m WHERE {exists}"
    )))
    .bind(org);
    for b in &binds {
        count = count.bind(b);
    }
    let total: i64 = count.fetch_one(db).await?;
    let order = if f.oldest_first { "ASC" } else { "DESC" };
    let (offset, limit) = (offset.max(0), limit.clamp(0, 1_000));
    let columns: String = MEETING_COLUMNS
        .split(", ")
        .map(|c| format!("m.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {columns} FROM minutes_meetings m WHERE {exists} ORDER BY m.held_on {order}, m.id {order} LIMIT {limit} OFFSET {offset}"
    )))
    .bind(org);
    for b in &binds {
        rows = rows.bind(b);
    }
    let found: Vec<super::store::Meeting> = rows.fetch_all(db).await?;
    if found.is_empty() {
        return Ok((total, Vec::new()));
    }
    // The matching speeches of the page's meetings, in one query.
    let ids: Vec<String> = found.iter().map(|m| m.id.to_string()).collect();
    let mut seqs = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT s.meeting_id, s.seq FROM {FROM} WHERE {cond} AND s.meeting_id IN ({}) ORDER BY s.meeting_id, s.seq",
        ids.join(", ")
    )))
    .bind(org);
    for b in &binds {
        seqs = seqs.bind(b);
    }
    let seqs: Vec<(i64, i64)> = seqs.fetch_all(db).await?;
    Ok((
        total,
        found
            .into_iter()
            .map(|m| {
                let mine = seqs
                    .iter()
                    .filter(|(id, _)| *id == m.id)
                    .map(|(_, s)| *s)
                    .collect();
                (m, mine)
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_read_and_or_not_and_phrases() {
        let q = parse("行政改革　財政 OR 予算 -防災 \"市民 協働\" NOT ｶﾅ").unwrap();
        assert_eq!(
            q.groups,
            vec![
                vec!["行政改革".to_string()],
                vec!["財政".into(), "予算".into()],
                vec!["市民 協働".into()]
            ]
        );
        assert_eq!(q.not, vec!["防災".to_string(), "カナ".to_string()]);
        assert_eq!(parse("-防災"), Err("minutes.only_not"));
        assert_eq!(parse(&"あ".repeat(201)), Err("minutes.query_too_long"));
        assert_eq!(parse("a b c d e f g h i"), Err("minutes.too_many_terms"));
        assert_eq!(like("100%_\\"), "%100\\%\\_\\\\%");
    }
}
