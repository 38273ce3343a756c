//! Building a segment: documents are added in order of their numbers.

use crate::{key, varint};
use std::collections::HashMap;

/// Postings of one key while building.
#[derive(Default)]
struct Postings {
    /// The last document added plus one (0: none yet).
    last: u32,
    bytes: Vec<u8>,
}

#[derive(Default)]
pub struct Builder {
    postings: HashMap<u64, Postings>,
    docs: u32,
    /// Per document, reused: each pair's positions.
    pairs: HashMap<u64, Vec<u32>>,
    singles: Vec<u64>,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next document (numbered 0, 1, 2 … in the order added).
    pub fn add(&mut self, text: &str) -> u32 {
        let doc = self.docs;
        self.docs += 1;
        self.pairs.clear();
        self.singles.clear();
        let mut prev: Option<char> = None;
        for (pos, c) in text.chars().enumerate() {
            self.singles.push(key(c, None));
            if let Some(p) = prev {
                // Positions count characters; the pair at `pos - 1` starts with `p`.
                self.pairs
                    .entry(key(p, Some(c)))
                    .or_default()
                    .push(pos as u32 - 1);
            }
            prev = Some(c);
        }
        self.singles.sort_unstable();
        self.singles.dedup();
        for k in &self.singles {
            let p = self.postings.entry(*k).or_default();
            varint::put(&mut p.bytes, doc + 1 - p.last);
            p.last = doc + 1;
        }
        let mut block = Vec::new();
        for (k, positions) in &self.pairs {
            block.clear();
            let mut last = 0;
            for &pos in positions {
                varint::put(&mut block, pos - last);
                last = pos;
            }
            let p = self.postings.entry(*k).or_default();
            varint::put(&mut p.bytes, doc + 1 - p.last);
            p.last = doc + 1;
            varint::put(&mut p.bytes, block.len() as u32);
            p.bytes.extend_from_slice(&block);
        }
        doc
    }

    pub fn len(&self) -> u32 {
        self.docs
    }

    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// The finished segment.
    pub fn finish(self) -> crate::Segment {
        let mut keys: Vec<(u64, Postings)> = self.postings.into_iter().collect();
        keys.sort_unstable_by_key(|(k, _)| *k);
        let mut table = Vec::with_capacity(keys.len());
        let mut lists = Vec::with_capacity(keys.len());
        for (i, (k, mut p)) in keys.into_iter().enumerate() {
            // Growth left up to half of each list unused.
            p.bytes.shrink_to_fit();
            table.push((k, i as u64, p.bytes.len() as u32));
            lists.push(p.bytes);
        }
        crate::Segment {
            docs: self.docs,
            table,
            store: crate::query::Store::Lists(lists),
        }
    }
}
