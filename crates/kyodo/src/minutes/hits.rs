//! Reading the speeches of a page of hits by the keys the index gave. An API answer carries each
//! speech whole; a search page shows only a snippet, so it reads a window of each speech around its
//! first hit: a speech of this archive runs to ~27,000 characters, and reading ten or twenty of
//! them whole through the driver was most of a search page's time.

use super::search::Hit;
use super::snippet::CONTEXT;
use super::store::MEETING_COLUMNS;
use crate::app::App;
use crate::db::{Backend, backend_of};

/// How much of each speech to read.
#[derive(Debug, Clone, Copy)]
pub enum Text<'a> {
    Whole,
    /// Enough around the first occurrence of any of these (normalised) terms for a snippet of
    /// ±`CONTEXT` characters with every hit in it whole; without terms, the speech's start.
    Around(&'a [&'a str]),
}

/// No occurrence (an `instr` of 0 made unsigned), and the sentinel of a speech read whole.
const NONE: i64 = 2_147_483_647;

const FROM: &str = "minutes_speeches s JOIN minutes_meetings m ON m.organization_id = s.organization_id AND m.id = s.meeting_id";

/// `s.meeting_id IN (…) AND s.seq IN (…)` for keys the index gave (integers, never user text):
/// the primary key answers it; the few extra rows it may return are dropped by the caller.
fn keys_clause(keys: &[(i64, i64)]) -> String {
    let list = |v: Vec<i64>| {
        let mut v = v;
        v.sort_unstable();
        v.dedup();
        v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
    };
    format!(
        "s.meeting_id IN ({}) AND s.seq IN ({})",
        list(keys.iter().map(|k| k.0).collect()),
        list(keys.iter().map(|k| k.1).collect())
    )
}

fn columns(table: &str) -> String {
    MEETING_COLUMNS
        .split(", ")
        .map(|c| format!("{table}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The query reading `keys`, with the terms it binds from `$2`.
fn sql(backend: Backend, keys: &[(i64, i64)], text: Text<'_>) -> (String, Vec<String>) {
    let speech = "seq, speaker_raw, speaker, position, speaker_group";
    let terms: Vec<String> = match text {
        Text::Whole => {
            let sql = format!(
                "SELECT {}, s.{}, s.text FROM {FROM} WHERE s.organization_id = $1 AND ({})",
                columns("m"),
                speech.replace(", ", ", s."),
                keys_clause(keys)
            );
            return (sql, Vec::new());
        }
        Text::Around(terms) => terms
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| t.to_string())
            .collect(),
    };
    // The same functions by their names on each database; on PostgreSQL `OFFSET 0` keeps the
    // inner query from being merged into the outer one, which would search each speech three times
    // (and take it out of TOAST each time).
    let (instr, least, greatest, fence) = match backend {
        Backend::Sqlite => ("instr", "min", "max", ""),
        Backend::Postgres => ("strpos", "least", "greatest", " OFFSET 0"),
    };
    if terms.is_empty() {
        // The page shows the first 2 × CONTEXT characters and says whether more follow.
        let sql = format!(
            "SELECT {}, s.{}, substr(s.text, 1, {}) AS text, CAST(0 AS BIGINT) AS text_from FROM {FROM} \
             WHERE s.organization_id = $1 AND ({})",
            columns("m"),
            speech.replace(", ", ", s."),
            2 * CONTEXT + 1,
            keys_clause(keys)
        );
        return (sql, terms);
    }
    // The first occurrence (0-based characters) of any term in a speech that is its own normal
    // form — where its place in the text is its place in the normalised text; NONE otherwise.
    let places: Vec<String> = (0..terms.len())
        .map(|i| format!("(({instr}(s.text, ${}) - 1) & {NONE})", i + 2))
        .collect();
    let first = if places.len() == 1 {
        places[0].clone()
    } else {
        format!("{least}({})", places.join(", "))
    };
    let longest = terms.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    // From CONTEXT before the first hit to CONTEXT after the end of any hit that starts in the
    // snippet, and one character more, so the snippet knows whether the speech goes on.
    let window = 2 * CONTEXT + 2 * longest + 1;
    let sql = format!(
        "SELECT {}, w.{}, CASE WHEN w.f < {NONE} THEN substr(w.text, {greatest}(1, w.f + 1 - {CONTEXT}), {window}) \
         ELSE w.text END AS text, CAST(CASE WHEN w.f < {NONE} THEN {greatest}(0, w.f - {CONTEXT}) ELSE 0 END AS BIGINT) AS text_from \
         FROM (SELECT {}, s.{}, s.text, CASE WHEN s.text_plain = 1 THEN {first} ELSE {NONE} END AS f FROM {FROM} \
         WHERE s.organization_id = $1 AND ({}){fence}) w",
        columns("w"),
        speech.replace(", ", ", w."),
        columns("m"),
        speech.replace(", ", ", s."),
        keys_clause(keys)
    );
    (sql, terms)
}

/// The speeches of `keys`, in their order (a speech deleted since the index was read is left out).
pub async fn read(
    app: &App,
    org: i64,
    keys: &[(i64, i64)],
    text: Text<'_>,
) -> anyhow::Result<Vec<Hit>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let (sql, terms) = sql(backend_of(&app.config.database_url), keys, text);
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org);
    for t in &terms {
        q = q.bind(t);
    }
    let rows: Vec<Hit> = q.fetch_all(&app.db).await?;
    let order = keys
        .iter()
        .filter_map(|(m, s)| rows.iter().position(|h| h.meeting.id == *m && h.seq == *s))
        .collect::<Vec<_>>();
    let mut rows: Vec<Option<Hit>> = rows.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| rows[i].take()).collect())
}
