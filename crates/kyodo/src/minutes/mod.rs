//! 会議録 — minutes of the city council (議会会議録) and of executive meetings (庁議), published and
//! searched (seed S-1.2.2). A hit is one speech, as on the minutes systems cities rent.
//!
//! - `text`: what a search compares — NFKC and case folding, with the way back to the original
//!   text for snippets and highlighting;
//! - `store`: meetings and their speeches (a re-import of a meeting replaces it);
//! - `search`: the query language (AND, OR, NOT, "phrase"), filters and exact substring matching,
//!   answered by `index` (n-gram postings kept in step with the database, in the data directory);
//!   `snippet`: hits marked in the original text, the ±40-character snippet;
//! - `items`: 庁議 agenda items and results, searched with the same semantics (a 庁議 record may
//!   have no speeches);
//! - `ndl`: the NDL 会議録検索 API's JSON record format, read for import; `csv_import`: a CSV of
//!   speeches (the columns Kyodo publishes);
//! - `import`: checking a file and writing its meetings in one transaction; `demo`: invented
//!   demonstration minutes.
//!
//! Plain-text minutes are read by `kyodo_decode::minutes` (fuzzed there).

pub mod by_key;
pub mod csv_import;
pub mod demo;
pub mod details;
pub mod import;
pub mod index;
pub mod items;
pub mod ndl;
pub mod search;
pub mod snippet;
pub mod store;
pub mod text;

/// 本会議・委員会 (the council) or 庁議 (the executive's meetings).
pub const KINDS: [&str; 2] = ["council", "executive"];
