//! 電子アンケート — surveys, and the 重要度・満足度 (importance × satisfaction) analysis cities use to
//! manage priority policies with their citizens (seed S-1.3.1, S-2.3.1).
//!
//! - `store`: surveys, questions (設問), sections and options as stored;
//! - `building` and `lifecycle`: the HQ's builder; opening, closing, period, quota, copying a wave;
//! - `invitations`: one-time codes for mailed questionnaires; `drafts`: save and continue later;
//! - `paper`: keying in paper questionnaires by the numbers printed on them;
//! - `answers`: checking a submitted questionnaire against its questions;
//! - `responses`: storing a response anonymously, once;
//! - `tallies`: running counts kept with each response; `results` and `analysis`: counts, scores
//!   and the formulas of reference §3;
//! - `paging`: sections dividing a questionnaire into pages;
//! - `chart`: the portfolio scatter chart; `report_pdf` and `report_charts`: the results report;
//! - `export`: streamed CSV and xlsx; `demo`: demonstration surveys.

pub mod analysis;
pub mod answers;
pub mod building;
pub mod chart;
pub mod counting;
pub mod demo;
pub mod drafts;
pub mod export;
/// Anonymous answers one client address may give one public survey in a day (a household or an
/// office behind one address answers several times; a script does not get far).
pub const ANSWERS_PER_ADDRESS_PER_DAY: i64 = 20;

#[cfg(test)]
pub mod fixtures;
pub mod invitations;
pub mod lifecycle;
pub mod paging;
pub mod paper;
pub mod report_charts;
pub mod report_pdf;
pub mod responses;
pub mod results;
pub mod store;
pub mod survey_writes;
pub mod tallies;
