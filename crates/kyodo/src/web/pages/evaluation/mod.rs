//! 行政評価 — published programmes and 施策, the evaluation sheet (`sheet/`), and the HQ's pages (`hq/`).

pub mod files;
pub mod hq;
pub mod import;
pub mod import_page;
pub mod list;
pub mod measure;
pub mod programme;
pub mod programme_charts;
pub mod programme_data;
pub mod sheet;
pub mod work;
