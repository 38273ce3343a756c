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
    let max = large.last().copied().unwrap_or(0);
    // A short list, or numbers too sparse for a bitmap (a segment's documents are dense).
    if small.len() * 16 < large.len() || max as usize / 64 > large.len() * 8 {
        return small
            .iter()
            .copied()
            .filter(|d| large.binary_search(d).is_ok())
            .collect();
    }
    // Lists of similar length: the larger as a bitmap, each number of the smaller looked up in
    // it. A merge's steps form one chain (each waits for the last comparison), and a branch
    // predictor cannot guess them either (財政 AND 防災 compares 300,000 numbers); these lookups
    // are independent of each other.
    let mut bits = vec![0u64; max as usize / 64 + 1];
    for &d in large {
        bits[(d / 64) as usize] |= 1 << (d % 64);
    }
    let mut out = vec![0u32; small.len()];
    let mut n = 0;
    for &d in small {
        out[n] = d;
        let word = bits.get((d / 64) as usize).copied().unwrap_or(0);
        n += ((word >> (d % 64)) & 1) as usize;
    }
    out.truncate(n);
    out
}

fn subtract(a: Vec<u32>, b: &[u32]) -> Vec<u32> {
    a.into_iter()
        .filter(|d| b.binary_search(d).is_err())
        .collect()
}

/// The filters worked out once per segment and query: which of its meetings (live and passing
/// the meeting's filters) and which of its names may be a hit's, so a document is tested by
/// indexing, not by comparing strings (a speaker filter over 100,000 candidates was a third of
/// the query's time).
struct SegmentFilter {
    meeting: Vec<bool>,
    speaker: Option<Vec<bool>>,
    position: Option<Vec<bool>>,
    group: Option<Vec<bool>>,
}

impl SegmentFilter {
    fn new(s: &Segment, live: &[bool], f: &Filters) -> Self {
        let meeting = s
            .meta
            .meetings
            .iter()
            .zip(live)
            .map(|(m, &live)| {
                live && (f.body.is_empty() || m.body == f.body)
                    && (f.kind.is_empty() || m.kind == f.kind)
                    && (f.from.is_empty() || m.held_on.as_str() >= f.from.as_str())
                    && (f.until.is_empty() || m.held_on.as_str() <= f.until.as_str())
                    && any_part(&f.meeting_names, &m.body)
            })
            .collect();
        let names = |given: bool, ok: &dyn Fn(&str) -> bool| {
            given.then(|| s.meta.names.iter().map(|n| ok(n)).collect())
        };
        Self {
            meeting,
            speaker: names(f.speakers.iter().any(|p| !p.is_empty()), &|n| {
                any_part(&f.speakers, n)
            }),
            position: names(!f.position.is_empty(), &|n| n == f.position),
            group: names(!f.group.is_empty(), &|n| n == f.group),
        }
    }

    fn admits(&self, d: &DocMeta) -> bool {
        let named = |ok: &Option<Vec<bool>>, i: u32| ok.as_ref().is_none_or(|ok| ok[i as usize]);
        self.meeting[d.meeting as usize]
            && named(&self.speaker, d.speaker)
            && named(&self.position, d.position)
            && named(&self.group, d.group)
    }
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
        let (filter, rank) = (SegmentFilter::new(s, &ix.live[si], f), &ix.rank[si]);
        for doc in set {
            if filter.admits(&s.meta.docs[doc as usize]) {
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

#[cfg(test)]
mod tests {
    use super::intersect;

    /// Ascending numbers below `max`, each kept with probability `keep` of 1,000 (a fixed
    /// pseudo-random sequence, so a failure repeats).
    fn list(seed: u64, max: u32, keep: u64) -> Vec<u32> {
        let mut x = seed;
        (0..max)
            .filter(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 33) % 1000 < keep
            })
            .collect()
    }

    #[test]
    fn intersections_equal_the_naive_ones_at_every_ratio_of_lengths() {
        for (ka, kb) in [
            (500, 500),
            (400, 30),
            (900, 5),
            (10, 990),
            (0, 500),
            (1000, 1000),
        ] {
            let (a, b) = (list(1, 20_000, ka), list(2, 20_000, kb));
            let naive: Vec<u32> = a.iter().copied().filter(|d| b.contains(d)).collect();
            assert_eq!(intersect(&a, &b), naive, "keep {ka}/{kb}");
            assert_eq!(intersect(&b, &a), naive, "keep {kb}/{ka}");
        }
        // Too sparse for a bitmap: looked up one by one.
        assert_eq!(
            intersect(&[7, u32::MAX - 1], &[0, u32::MAX - 1]),
            vec![u32::MAX - 1]
        );
    }
}
