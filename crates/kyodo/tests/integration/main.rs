//! Integration tests: every test runs on SQLite and, in CI, on PostgreSQL (see support/mod.rs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test step that fails should stop the test with its message"
)]

// By area, as web/pages/ is: each folder holds the tests of one area's pages and rules.
mod accounts;
mod admin;
mod cases;
mod evaluation;
mod minutes;
mod ops;
mod participation;
mod plans;
mod reservations;
mod surveys;

// Across areas: routes, roles and hostile input everywhere, and what every page must do.
mod accessibility;
mod api;
mod api_reads;
mod api_tokens;
mod api_writes;
mod authz_matrix;
mod bad_input;
mod demo_marks;
mod discovery;
mod finance;
mod finance_bids;
mod finance_import;
mod finance_outlook;
mod finance_xlsx;
mod furigana;
mod hardening;
mod instances;
mod manager_approval;
mod notices;
mod opendata;
mod pages;
mod replica;
mod xss;

mod support;
