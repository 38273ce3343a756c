//! The last queries' matches: a visitor paging through 財政's 400,000 hits, or the chart beside
//! them, should not have every speech's positions verified again for each page. Each entry holds
//! the index it was matched against weakly and counts only while that index is the current one,
//! so a change to the database (a new index) retires it everywhere; memory is bounded by the
//! number of places held, not the number of entries.

use super::OrgIndex;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, Weak};

/// A query's matches: places in date order (ascending), and the matches per calendar year once
/// a page with the chart asked for them (the API does not).
#[derive(Debug)]
pub struct Matched {
    pub ranks: Vec<u32>,
    pub years: std::sync::OnceLock<Vec<(String, i64)>>,
}

struct Entry {
    index: Weak<OrgIndex>,
    key: String,
    matched: Arc<Matched>,
}

const MAX_ENTRIES: usize = 32;

#[derive(Default)]
pub struct MatchCache {
    entries: Mutex<VecDeque<Entry>>,
    /// At most this many places held in all (`KYODO_MINUTES_MATCH_CACHE`, 4 bytes each).
    max_places: usize,
}

impl MatchCache {
    pub fn new(max_places: usize) -> Self {
        Self {
            entries: Mutex::default(),
            max_places,
        }
    }

    /// The matches of `key` against exactly this index, if kept (and makes them the newest).
    pub fn get(&self, ix: &Arc<OrgIndex>, key: &str) -> Option<Arc<Matched>> {
        let mut entries = self.entries.lock().ok()?;
        let at = entries
            .iter()
            .position(|e| e.key == key && std::ptr::eq(e.index.as_ptr(), Arc::as_ptr(ix)))?;
        let entry = entries.remove(at)?;
        let matched = entry.matched.clone();
        entries.push_back(entry);
        Some(matched)
    }

    /// Keeps `matched`, dropping entries of retired indexes and then the oldest over the bounds.
    pub fn put(&self, ix: &Arc<OrgIndex>, key: String, matched: Arc<Matched>) {
        if matched.ranks.len() > self.max_places / 2 || self.max_places == 0 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        entries.retain(|e| e.index.strong_count() > 0 && e.key != key);
        entries.push_back(Entry {
            index: Arc::downgrade(ix),
            key,
            matched,
        });
        let held = |es: &VecDeque<Entry>| es.iter().map(|e| e.matched.ranks.len()).sum::<usize>();
        while entries.len() > MAX_ENTRIES || held(&entries) > self.max_places {
            entries.pop_front();
        }
    }
}
