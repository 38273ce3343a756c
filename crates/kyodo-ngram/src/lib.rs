//! An exact substring index over normalised text, for 会議録 search.
//!
//! Every document's text is indexed by its single characters (which documents contain each) and
//! by its character pairs (which documents, and at which character positions). A term of one or
//! two characters is answered from its posting list alone; a longer term intersects the lists of
//! pairs that cover it (offsets 0, 2, 4 … and the last pair) and keeps a document only when the
//! pairs sit at the right distances from one position — so the result is exactly the set of
//! documents whose text contains the term: no missed hits, no false ones, whatever its length.
//!
//! A [`Segment`] is immutable: built once from documents numbered in order, written as bytes and
//! read back (with a checksum, so a file cut short by a crash is refused, never half-read).

mod build;
mod bytes;
mod query;
mod varint;

pub use build::Builder;
pub use query::Segment;

/// The posting key of one character or of a pair of characters.
fn key(a: char, b: Option<char>) -> u64 {
    // Characters fit in 21 bits; 0x1F_FFFF is no character, so it marks a single one.
    (u64::from(a as u32) << 21) | b.map_or(0x1F_FFFF, |b| u64::from(b as u32))
}

#[cfg(test)]
mod tests;
