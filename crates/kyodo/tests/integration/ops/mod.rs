//! Operations: the `kyodo` binary's commands, storage and backups, and one schema on both databases.

pub mod cli;
mod schema;
mod storage_cli;
