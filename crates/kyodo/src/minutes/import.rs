//! Importing minutes: a file is checked whole first — plain text (`kyodo_decode::minutes`) or the
//! NDL JSON record format (`ndl`) — and every problem is named with its file and line; only a file
//! without problems is written, all its meetings in one transaction, each replacing the meeting
//! with its source key (a re-import never duplicates).

use super::index::feed::Feed;
use super::index::segment::MeetingMeta;
use super::ndl;
use super::store::{self, NewMeeting, NewSpeech};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::AppResult;

/// What a plain-text file does not say about itself: its body, kind, session and 号.
#[derive(Debug, Default, Clone)]
pub struct TextMeta {
    pub body: String,
    pub kind: String,
    pub session: String,
    pub issue: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: String,
    /// 0 when the problem is the whole file's.
    pub line: usize,
    /// Catalogue key.
    pub message: &'static str,
    pub value: String,
}

fn problem(file: &str, line: usize, message: &'static str, value: String) -> Problem {
    Problem {
        file: file.to_string(),
        line,
        message,
        value,
    }
}

/// Checks one file: NDL JSON (.json) or XML (.xml), a CSV of speeches (.csv), plain text otherwise.
pub fn check(file: &str, bytes: &[u8], meta: &TextMeta) -> Result<Vec<NewMeeting>, Vec<Problem>> {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".json") {
        return ndl::parse(bytes).map_err(|(m, v)| vec![problem(file, 0, m, v)]);
    }
    if lower.ends_with(".xml") {
        return ndl::parse_xml(bytes).map_err(|(m, v)| vec![problem(file, 0, m, v)]);
    }
    if lower.ends_with(".csv") {
        let sheet = kyodo_decode::sheet::read_csv(bytes, file)
            .map_err(|m| vec![problem(file, 0, m, String::new())])?;
        return super::csv_import::parse(file, &sheet);
    }
    let text = kyodo_decode::minutes::decode(bytes)
        .map_err(|m| vec![problem(file, 0, m, String::new())])?;
    let m = kyodo_decode::minutes::parse(&text).map_err(|ps| {
        ps.into_iter()
            .map(|p| problem(file, p.line, p.message, p.value))
            .collect::<Vec<_>>()
    })?;
    let mut problems = Vec::new();
    if meta.body.trim().is_empty() {
        problems.push(problem(file, 0, "minutes.body_required", String::new()));
    }
    let Some(held_on) = m.held_on else {
        problems.push(problem(file, 0, "minutes.no_date", m.title.clone()));
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let held_on = held_on.format("%Y-%m-%d").to_string();
    let kind = if super::KINDS.contains(&meta.kind.as_str()) {
        meta.kind.clone()
    } else {
        "council".into()
    };
    let meta = TextMeta {
        kind,
        ..meta.clone()
    };
    let key = super::csv_import::source_key(meta.body.trim(), &held_on, meta.issue.trim());
    Ok(vec![from_text(m, &meta, key, held_on)])
}

/// A parsed plain-text meeting with what its text does not say.
pub fn from_text(
    m: kyodo_decode::minutes::Minutes,
    meta: &TextMeta,
    source_key: String,
    held_on: String,
) -> NewMeeting {
    NewMeeting {
        source_key,
        body: meta.body.trim().to_string(),
        kind: meta.kind.clone(),
        session: meta.session.trim().to_string(),
        issue: meta.issue.trim().to_string(),
        held_on,
        title: m.title,
        place: m.heading.place,
        attendance: m.heading.attendance,
        items: m.heading.items,
        speeches: m
            .speeches
            .into_iter()
            .map(|s| NewSpeech {
                speaker_raw: s.speaker_raw,
                speaker: s.name,
                position: s.position,
                group: String::new(),
                text: s.text,
            })
            .collect(),
    }
}

/// Writes checked meetings in one transaction (one import per organization at a time) and
/// brings this process's search index in step; `written` hears each meeting's speech count (a
/// progress bar).
pub async fn apply(
    app: &App,
    org: i64,
    actor: &Actor,
    meetings: Vec<NewMeeting>,
    written: &mut (dyn FnMut(usize) + Send),
) -> AppResult<Vec<i64>> {
    let mut batches = std::iter::once(Ok(meetings));
    apply_batches(app, org, actor, &mut batches, written).await
}

/// Writes batches of checked meetings in one transaction, asking for each batch only when the
/// one before is written: a large import reads its files one at a time, so its memory is one
/// file's meetings however many files it has. A batch that cannot be had (a file changed since it
/// was checked) ends the import with nothing written.
///
/// Each meeting is indexed while the next is written (`index::feed`); after the commit the new
/// segment joins this process's index. Other instances catch up from the database as always.
pub async fn apply_batches(
    app: &App,
    org: i64,
    actor: &Actor,
    batches: &mut (dyn Iterator<Item = anyhow::Result<Vec<NewMeeting>>> + Send),
    written: &mut (dyn FnMut(usize) + Send),
) -> AppResult<Vec<i64>> {
    let feed = Feed::start();
    let mut tx = app.begin_write().await?;
    crate::db::serialize(&mut tx, org, "import.minutes").await?;
    store::check_meetings_at_commit(&mut tx).await?;
    let (mut ids, mut speeches) = (Vec::new(), 0usize);
    for batch in batches {
        // Returning drops the transaction (rolled back) and the feed (its segment unused).
        let batch = batch.map_err(crate::error::AppError::Internal)?;
        for m in batch {
            let revision = crate::db::now();
            let id = store::replace_at(&mut tx, org, &m, false, &revision).await?;
            ids.push(id);
            speeches += m.speeches.len();
            written(m.speeches.len());
            let meta = MeetingMeta {
                id,
                revision,
                held_on: m.held_on,
                body: m.body,
                kind: m.kind,
            };
            feed.meeting(meta, m.speeches).await;
        }
    }
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "minutes.import",
            target_type: "minutes_meeting",
            target_id: ids.first().map(|i| i.to_string()).unwrap_or_default(),
            before: None,
            after: Some(serde_json::json!({ "meetings": ids.len(), "speeches": speeches })),
        },
    )
    .await?;
    // Derived data: if this fails or the process dies first, the next search here or on any
    // instance indexes the meetings from the database.
    let adopted = match feed.finish().await {
        Ok(segment) => app.minutes_index.adopt(&app.db, org, segment).await,
        Err(e) => Err(e),
    };
    if let Err(e) = adopted {
        tracing::warn!("minutes index not updated after an import: {e:#}");
    }
    Ok(ids)
}
