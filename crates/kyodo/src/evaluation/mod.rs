//! 行政評価 — administrative evaluation: the policy hierarchy of the 総合計画, the 事務事業
//! (programme) master, the yearly 事務事業評価シート with full cost, the multi-stage review
//! (一次 → 二次 → 外部 → 最終), the 施策 rollup and budget frames (枠配分). Seed S-1.3.2, S-2.1.1,
//! S-2.2.1, S-2.3.6.
//!
//! - `store`: reads, one query per table for a whole cycle or programme (no N+1);
//! - `costs`: 事業費 by funding source, 人件費 = 人工 × 単価, total cost, cost per unit of output;
//! - `sheets`: the department fills in and submits its sheet (一次評価);
//! - `stages`: 二次評価 (HQ), 外部評価 (committee), final decision; the sheet locks;
//! - `policies` and `policy_nodes`: the 総合計画 hierarchy, its indicators; correcting and removing nodes;
//! - `cycles`: an evaluation year, its schedule, progress by department and reminders;
//! - `rollup`: 施策 evaluation; `frames`: budget frames against the programmes' requests;
//! - `opendata`: the year as CSV; `demo`: a demonstration comprehensive plan and evaluation year.

pub mod cost_entry;
pub mod cost_trend;
pub mod costs;
pub mod cycles;
pub mod demo;
mod demo_data;
pub mod exchange;
pub mod frames;
pub mod lineage;
pub mod listing;
pub mod manager_approval;
pub mod opendata;
pub mod policies;
pub mod policy_nodes;
pub mod policy_tree;
pub mod programmes;
pub mod rollup;
pub mod settings;
pub mod sheet_data;
pub mod sheet_files;
pub mod sheet_form;
pub mod sheet_view;
pub mod sheets;
pub mod stage;
pub mod stages;
pub mod store;
pub mod year;
