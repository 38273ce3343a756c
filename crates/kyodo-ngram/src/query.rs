//! Reading a segment: the documents that contain a term, exactly.

use crate::{key, varint};

/// Where a segment's postings live: one list per key as built, or the bytes of its file as read
/// (neither is ever copied into the other, so a segment costs its postings once in memory).
pub(crate) enum Store {
    Lists(Vec<Vec<u8>>),
    /// The file's bytes and where its postings start in them.
    Flat {
        bytes: Vec<u8>,
        base: usize,
    },
}

/// An immutable index of documents `0..docs`.
pub struct Segment {
    pub(crate) docs: u32,
    /// (key, list number or start in the flat postings, length), sorted by key.
    pub(crate) table: Vec<(u64, u64, u32)>,
    pub(crate) store: Store,
}

impl Segment {
    /// How many documents it holds.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Bytes of postings (what the segment costs in memory, near enough).
    pub fn size(&self) -> usize {
        self.table.iter().map(|t| t.2 as usize + 20).sum()
    }

    /// The list at a table index.
    fn list(&self, i: usize) -> &[u8] {
        let (_, start, len) = self.table[i];
        match &self.store {
            Store::Lists(lists) => lists.get(start as usize).map_or(&[], Vec::as_slice),
            Store::Flat { bytes, base } => {
                let start = base + start as usize;
                bytes.get(start..start + len as usize).unwrap_or(&[])
            }
        }
    }

    fn postings(&self, k: u64) -> &[u8] {
        self.table
            .binary_search_by_key(&k, |(k, _, _)| *k)
            .map_or(&[], |i| self.list(i))
    }

    /// The documents containing `term` (normalised text, as indexed), ascending.
    pub fn containing(&self, term: &str) -> Vec<u32> {
        let chars: Vec<char> = term.chars().collect();
        match chars.len() {
            0 => (0..self.docs).collect(),
            1 => single_docs(self.postings(key(chars[0], None))),
            2 => {
                let mut c = Cursor::new(self.postings(key(chars[0], Some(chars[1]))));
                let mut out = Vec::new();
                while let Some(d) = c.doc {
                    out.push(d);
                    c.next();
                }
                out
            }
            n => self.longer(&chars, n),
        }
    }

    /// A term of three or more characters: the pairs at offsets 0, 2, 4 … and n − 2 cover every
    /// character; a document matches when all of them occur at those distances from one start.
    fn longer(&self, chars: &[char], n: usize) -> Vec<u32> {
        let mut offsets: Vec<usize> = (0..n - 1).step_by(2).collect();
        if offsets.last() != Some(&(n - 2)) {
            offsets.push(n - 2);
        }
        let mut cursors: Vec<(usize, Cursor)> = offsets
            .iter()
            .map(|&o| {
                (
                    o,
                    Cursor::new(self.postings(key(chars[o], Some(chars[o + 1])))),
                )
            })
            .collect();
        // The rarest pair first: it bounds the candidates.
        cursors.sort_by_key(|(_, c)| c.bytes.len());
        let Some(((first_offset, first), rest)) = cursors.split_first_mut() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut walks: Vec<(u32, Positions)> = Vec::with_capacity(rest.len());
        'docs: while let Some(doc) = first.doc {
            for (_, c) in rest.iter_mut() {
                if !c.advance_to(doc) {
                    if c.doc.is_none() {
                        break 'docs;
                    }
                    first.next();
                    continue 'docs;
                }
            }
            // Starts from the rarest pair, each tried against the other pairs' positions, read
            // only as far as needed: the first start every pair confirms decides the document.
            walks.clear();
            walks.extend(
                rest.iter()
                    .map(|(o, c)| (*o as u32, Positions::new(c.block()))),
            );
            let first_offset = *first_offset as u32;
            let confirmed = Positions::new(first.block())
                .filter_map(|p| p.checked_sub(first_offset))
                .any(|start| walks.iter_mut().all(|(o, w)| w.reaches(start + *o)));
            if confirmed {
                out.push(doc);
            }
            first.next();
        }
        out
    }
}

/// A positions block read in order.
struct Positions<'a> {
    block: &'a [u8],
    at: usize,
    cur: u32,
    /// The position read last (None before the first or past the end).
    last: Option<u32>,
}

impl<'a> Positions<'a> {
    fn new(block: &'a [u8]) -> Self {
        Self {
            block,
            at: 0,
            cur: 0,
            last: None,
        }
    }

    /// Whether `p` is among the positions, reading forward to it (calls ask ascending `p`).
    fn reaches(&mut self, p: u32) -> bool {
        loop {
            match self.last {
                Some(l) if l >= p => return l == p,
                Some(_) | None => {
                    if self.next().is_none() {
                        return false;
                    }
                }
            }
        }
    }
}

impl Iterator for Positions<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let d = varint::get(self.block, &mut self.at)?;
        self.cur = self.cur.wrapping_add(d);
        self.last = Some(self.cur);
        Some(self.cur)
    }
}

/// Documents of a single character's postings.
fn single_docs(p: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut at, mut cur) = (0, 0u32);
    while let Some(d) = varint::get(p, &mut at) {
        cur = cur.wrapping_add(d);
        out.push(cur.wrapping_sub(1));
    }
    out
}

/// A pair's postings read one document at a time.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Document number plus one of the current entry.
    cur: u32,
    doc: Option<u32>,
    block: (usize, usize),
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let mut c = Self {
            bytes,
            at: 0,
            cur: 0,
            doc: None,
            block: (0, 0),
        };
        c.next();
        c
    }

    fn next(&mut self) {
        self.doc = None;
        let Some(d) = varint::get(self.bytes, &mut self.at) else {
            return;
        };
        let Some(len) = varint::get(self.bytes, &mut self.at) else {
            return;
        };
        self.cur = self.cur.wrapping_add(d);
        let end = (self.at + len as usize).min(self.bytes.len());
        self.block = (self.at, end);
        self.at = end;
        self.doc = Some(self.cur.wrapping_sub(1));
    }

    /// Moves to the first entry at or after `doc`; true when it is `doc` itself.
    fn advance_to(&mut self, doc: u32) -> bool {
        while let Some(d) = self.doc {
            if d >= doc {
                return d == doc;
            }
            self.next();
        }
        false
    }

    fn block(&self) -> &'a [u8] {
        &self.bytes[self.block.0..self.block.1]
    }
}
