//! 中期財政見通し — the medium-term fiscal outlook (S-2.2.1): made every year (its edition) for the
//! next three to five years, row by row — 歳入 by source, 歳出 by 性質, 収支差 (財源不足), 基金残高,
//! 市債残高 — as the table a city publishes. Editions are compared, and the budget frames (枠配分)
//! of a year are set beside the outlook for that year.
//!
//! - `file` (in `kyodo_decode::finance`, re-exported here with the types, fuzzed there): reading
//!   the outlook table as published (items down, years across, 百万円 or 千円, a blank 区分 continuing the
//!   one above as merged cells do), every total checked;
//! - `store`: editions written in one transaction (an edition imported again replaces it), read;
//! - `demo`: two editions of the demonstration city.

pub mod demo;
pub mod store;

pub use kyodo_decode::finance::outlook::*;
