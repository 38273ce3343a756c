//! 電子アンケート — surveys, and the 重要度・満足度 (importance × satisfaction) analysis cities use to
//! manage priority policies with their citizens (seed S-1.3.1, S-2.3.1).
//!
//! So far: the analysis formulas (`analysis`), pinned to the worked examples of
//! `../shared/reference/municipal-practice.md` §3. Building, answering and reporting come next.

pub mod analysis;
