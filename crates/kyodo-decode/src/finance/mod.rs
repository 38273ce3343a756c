//! Finance files as cities publish them — budgets and settlements (予算書・決算書), the four
//! statements of the unified standard (財務書類), the medium-term outlook (中期財政見通し) and
//! bidding results (入札結果) — read into values with every total and identity checked, each
//! problem by line. Here, apart from the database, so `fuzz/` fuzzes them on their own.

pub mod bids;
pub mod budget;
pub mod cells;
pub mod outlook;
pub mod statements;

#[cfg(test)]
mod hostile_tests;
