//! 財務書類 (統一的な基準 — the unified standard of local public accounting): the four statements
//! of a fiscal year and scope, 貸借対照表 (BS), 行政コスト計算書 (PL), 純資産変動計算書 (NW) and
//! 資金収支計算書 (CF), line by line in 円.
//!
//! - `file` (in `kyodo_decode::finance`, re-exported here with the types, fuzzed there): reading
//!   the proposed CSV layout (fiscal_year, scope, statement, line_code, parent_code, line_name,
//!   column, amount, unit) or a workbook in it, as cities write it;
//! - `checks` (also there): each total against the lines under it, and the identities within and
//!   across the statements (BS 純資産合計 = NW 本年度末純資産残高 …) — the import refuses a set that fails any,
//!   and the page shows each with its figures;
//! - `store`: sets written in one transaction (a set imported again replaces the old), read, and
//!   the population for 一人当たり figures;
//! - `glossary`: a short explanation of each standard line for citizens;
//! - `demo`: a demonstration set for 令和5年度 一般会計等 that passes every check.

pub mod demo;
mod demo_builder;
#[cfg(test)]
mod file_tests;
pub mod glossary;
pub mod store;

pub use kyodo_decode::finance::statements::*;
