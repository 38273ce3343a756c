//! JIS X 8341-3 試験結果 — the accessibility test report an organization publishes before it may
//! claim 準拠 (the 総務省 guideline; WAIC's 試験結果 template). The browser suite writes what it
//! checked (axe-core rules per page, keyboard flows, the 360 px layout) to a results file;
//! `kyodo accessibility import` stores it for an organization; the HQ records the manual checks
//! that no machine can make; `report` combines both into one row per success criterion and the
//! 対応度 (準拠 / 一部準拠 / 配慮) that the accessibility policy then states.

pub mod criteria;
pub mod report;
pub mod store;
