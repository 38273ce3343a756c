//! Searching speeches. A term matches a speech exactly when its normalised form (NFKC, case
//! folded: `text`) occurs in the speech's normalised text — one- and two-character terms included,
//! never a false hit. Terms are ANDed; `OR` between two terms makes them alternatives, `-term` or
//! `NOT term` excludes, "double quotes" keep spaces inside one term. The index does the matching
//! (`minutes::index`, exact n-gram postings of the stored normalised text), so the count is exact
//! and every instance, in step with the database, answers alike.

use super::index::matches::Matched;
use super::index::{OrgIndex, eval};
use super::text::normalize;
use crate::app::App;
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
    /// 会派, exactly as stored.
    pub group: String,
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

/// Every query goes through the organization's index (`minutes::index`), brought in step with the
/// primary database first; the speeches of a page are then read by their keys.
async fn matching(
    app: &App,
    org: i64,
    q: &Query,
    f: &Filters,
) -> anyhow::Result<(std::sync::Arc<OrgIndex>, Vec<u32>)> {
    let ix = app.minutes_index.ensure(&app.db, org).await?;
    let ranks = eval::matches(&ix, q, f);
    Ok((ix, ranks))
}

/// The organization's index, brought in step with the database (one read of its version): the
/// search page asks for it once and passes it to the facets and the search.
pub async fn index(app: &App, org: i64) -> anyhow::Result<std::sync::Arc<OrgIndex>> {
    app.minutes_index.ensure(&app.db, org).await
}

/// The 会議名, 役職 and 会派 the organization's speeches have, for the search filters.
pub fn facets(ix: &OrgIndex) -> (Vec<String>, Vec<String>, Vec<String>) {
    (ix.bodies.clone(), ix.positions.clone(), ix.groups.clone())
}

/// The exact number of matching speeches and `limit` of them from `offset`.
pub async fn search(
    app: &App,
    org: i64,
    q: &Query,
    f: &Filters,
    offset: i64,
    limit: i64,
) -> anyhow::Result<(i64, Vec<Hit>)> {
    let ix = index(app, org).await?;
    let m = matched(app, &ix, org, q, f);
    hits_of(app, org, &ix, &m.ranks, f, offset, limit).await
}

/// The search page's answer: the exact total, `limit` hits from `offset` and the matches per
/// year, from one pass over `ix` (or none, when the query was asked lately: the next pages of a
/// query).
pub async fn search_with_years(
    app: &App,
    ix: &std::sync::Arc<OrgIndex>,
    org: i64,
    q: &Query,
    f: &Filters,
    (offset, limit): (i64, i64),
) -> anyhow::Result<(i64, Vec<Hit>, Vec<(String, i64)>)> {
    let m = matched(app, ix, org, q, f);
    let (total, hits) = hits_of(app, org, ix, &m.ranks, f, offset, limit).await?;
    let years = m.years.get_or_init(|| years_of(ix, &m.ranks)).clone();
    Ok((total, hits, years))
}

/// The query's matches in date order with their years, kept for the next asks of it.
fn matched(
    app: &App,
    ix: &std::sync::Arc<OrgIndex>,
    org: i64,
    q: &Query,
    f: &Filters,
) -> std::sync::Arc<Matched> {
    // The order asked changes the page, not the matches.
    let key = format!(
        "{org}|{q:?}|{:?}",
        Filters {
            oldest_first: false,
            ..f.clone()
        }
    );
    if let Some(m) = app.minutes_index.matches.get(ix, &key) {
        return m;
    }
    let mut ranks = eval::matches(ix, q, f);
    if !ix.ordered {
        ranks.sort_unstable();
    }
    let m = std::sync::Arc::new(Matched {
        ranks,
        years: Default::default(),
    });
    app.minutes_index.matches.put(ix, key, m.clone());
    m
}

/// The total of `ranks` (ascending) and the speeches of the asked page, read by key.
async fn hits_of(
    app: &App,
    org: i64,
    ix: &OrgIndex,
    ranks: &[u32],
    f: &Filters,
    offset: i64,
    limit: i64,
) -> anyhow::Result<(i64, Vec<Hit>)> {
    let total = ranks.len() as i64;
    let (offset, limit) = (offset.max(0) as usize, limit.clamp(0, 1_000) as usize);
    let n = offset
        .saturating_add(limit)
        .min(ranks.len())
        .saturating_sub(offset);
    if n == 0 {
        return Ok((total, Vec::new()));
    }
    let keys: Vec<(i64, i64)> = eval::sorted_page(ix, ranks, f.oldest_first, offset, n)
        .into_iter()
        .map(|r| {
            let found = eval::at(ix, r);
            (found.meeting.id, found.seq)
        })
        .collect();
    if keys.is_empty() {
        return Ok((total, Vec::new()));
    }
    let rows = super::by_key::speeches(&app.db, org, &keys).await?;
    // In the page's order (a speech deleted since the index was read is left out).
    let hits = keys
        .iter()
        .filter_map(|(m, s)| rows.iter().position(|h| h.meeting.id == *m && h.seq == *s))
        .collect::<Vec<_>>();
    let mut rows: Vec<Option<Hit>> = rows.into_iter().map(Some).collect();
    Ok((
        total,
        hits.into_iter().filter_map(|i| rows[i].take()).collect(),
    ))
}

/// Matching speeches per calendar year of their meeting, oldest first (the term's frequency).
pub async fn by_year(
    app: &App,
    org: i64,
    q: &Query,
    f: &Filters,
) -> anyhow::Result<Vec<(String, i64)>> {
    let ix = index(app, org).await?;
    let m = matched(app, &ix, org, q, f);
    Ok(m.years.get_or_init(|| years_of(&ix, &m.ranks)).clone())
}

/// Matches per calendar year, from places in date order.
fn years_of(ix: &OrgIndex, ranks: &[u32]) -> Vec<(String, i64)> {
    // In date order a meeting's speeches are one run: its year is looked up once per run.
    let mut years: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    let mut run = 0;
    for (i, r) in ranks.iter().enumerate() {
        let next = ranks.get(i + 1).map(|n| ix.meeting_first[*n as usize]);
        run += 1;
        if next != Some(ix.meeting_first[*r as usize]) {
            let held_on = eval::at(ix, *r).meeting.held_on.as_str();
            *years
                .entry(held_on.get(..4).unwrap_or(held_on))
                .or_default() += run;
            run = 0;
        }
    }
    years.into_iter().map(|(y, n)| (y.to_string(), n)).collect()
}

/// The exact number of meetings with a matching speech and `limit` of them from `offset`, each
/// with the numbers of its matching speeches.
pub async fn meetings(
    app: &App,
    org: i64,
    q: &Query,
    f: &Filters,
    offset: i64,
    limit: i64,
) -> anyhow::Result<(i64, Vec<(super::store::Meeting, Vec<i64>)>)> {
    let (ix, mut ranks) = matching(app, org, q, f).await?;
    // Date order groups a meeting's speeches together; newest meetings first unless asked.
    ranks.sort_unstable();
    let mut groups: Vec<(i64, Vec<i64>)> = Vec::new();
    for r in ranks {
        let found = eval::at(&ix, r);
        match groups.last_mut() {
            Some((id, seqs)) if *id == found.meeting.id => seqs.push(found.seq),
            _ => groups.push((found.meeting.id, vec![found.seq])),
        }
    }
    if !f.oldest_first {
        groups.reverse();
    }
    let total = groups.len() as i64;
    let page: Vec<(i64, Vec<i64>)> = groups
        .into_iter()
        .skip(offset.max(0) as usize)
        .take(limit.clamp(0, 1_000) as usize)
        .collect();
    if page.is_empty() {
        return Ok((total, Vec::new()));
    }
    let ids: Vec<i64> = page.iter().map(|(id, _)| *id).collect();
    let found = super::by_key::meetings(&app.db, org, &ids).await?;
    let mut found: Vec<Option<super::store::Meeting>> = found.into_iter().map(Some).collect();
    Ok((
        total,
        page.into_iter()
            .filter_map(|(id, seqs)| {
                let i = found
                    .iter()
                    .position(|m| m.as_ref().is_some_and(|m| m.id == id))?;
                Some((found[i].take()?, seqs))
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
    }
}
