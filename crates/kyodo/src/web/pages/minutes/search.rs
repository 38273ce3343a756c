//! 会議録検索 — the search page: terms (AND, OR, NOT, "phrase"), filters, newest or oldest first, the
//! exact number of matching speeches, and each hit with a snippet (±40 characters, every hit
//! marked) and a link to the speech inside its meeting. Without a query: the newest meetings.

use super::{date, kind_key};
use crate::error::AppResult;
use crate::minutes::search::{self, Filters, PAGE};
use crate::minutes::snippet;
use crate::minutes::store::{self, Meeting};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::QueryData;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    q: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    speaker: String,
    /// 役職, as the minutes write it (議長, 市長, 議員 …).
    #[serde(default)]
    position: String,
    /// 会派.
    #[serde(default)]
    group: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: i64,
}

/// One hit as shown.
pub struct HitView {
    pub meeting: Meeting,
    pub date: String,
    pub seq: i64,
    pub speaker: String,
    pub pieces: Vec<(String, bool)>,
    pub cut_before: bool,
    pub cut_after: bool,
}

#[derive(Template)]
#[template(path = "minutes/search.html")]
struct SearchPage<'a> {
    s: Shell<'a>,
    p: &'a Params,
    bodies: Vec<String>,
    positions: Vec<String>,
    groups: Vec<String>,
    /// A problem with the query or a filter (shown beside it).
    error: Option<(&'static str, String)>,
    searched: bool,
    total_text: String,
    hits: Vec<HitView>,
    /// (meeting, date, kind key) when nothing was searched.
    recent: Vec<(Meeting, String, &'static str)>,
    /// Links to the previous and next pages.
    prev: Option<String>,
    next: Option<String>,
    query_string: String,
    /// The matching speeches per year: an SVG chart and its data (year, count).
    chart: String,
    years: Vec<(String, i64)>,
    /// 庁議の案件・結果 that match (first page only): (item, date, snippet of title and result).
    items: Vec<ItemView>,
    items_title: String,
}

pub struct ItemView {
    pub hit: crate::minutes::items::ItemHit,
    pub date: String,
    pub pieces: Vec<(String, bool)>,
}

/// A date filter as typed (和暦 or ISO) → YYYY-MM-DD, or the problem.
fn date_filter(v: &str) -> Result<String, ()> {
    if v.trim().is_empty() {
        return Ok(String::new());
    }
    kyodo_jp::wareki::parse_date(v)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| ())
}

fn encode(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

pub async fn search(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(p): QueryData<Params>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    // One read of the index's version for the whole page (a round trip on PostgreSQL).
    let ix = search::index(&st.app, org).await?;
    let (bodies, positions, groups) = search::facets(&ix);
    let query = search::parse(&p.q);
    let (from, until) = (date_filter(&p.from), date_filter(&p.until));
    let error = match (&query, &from, &until) {
        (Err(m), _, _) => Some(("q", t.f(m, &[&search::MAX_QUERY_CHARS]))),
        (_, Err(()), _) => Some(("from", t.t("minutes.bad_date_filter").to_string())),
        (_, _, Err(())) => Some(("until", t.t("minutes.bad_date_filter").to_string())),
        _ => None,
    };
    let mut page = SearchPage {
        s: Shell::new(&ctx, "minutes.title"),
        p: &p,
        bodies,
        positions,
        groups,
        error: None,
        searched: false,
        total_text: String::new(),
        hits: Vec::new(),
        recent: Vec::new(),
        prev: None,
        next: None,
        query_string: String::new(),
        chart: String::new(),
        years: Vec::new(),
        items: Vec::new(),
        items_title: String::new(),
    };
    let filters_given = !(p.body.is_empty()
        && p.kind.is_empty()
        && p.speaker.is_empty()
        && p.position.is_empty()
        && p.from.is_empty()
        && p.until.is_empty());
    match (query, from, until, error) {
        (Ok(q), Ok(from), Ok(until), None) if !q.is_empty() || filters_given => {
            let filters = Filters {
                body: p.body.clone(),
                kind: p.kind.clone(),
                speakers: vec![p.speaker.split_whitespace().collect()],
                meeting_names: Vec::new(),
                position: p.position.clone(),
                group: p.group.clone(),
                from,
                until,
                oldest_first: p.sort == "old",
            };
            let offset = p.page.max(0) * PAGE;
            let (total, hits, years) =
                search::search_with_years(&st.app, &ix, org, &q, &filters, (offset, PAGE)).await?;
            if years.len() > 1 {
                page.chart = crate::charts::bars(
                    "minutes-years",
                    t.t("minutes.by_year"),
                    &years.iter().map(|(y, _)| y.clone()).collect::<Vec<_>>(),
                    &[crate::charts::Series {
                        name: t.t("minutes.speeches"),
                        values: years.iter().map(|(_, n)| Some(*n as f64)).collect(),
                    }],
                    t.t("minutes.speeches_unit"),
                );
            }
            page.years = years;
            let terms = q.positive();
            if p.page <= 0 {
                page.items = item_views(t, db, org, &q, &filters, &terms).await?;
                page.items_title = t.f("minutes.items_found", &[&page.items.len()]);
            }
            page.searched = true;
            page.total_text = t.f("minutes.total", &[&total]);
            page.hits = hits
                .into_iter()
                .map(|h| {
                    let (pieces, cut_before, cut_after) = if terms.is_empty() {
                        let end = h
                            .text
                            .char_indices()
                            .nth(2 * snippet::CONTEXT)
                            .map_or(h.text.len(), |(i, _)| i);
                        (
                            vec![(h.text[..end].to_string(), false)],
                            false,
                            end < h.text.len(),
                        )
                    } else {
                        snippet::snippet(&h.text, &terms)
                    };
                    HitView {
                        date: date(t, &h.meeting.held_on),
                        meeting: h.meeting,
                        seq: h.seq,
                        speaker: h.speaker_raw,
                        pieces,
                        cut_before,
                        cut_after,
                    }
                })
                .collect();
            let qs = format!(
                "q={}&body={}&kind={}&speaker={}&position={}&from={}&until={}&sort={}",
                encode(&p.q),
                encode(&p.body),
                encode(&p.kind),
                encode(&p.speaker),
                encode(&p.position),
                encode(&p.from),
                encode(&p.until),
                encode(&p.sort)
            );
            page.prev = (p.page > 0).then(|| format!("/minutes?{qs}&page={}", p.page - 1));
            page.next =
                ((p.page + 1) * PAGE < total).then(|| format!("/minutes?{qs}&page={}", p.page + 1));
            page.query_string = encode(&p.q);
        }
        (_, _, _, Some(e)) => {
            page.error = Some(e);
            let html = render(&page)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
        _ => {
            page.recent = store::recent(db, org, 20)
                .await?
                .into_iter()
                .map(|m| {
                    let d = date(t, &m.held_on);
                    let k = kind_key(&m.kind);
                    (m, d, k)
                })
                .collect();
        }
    }
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// The matching 庁議 items with their snippets (title and result, the terms marked).
async fn item_views(
    t: crate::i18n::Tr,
    db: &crate::db::Db,
    org: i64,
    q: &search::Query,
    f: &Filters,
    terms: &[&str],
) -> AppResult<Vec<ItemView>> {
    let hits = crate::minutes::items::search(db, org, q, f).await?;
    Ok(hits
        .into_iter()
        .map(|hit| {
            let text = format!("{} — {}", hit.title, hit.result);
            let pieces = if terms.is_empty() {
                vec![(text, false)]
            } else {
                snippet::snippet(&text, terms).0
            };
            ItemView {
                date: date(t, &hit.held_on),
                hit,
                pieces,
            }
        })
        .collect())
}
