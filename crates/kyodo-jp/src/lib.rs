//! Japanese public-sector formats used across Kyodo.
//!
//! - [`wareki`]: 和暦 (Japanese era) dates, printed 「令和7年(2025年)11月24日」 and parsed from what staff type.
//! - [`fiscal`]: 年度 — fiscal years that start in April (or another month an organization sets).
//! - [`holidays`]: 国民の祝日 with 振替休日 and 国民の休日, and the offices' 年末年始.
//! - [`lgcode`]: 全国地方公共団体コード — the six-digit local-government code with its check digit.
//!
//! Everything here is pure and allocation-light so it can be fuzzed and used in hot paths.

pub mod fiscal;
pub mod holidays;
pub mod lgcode;
pub mod numbers;
pub mod wareki;

pub use fiscal::FiscalYear;
pub use lgcode::LocalGovCode;
pub use wareki::{Era, WarekiError};
