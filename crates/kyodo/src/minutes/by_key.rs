//! A page's speeches and meetings read by the keys the index gave (`search.rs`), in statements
//! PostgreSQL prepares once: the keys are bound as parameters in a list padded to one of a few
//! lengths, never written into the SQL.

use super::search::Hit;
use super::store::{MEETING_COLUMNS, Meeting};
use crate::db::Db;

/// The speeches of `keys` (meeting, 発言番号) with their meetings, in no particular order.
pub async fn speeches(db: &Db, org: i64, keys: &[(i64, i64)]) -> sqlx::Result<Vec<Hit>> {
    let sql = format!(
        "WITH k (meeting_id, seq) AS (VALUES {}) \
         SELECT {}, s.seq, s.speaker_raw, s.speaker, s.position, s.speaker_group, s.text FROM k \
         JOIN minutes_speeches s ON s.organization_id = $1 AND s.meeting_id = k.meeting_id AND s.seq = k.seq \
         JOIN minutes_meetings m ON m.organization_id = s.organization_id AND m.id = s.meeting_id",
        keys_values(keys.len()),
        meeting_columns()
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org);
    // Padding: meeting 0 is no meeting.
    let padding = std::iter::repeat_n((0, 0), padded(keys.len()) - keys.len());
    for (meeting, seq) in keys.iter().copied().chain(padding) {
        query = query.bind(meeting).bind(seq);
    }
    query.fetch_all(db).await
}

/// The meetings of `ids`, in no particular order.
pub async fn meetings(db: &Db, org: i64, ids: &[i64]) -> sqlx::Result<Vec<Meeting>> {
    let list: Vec<String> = (0..padded(ids.len()))
        .map(|i| format!("CAST(${} AS BIGINT)", i + 2))
        .collect();
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MEETING_COLUMNS} FROM minutes_meetings WHERE organization_id = $1 AND id IN ({})",
        list.join(", ")
    )))
    .bind(org);
    let padding = std::iter::repeat_n(0, list.len() - ids.len());
    for id in ids.iter().copied().chain(padding) {
        query = query.bind(id);
    }
    query.fetch_all(db).await
}

/// The page's keys as rows of a `VALUES` list of parameters (from `$2`), joined to the primary
/// key: exactly the page's speeches. (`meeting_id IN (…) AND seq IN (…)` read their cross
/// product — for a page of ten, up to a hundred speeches whole, ten times the text.) The list is
/// padded to one of a few lengths with a key no speech has, so that a handful of prepared
/// statements serve every page: numbers written into the text made each page a statement of its
/// own, parsed and planned by PostgreSQL on every ask.
fn keys_values(keys: usize) -> String {
    (0..padded(keys))
        .map(|i| {
            format!(
                "(CAST(${} AS BIGINT), CAST(${} AS BIGINT))",
                2 * i + 2,
                2 * i + 3
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The list lengths statements are made for (a page is 10 or 20; the API asks up to 1,000).
const KEY_LIST_LENGTHS: [usize; 7] = [10, 20, 50, 100, 200, 500, 1_000];

fn padded(keys: usize) -> usize {
    KEY_LIST_LENGTHS
        .into_iter()
        .find(|n| *n >= keys)
        .unwrap_or(keys)
}

fn meeting_columns() -> String {
    MEETING_COLUMNS
        .split(", ")
        .map(|c| format!("m.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
