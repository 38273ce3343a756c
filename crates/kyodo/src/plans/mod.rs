//! 実施計画・進行管理 — implementation plans and their progress management.
//!
//! - `store`: reads of a whole plan, one query per table (pages never loop over queries);
//! - `view`: the plan assembled for pages and exports (tree, schedules, ratings, totals);
//! - `reports`: the progress-report workflow (draft → submitted → returned/approved → published);
//! - `participation`: citizens' ratings and comments (committee opinions: `councils::opinions`);
//! - `editing`, `figures`, `changes`, `periods`: the HQ edits plans, indicators and effects; 変更・中止;
//! - `exchange`: xlsx/CSV import and export, the annual report workbook and PDF; `attachments`;
//! - `codes`: configurable vocabularies; `metrics`: achievement and fiscal-effect totals;
//! - `seed`: the seed plan (会津若松市 第2次行政システム改革プラン) for the demo organization;
//!   `demo_participation`: the demo's ratings, comments and committee opinions on it.

pub mod attachments;
pub mod changes;
pub mod demo_participation;
pub mod editing;
pub mod exchange;
pub mod figures;
pub mod metrics;
pub mod news;
pub mod node_removal;
pub mod participation;
pub mod periods;
pub mod reports;
pub mod seed;
pub mod store;
pub mod view;
