//! A meeting's minutes: its speeches in order, each with its own anchor (`#s12`, the permalink a
//! search hit links to). With `?q=` every hit is marked and each speech with hits links to the
//! previous and next one.

use super::{date, kind_key};
use crate::error::{AppError, AppResult};
use crate::minutes::details::{self, Document, Item};
use crate::minutes::store::{self, Meeting};
use crate::minutes::{search, snippet};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::shell::{Event, Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    q: String,
}

pub struct SpeechView {
    pub seq: i64,
    pub speaker: String,
    pub direction: bool,
    pub pieces: Vec<(String, bool)>,
    /// The hit number (from 1) when the speech has hits.
    pub hit: Option<usize>,
}

#[derive(Template)]
#[template(path = "minutes/meeting.html")]
struct MeetingPage<'a> {
    s: Shell<'a>,
    m: Meeting,
    date: String,
    kind: &'static str,
    q: String,
    hits_text: String,
    hits: usize,
    items: Vec<Item>,
    documents: Vec<Document>,
    speeches: Vec<SpeechView>,
    /// HQ may correct the place, attendance, agenda and documents.
    editable: bool,
}

pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(p): QueryData<Params>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    let m = store::meeting(db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ids = [id];
    let (speeches, items, documents) = tokio::try_join!(
        store::speeches(db, org, id),
        details::items_of(db, org, &ids),
        details::documents_of(db, org, &ids),
    )?;
    // A query that cannot be read highlights nothing: the minutes are still shown.
    let query = search::parse(&p.q).unwrap_or_default();
    let terms = query.positive();
    let mut hits = 0;
    let speeches = speeches
        .into_iter()
        .map(|s| {
            let marks = if s.is_direction() {
                Vec::new()
            } else {
                snippet::marks(&s.text, &terms)
            };
            let hit = (!marks.is_empty()).then(|| {
                hits += 1;
                hits
            });
            SpeechView {
                seq: s.seq,
                direction: s.is_direction(),
                speaker: s.speaker_raw,
                pieces: snippet::segments(&s.text, &marks, 0, s.text.len()),
                hit,
            }
        })
        .collect();
    let page = MeetingPage {
        s: Shell::new(&ctx, "minutes.meeting_title").with_event(Event {
            name: format!("{} {}", m.body, m.title).trim().to_string(),
            start_date: m.held_on.clone(),
            place: m.place.clone(),
        }),
        date: date(t, &m.held_on),
        kind: kind_key(&m.kind),
        m,
        q: p.q.clone(),
        hits_text: t.f("minutes.hits_in_meeting", &[&hits]),
        hits,
        items: items.into_iter().map(|(_, i)| i).collect(),
        documents: documents.into_iter().map(|(_, d)| d).collect(),
        speeches,
        editable: crate::policy::Access::ReformHq.allows(ctx.principal.as_deref()),
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// A meeting's speeches as open data (CSV through the one writer), one row per speech or direction.
/// A meeting and its speeches as open-data rows, in the import layout (the CSV and the API).
pub async fn speech_rows(
    db: &crate::db::Db,
    org: i64,
    id: i64,
) -> AppResult<(store::Meeting, Vec<Vec<String>>)> {
    let m = store::meeting(db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = store::speeches(db, org, id)
        .await?
        .into_iter()
        .map(|s| {
            vec![
                m.body.clone(),
                m.held_on.clone(),
                m.session.clone(),
                m.issue.clone(),
                s.seq.to_string(),
                s.speaker_raw,
                s.speaker,
                s.position,
                s.speaker_group,
                s.text,
            ]
        })
        .collect();
    Ok((m, rows))
}

pub async fn speeches_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (m, rows) = speech_rows(st.reader(&ctx), ctx.org_id(), id).await?;
    crate::web::download::csv_body(
        &crate::minutes::csv_import::COLUMNS,
        rows,
        format!("minutes-{}-{}.csv", m.held_on, m.id),
    )
}
