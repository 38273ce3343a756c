//! Reading a segment: the documents that contain a term, exactly.

use crate::{key, varint};

const MAGIC: &[u8; 8] = b"KYNGRAM1";

/// An immutable index of documents `0..docs`.
pub struct Segment {
    docs: u32,
    /// (key, start in `data`, length), sorted by key.
    table: Vec<(u64, u64, u32)>,
    data: Vec<u8>,
}

impl Segment {
    pub(crate) fn from_parts(docs: u32, table: Vec<(u64, u64, u32)>, data: Vec<u8>) -> Self {
        Self { docs, table, data }
    }

    /// How many documents it holds.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Bytes of postings (what the segment costs in memory, near enough).
    pub fn size(&self) -> usize {
        self.data.len() + self.table.len() * 20
    }

    fn postings(&self, k: u64) -> &[u8] {
        match self.table.binary_search_by_key(&k, |(k, _, _)| *k) {
            Ok(i) => {
                let (_, start, len) = self.table[i];
                let start = start as usize;
                self.data.get(start..start + len as usize).unwrap_or(&[])
            }
            Err(_) => &[],
        }
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
        let mut lists: Vec<(usize, &[u8])> = offsets
            .iter()
            .map(|&o| (o, self.postings(key(chars[o], Some(chars[o + 1])))))
            .collect();
        // The rarest pair first: it bounds the candidates.
        lists.sort_by_key(|(_, p)| p.len());
        let mut cursors: Vec<(usize, Cursor)> =
            lists.iter().map(|(o, p)| (*o, Cursor::new(p))).collect();
        let Some(((first_offset, first), rest)) = cursors.split_first_mut() else {
            return Vec::new();
        };
        let (mut out, mut starts, mut other) = (Vec::new(), Vec::new(), Vec::new());
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
            // Candidate starts from the rarest pair, kept while every other pair confirms them.
            positions(first.block(), &mut starts);
            for s in starts.iter_mut() {
                *s = s.wrapping_sub(*first_offset as u32);
            }
            for (offset, c) in rest.iter() {
                positions(c.block(), &mut other);
                starts.retain(|s| other.binary_search(&s.wrapping_add(*offset as u32)).is_ok());
                if starts.is_empty() {
                    break;
                }
            }
            if !starts.is_empty() {
                out.push(doc);
            }
            first.next();
        }
        out
    }

    /// The segment as bytes (see [`Segment::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.table.len() * 20 + self.data.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.docs.to_le_bytes());
        out.extend_from_slice(&(self.table.len() as u64).to_le_bytes());
        for (k, start, len) in &self.table {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&start.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
        }
        out.extend_from_slice(&(self.data.len() as u64).to_le_bytes());
        out.extend_from_slice(&self.data);
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads bytes written by [`Segment::to_bytes`]; refuses anything cut short or altered.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, &'static str> {
        let body_len = bytes.len().checked_sub(8).ok_or("too short")?;
        let (body, sum) = bytes.split_at(body_len);
        if checksum(body).to_le_bytes() != sum {
            return Err("checksum mismatch");
        }
        let mut r = Reader { bytes: body, at: 0 };
        if r.take(8)? != MAGIC {
            return Err("not a segment");
        }
        let docs = u32::from_le_bytes(r.array()?);
        let n = u64::from_le_bytes(r.array()?) as usize;
        if n > body.len() / 20 {
            return Err("table too long");
        }
        let mut table = Vec::with_capacity(n);
        for _ in 0..n {
            table.push((
                u64::from_le_bytes(r.array()?),
                u64::from_le_bytes(r.array()?),
                u32::from_le_bytes(r.array()?),
            ));
        }
        let data_len = u64::from_le_bytes(r.array()?) as usize;
        let data = r.take(data_len)?.to_vec();
        if r.at != body.len() {
            return Err("trailing bytes");
        }
        if table
            .iter()
            .any(|(_, s, l)| (*s as usize).saturating_add(*l as usize) > data.len())
        {
            return Err("posting out of range");
        }
        Ok(Self { docs, table, data })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        let end = self.at.checked_add(n).ok_or("length overflow")?;
        let s = self.bytes.get(self.at..end).ok_or("cut short")?;
        self.at = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], &'static str> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
}

/// A 64-bit checksum, eight bytes at a time (detects truncation and stray writes, not attacks).
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(29);
    }
    for b in chunks.remainder() {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
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

/// Decodes a positions block into `out` (ascending).
fn positions(block: &[u8], out: &mut Vec<u32>) {
    out.clear();
    let (mut at, mut cur) = (0, 0u32);
    while let Some(d) = varint::get(block, &mut at) {
        cur = cur.wrapping_add(d);
        out.push(cur);
    }
}
