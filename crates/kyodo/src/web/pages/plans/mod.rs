//! 実施計画 — plan pages for citizens, the departments' progress reports, and the HQ's pages (`hq/`).

pub mod changes;
pub mod hq;
pub mod item;
pub mod item_data;
pub mod item_rows;
pub mod open_data;
pub mod participation;
pub mod report_files;
pub mod report_save;
pub mod reports;
pub mod review;
pub mod tree;
pub mod work;
