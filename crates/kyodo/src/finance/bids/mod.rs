//! 入札・契約 — bidding and contract results (S-1.2.1, S-2.3.5): each tender's 件名, 種別, 方式
//! (一般競争 / 指名競争 / 随意契約), 予定価格, 落札者, 落札額, 落札率 and each bid, searchable and
//! filterable, with the distribution of 落札率 by year and 種別.
//!
//! - `file`: a results list as cities publish it, one row per tender (落札者, 落札額) or one row per bid
//!   (入札者, 入札額, 結果), every row checked by line;
//! - `store`: tenders written in one transaction (a tender imported again replaces it), searched
//!   with paging, and the distribution counted by the database;
//! - `demo`: a year of the demonstration city's tenders.

pub mod demo;
pub mod store;

pub use kyodo_decode::finance::bids::*;
