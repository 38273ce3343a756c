//! 財政 pages: the budget and settlement by purpose (款) and by nature (性質) with charts and
//! their tables, "where my taxes go", the lines as open data (`public.rs`), the HQ's import of a
//! budget file with a column mapping (`budget_import.rs`) and of the statements, outlook and bids
//! (`import.rs`); 財務書類 with their checks and
//! 一人当たり figures (`statements.rs`) from the population the HQ records (`population.rs`).

pub mod bids;
pub mod budget_import;
pub mod import;
pub mod indicators;
pub mod outlook;
pub mod population;
pub mod public;
pub mod statements;
