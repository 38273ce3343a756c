//! Integration tests: every test runs on SQLite and, in CI, on PostgreSQL (see support.rs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test step that fails should stop the test with its message"
)]

mod accounts;
mod admin;
mod api;
mod audit_log;
mod authz_matrix;
mod bad_input;
mod cli;
mod csrf;
mod demo_marks;
mod departments;
mod eval_exchange;
mod eval_master;
mod evaluation;
mod hardening;
mod manager_approval;
mod pages;
mod plan_editing;
mod plan_exchange;
mod plans;
mod schema;
mod storage_cli;
mod support;
mod survey_pages;
mod surveys;
mod xss;
