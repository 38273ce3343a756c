//! Answering a query from an organization's index: the exact set of matching live speeches
//! (every group ANDed, the terms of a group ORed, excluded terms removed), narrowed by the
//! filters, as places in date order — so a page of ten is a partial sort of integers.

use super::OrgIndex;
use super::segment::{DocMeta, MeetingMeta, Segment};
use crate::minutes::search::{Filters, Query};

/// A matching speech: its meeting's id, its number, the meeting's date.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    pub meeting: &'a MeetingMeta,
    pub seq: i64,
}

fn union(a: Vec<u32>, b: Vec<u32>) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.len() * 16 < large.len() {
        return small
            .iter()
            .copied()
            .filter(|d| large.binary_search(d).is_ok())
            .collect();
    }
    // Lists of similar length: one merge pass.
    let mut out = Vec::with_capacity(small.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn subtract(a: Vec<u32>, b: &[u32]) -> Vec<u32> {
    a.into_iter()
        .filter(|d| b.binary_search(d).is_err())
        .collect()
}

fn passes(s: &Segment, d: &DocMeta, f: &Filters) -> bool {
    let m = &s.meta.meetings[d.meeting as usize];
    let name = |i: u32| s.meta.names[i as usize].as_str();
    (f.body.is_empty() || m.body == f.body)
        && (f.kind.is_empty() || m.kind == f.kind)
        && (f.position.is_empty() || name(d.position) == f.position)
        && (f.group.is_empty() || name(d.group) == f.group)
        && (f.from.is_empty() || m.held_on.as_str() >= f.from.as_str())
        && (f.until.is_empty() || m.held_on.as_str() <= f.until.as_str())
        && any_part(&f.speakers, name(d.speaker))
        && any_part(&f.meeting_names, &m.body)
}

fn unfiltered(f: &Filters) -> bool {
    f.body.is_empty()
        && f.kind.is_empty()
        && f.position.is_empty()
        && f.group.is_empty()
        && f.from.is_empty()
        && f.until.is_empty()
        && f.speakers.iter().all(String::is_empty)
        && f.meeting_names.iter().all(String::is_empty)
}

/// No parts given, or `value` contains one of them.
fn any_part(parts: &[String], value: &str) -> bool {
    let mut given = parts.iter().filter(|p| !p.is_empty()).peekable();
    given.peek().is_none() || given.any(|p| value.contains(p.as_str()))
}

/// The matching speeches' places in date order (ascending when the index is `ordered`).
pub fn matches(ix: &OrgIndex, q: &Query, f: &Filters) -> Vec<u32> {
    let mut out = Vec::new();
    for (si, s) in ix.segments.iter().enumerate() {
        let mut set: Option<Vec<u32>> = None;
        for group in &q.groups {
            let any = group
                .iter()
                .map(|t| s.postings.containing(t))
                .reduce(union)
                .unwrap_or_default();
            set = Some(match set {
                None => any,
                Some(prev) => intersect(&prev, &any),
            });
            if set.as_ref().is_some_and(Vec::is_empty) {
                break;
            }
        }
        let mut set = set.unwrap_or_else(|| (0..s.postings.docs()).collect());
        for t in &q.not {
            if set.is_empty() {
                break;
            }
            set = subtract(set, &s.postings.containing(t));
        }
        if ix.ordered && unfiltered(f) {
            // Every document live, numbers in date order: the set is the answer.
            return set;
        }
        let (live, rank) = (&ix.live[si], &ix.rank[si]);
        for doc in set {
            let d = &s.meta.docs[doc as usize];
            if live[d.meeting as usize] && passes(s, d, f) {
                out.push(rank[doc as usize]);
            }
        }
    }
    out
}

/// The speech at a place in date order.
pub fn at(ix: &OrgIndex, rank: u32) -> Found<'_> {
    let (si, di) = ix.by_rank[rank as usize];
    let s = &ix.segments[si as usize];
    let d = &s.meta.docs[di as usize];
    Found {
        meeting: &s.meta.meetings[d.meeting as usize],
        seq: i64::from(d.seq),
    }
}

/// A page of ascending places: a slice oldest first; newest first, whole meetings from the end,
/// each in speech order — touching only the meetings the page reaches.
pub fn sorted_page(
    ix: &OrgIndex,
    ranks: &[u32],
    oldest_first: bool,
    offset: usize,
    n: usize,
) -> Vec<u32> {
    if oldest_first {
        return ranks[offset..offset + n].to_vec();
    }
    let mut out = Vec::with_capacity(n);
    let mut skipped = 0;
    let mut end = ranks.len();
    while end > 0 && out.len() < n {
        let first = ix.meeting_first[ranks[end - 1] as usize];
        let start = ranks[..end].partition_point(|r| *r < first);
        for &r in &ranks[start..end] {
            if skipped < offset {
                skipped += 1;
            } else if out.len() < n {
                out.push(r);
            }
        }
        end = start;
    }
    out
}
