//! Operations: the `kyodo` binary's commands, storage and backups, and one schema on both databases.

pub mod cli;
mod mail_queue;
mod real_numbers;
mod schema;
mod storage_cli;
mod write_groups;
