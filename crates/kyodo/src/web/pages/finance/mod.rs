//! 財政 pages: the budget and settlement by purpose (款) and by nature (性質) with charts and
//! their tables, "where my taxes go", the lines as open data (`public.rs`), and the HQ's import
//! of a budget file (`import.rs`).

pub mod import;
pub mod public;
