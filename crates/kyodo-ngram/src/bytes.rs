//! A segment as a file: magic, document count, the key table, the postings, and a checksum of
//! all of it. Written as a stream (never a second copy of the postings in memory) and read back
//! from the file's bytes, which then hold the postings.

use crate::query::{Segment, Store};
use std::io::Write;

const MAGIC: &[u8; 8] = b"KYNGRAM1";

impl Segment {
    /// Writes the segment (see [`Segment::from_bytes`]).
    pub fn write_to(&self, w: &mut impl Write) -> std::io::Result<()> {
        let data_len: u64 = self.table.iter().map(|t| u64::from(t.2)).sum();
        let body_len = 8 + 4 + 8 + self.table.len() as u64 * 20 + 8 + data_len;
        let mut out = Summed {
            w,
            sum: Hasher::new(body_len),
        };
        out.put(MAGIC)?;
        out.put(&self.docs.to_le_bytes())?;
        out.put(&(self.table.len() as u64).to_le_bytes())?;
        let mut start = 0u64;
        for (k, _, len) in &self.table {
            out.put(&k.to_le_bytes())?;
            out.put(&start.to_le_bytes())?;
            out.put(&len.to_le_bytes())?;
            start += u64::from(*len);
        }
        out.put(&data_len.to_le_bytes())?;
        for (_, at, len) in &self.table {
            let list: &[u8] = match &self.store {
                Store::Lists(lists) => lists.get(*at as usize).map_or(&[], Vec::as_slice),
                Store::Flat { bytes, base } => {
                    let s = base + *at as usize;
                    bytes.get(s..s + *len as usize).unwrap_or(&[])
                }
            };
            out.put(list)?;
        }
        let sum = out.sum.finish();
        out.w.write_all(&sum.to_le_bytes())
    }

    /// The segment as bytes in memory (tests, small segments).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = self.write_to(&mut v);
        v
    }

    /// Reads bytes written by [`Segment::write_to`], keeping them as the postings; refuses
    /// anything cut short or altered.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, &'static str> {
        let body_len = bytes.len().checked_sub(8).ok_or("too short")?;
        let (body, sum) = bytes.split_at(body_len);
        let mut h = Hasher::new(body_len as u64);
        h.update(body);
        if h.finish().to_le_bytes() != sum {
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
        let base = r.at;
        r.take(data_len)?;
        if r.at != body.len() {
            return Err("trailing bytes");
        }
        if table
            .iter()
            .any(|(_, s, l)| (*s as usize).saturating_add(*l as usize) > data_len)
        {
            return Err("posting out of range");
        }
        Ok(Self {
            docs,
            table,
            store: Store::Flat { bytes, base },
        })
    }
}

/// A writer that sums what passes through it.
struct Summed<'a, W: Write> {
    w: &'a mut W,
    sum: Hasher,
}

impl<W: Write> Summed<'_, W> {
    fn put(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.sum.update(b);
        self.w.write_all(b)
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

/// A 64-bit checksum over a stream of known length, eight bytes at a time (detects truncation
/// and stray writes, not attacks).
struct Hasher {
    h: u64,
    pending: [u8; 8],
    n: usize,
}

const PRIME: u64 = 0x0000_0100_0000_01b3;

impl Hasher {
    fn new(len: u64) -> Self {
        Self {
            h: 0xcbf2_9ce4_8422_2325 ^ len,
            pending: [0; 8],
            n: 0,
        }
    }

    fn update(&mut self, mut b: &[u8]) {
        if self.n > 0 {
            let take = (8 - self.n).min(b.len());
            self.pending[self.n..self.n + take].copy_from_slice(&b[..take]);
            self.n += take;
            b = &b[take..];
            if self.n < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.pending));
            self.n = 0;
        }
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.word(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.n = rest.len();
    }

    fn word(&mut self, w: u64) {
        self.h = (self.h ^ w).wrapping_mul(PRIME).rotate_left(29);
    }

    fn finish(mut self) -> u64 {
        for b in &self.pending[..self.n] {
            self.h = (self.h ^ u64::from(*b)).wrapping_mul(PRIME);
        }
        self.n = 0;
        self.h
    }
}
