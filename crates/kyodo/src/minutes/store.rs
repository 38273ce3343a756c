//! Meetings and speeches as stored. A meeting keeps its id when it is imported again (its
//! permalinks stay valid); its speeches are replaced.

use crate::db::flag::{self, Flag};
use crate::db::{Db, new_id, now};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Meeting {
    pub id: i64,
    pub source_key: String,
    /// 会議体: 本会議, 総務委員会, 庁議 …
    pub body: String,
    pub kind: String,
    /// 会期: 令和6年2月定例会
    pub session: String,
    /// 号: 第3号
    pub issue: String,
    pub held_on: String,
    pub title: String,
    /// 場所
    pub place: String,
    /// 出席者, as the minutes give them.
    pub attendance: String,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub is_demo: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Speech {
    pub seq: i64,
    pub speaker_raw: String,
    pub speaker: String,
    pub position: String,
    pub speaker_group: String,
    pub text: String,
}

impl Speech {
    /// A stage direction (〔…〕) has no speaker.
    pub fn is_direction(&self) -> bool {
        self.speaker_raw.is_empty()
    }
}

/// A meeting to write.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NewMeeting {
    pub source_key: String,
    pub body: String,
    pub kind: String,
    pub session: String,
    pub issue: String,
    /// YYYY-MM-DD
    pub held_on: String,
    pub title: String,
    /// Empty when the source does not say (a re-import then keeps what staff entered).
    pub place: String,
    pub attendance: String,
    /// The agenda (議事日程 / 庁議 案件); none keeps the stored agenda on a re-import.
    pub items: Vec<AgendaItem>,
    pub speeches: Vec<NewSpeech>,
}

/// 議事日程の一件 / a 庁議 案件 with its result and responsible department.
pub use kyodo_decode::minutes_heading::Item as AgendaItem;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct NewSpeech {
    pub speaker_raw: String,
    pub speaker: String,
    pub position: String,
    pub group: String,
    pub text: String,
}

pub const MEETING_COLUMNS: &str =
    "id, source_key, body, kind, session, issue, held_on, title, place, attendance, is_demo";

/// Speeches written by one INSERT (6 parameters each, far under either database's limit).
const SPEECHES_PER_INSERT: usize = 100;

/// Tells every instance's search index that the organization's meetings changed (call in the
/// transaction that changes them).
pub async fn bump_version(conn: &mut sqlx::AnyConnection, org: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO minutes_index_versions (organization_id, version) VALUES ($1, 1) \
         ON CONFLICT (organization_id) DO UPDATE SET version = minutes_index_versions.version + 1",
    )
    .bind(org)
    .execute(conn)
    .await?;
    Ok(())
}

/// The organization's minutes change counter (0 before any meeting was written).
pub async fn version(db: &Db, org: i64) -> sqlx::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT version FROM minutes_index_versions WHERE organization_id = $1")
            .bind(org)
            .fetch_optional(db)
            .await?
            .unwrap_or(0),
    )
}

/// Has each speech's meeting checked when the transaction commits (migration 0063), on
/// PostgreSQL; nothing on SQLite, whose writers share one commit. PostgreSQL keeps the check's
/// plan per connection; made on an empty table, as in a city's first import, it read every
/// meeting of the organization for each speech (quadratic in the archive).
pub async fn check_meetings_at_commit(conn: &mut sqlx::AnyConnection) -> sqlx::Result<()> {
    if conn.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    sqlx::query("SET CONSTRAINTS minutes_speeches_meeting DEFERRED")
        .execute(conn)
        .await
        .map(|_| ())
}

/// Writes a meeting (inside the caller's transaction), replacing the one with its source key.
pub async fn replace(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    m: &NewMeeting,
    is_demo: bool,
) -> sqlx::Result<i64> {
    replace_at(conn, org, m, is_demo, &now()).await
}

/// [`replace`], with the meeting's revision (`imported_at`) given: an import indexes the meeting
/// as it writes it, under the revision it wrote.
pub async fn replace_at(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    m: &NewMeeting,
    is_demo: bool,
    at: &str,
) -> sqlx::Result<i64> {
    bump_version(&mut *conn, org).await?;
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM minutes_meetings WHERE organization_id = $1 AND source_key = $2",
    )
    .bind(org)
    .bind(&m.source_key)
    .fetch_optional(&mut *conn)
    .await?;
    let id = match existing {
        Some(id) => {
            sqlx::query(
                "DELETE FROM minutes_speeches WHERE organization_id = $1 AND meeting_id = $2",
            )
            .bind(org)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "UPDATE minutes_meetings SET body = $1, kind = $2, session = $3, issue = $4, held_on = $5, title = $6, imported_at = $7, \
                 place = CASE WHEN $10 = '' THEN place ELSE $10 END, attendance = CASE WHEN $11 = '' THEN attendance ELSE $11 END \
                 WHERE organization_id = $8 AND id = $9",
            )
            .bind(&m.body)
            .bind(&m.kind)
            .bind(&m.session)
            .bind(&m.issue)
            .bind(&m.held_on)
            .bind(&m.title)
            .bind(at)
            .bind(org)
            .bind(id)
            .bind(&m.place)
            .bind(&m.attendance)
            .execute(&mut *conn)
            .await?;
            id
        }
        None => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO minutes_meetings (organization_id, id, source_key, body, kind, session, issue, held_on, title, is_demo, imported_at, place, attendance) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(org)
            .bind(id)
            .bind(&m.source_key)
            .bind(&m.body)
            .bind(&m.kind)
            .bind(&m.session)
            .bind(&m.issue)
            .bind(&m.held_on)
            .bind(&m.title)
            .bind(i64::from(is_demo))
            .bind(at)
            .bind(&m.place)
            .bind(&m.attendance)
            .execute(&mut *conn)
            .await?;
            id
        }
    };
    if !m.items.is_empty() {
        super::details::replace_items(&mut *conn, org, id, &m.items).await?;
    }
    // Many rows a statement: a round trip per speech was most of a large import's time.
    for (chunk_no, chunk) in m.speeches.chunks(SPEECHES_PER_INSERT).enumerate() {
        let rows: Vec<String> = (0..chunk.len())
            .map(|r| {
                let p = 3 + r * 6;
                format!(
                    "($1, $2, ${}, ${}, ${}, ${}, ${}, ${})",
                    p,
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5
                )
            })
            .collect();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO minutes_speeches (organization_id, meeting_id, seq, speaker_raw, speaker, position, speaker_group, text) \
             VALUES {}",
            rows.join(", ")
        )))
        .bind(org)
        .bind(id);
        for (i, s) in chunk.iter().enumerate() {
            q = q
                .bind((chunk_no * SPEECHES_PER_INSERT + i) as i64 + 1)
                .bind(&s.speaker_raw)
                .bind(&s.speaker)
                .bind(&s.position)
                .bind(&s.group)
                .bind(&s.text);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(id)
}

pub async fn meeting(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Meeting>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MEETING_COLUMNS} FROM minutes_meetings WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn speeches(db: &Db, org: i64, meeting: i64) -> sqlx::Result<Vec<Speech>> {
    sqlx::query_as(
        "SELECT seq, speaker_raw, speaker, position, speaker_group, text FROM minutes_speeches \
         WHERE organization_id = $1 AND meeting_id = $2 ORDER BY seq",
    )
    .bind(org)
    .bind(meeting)
    .fetch_all(db)
    .await
}

/// The speeches of several meetings in one query, as (meeting id, speech), in order.
pub async fn speeches_of(db: &Db, org: i64, meetings: &[i64]) -> sqlx::Result<Vec<(i64, Speech)>> {
    if meetings.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = meetings.iter().map(i64::to_string).collect();
    let rows: Vec<MeetingSpeech> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT meeting_id, seq, speaker_raw, speaker, position, speaker_group, text FROM minutes_speeches \
         WHERE organization_id = $1 AND meeting_id IN ({}) ORDER BY meeting_id, seq",
        ids.join(", ")
    )))
    .bind(org)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.meeting_id, r.speech)).collect())
}

#[derive(sqlx::FromRow)]
struct MeetingSpeech {
    meeting_id: i64,
    #[sqlx(flatten)]
    speech: Speech,
}

/// The newest meetings first.
pub async fn recent(db: &Db, org: i64, limit: i64) -> sqlx::Result<Vec<Meeting>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MEETING_COLUMNS} FROM minutes_meetings WHERE organization_id = $1 ORDER BY held_on DESC, id DESC LIMIT $2"
    )))
    .bind(org)
    .bind(limit)
    .fetch_all(db)
    .await
}
