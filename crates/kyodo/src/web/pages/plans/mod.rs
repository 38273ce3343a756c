//! 実施計画 — plan pages for citizens, the departments' progress reports, and the HQ's pages (`hq/`).

pub mod changes;
pub mod hq;
pub mod item;
pub mod open_data;
pub mod report_files;
pub mod reports;
pub mod tree;
pub mod work;
