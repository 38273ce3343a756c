//! 財政 — the city's finances made plain (S-1.2.1, S-2.2.1). This first part holds 予算・決算:
//! budgets and their results per fiscal year, 会計 and edition (当初, 補正第1号 …, 最終, 決算),
//! line by line under 款・項・目・節 with the 性質 of each expenditure, in 円.
//!
//! The files' readers (budgets, statements, outlook, bids) are in `kyodo_decode::finance`, beside
//! the other upload decoders and fuzzed with them; this module stores and shows what they read.
//!
//! - `store`: editions and their lines written in one transaction (an edition imported again is
//!   replaced), and the sums pages show (by 款, by 性質), computed by the database;
//! - `demo`: a demonstration 一般会計 (当初予算 and 決算).

pub mod bids;
pub mod demo;
pub mod indicators;
pub mod indicators_demo;
pub mod mapping;
pub mod outlook;
pub mod statements;
pub mod store;

pub use kyodo_decode::finance::budget::file as budget_file;
pub use kyodo_decode::finance::budget::{Line, NewEdition, Side};
pub use kyodo_decode::finance::cells;
