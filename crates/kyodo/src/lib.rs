//! Kyodo (協働) — a platform on which a city runs administration together with its citizens.
//!
//! Layers, outermost first (see docs/ARCHITECTURE.md):
//! - `cli` — the `kyodo` command and its subcommands;
//! - `web` — HTTP: the route table, middleware, page handlers, JSON API;
//! - domain areas (`accounts`, `audit`, …) — use cases and their SQL, always scoped by organization;
//! - `db`, `mail`, `i18n`, `config` — infrastructure; `kyodo-jp` — Japanese formats.

pub mod accessibility;
pub mod accounts;
pub mod address_limit;
pub mod advisers;
pub mod app;
pub mod audit;
pub mod cases;
pub mod charts;
pub mod cli;
pub mod codes;
pub mod config;
pub mod councils;
pub mod csv_writer;
pub mod db;
pub mod demo;
pub mod error;
pub mod evaluation;
pub mod files;
pub mod finance;
pub mod i18n;
pub mod import_files;
pub mod mail;
pub mod minutes;
pub mod opendata;
pub mod participation;
pub mod plans;
pub mod policy;
pub mod reservations;
pub mod surveys;
pub mod validation;
pub mod web;
