//! The evaluation sheet: its page, what its forms do, its view model and its files.

pub mod actions;
pub mod files;
pub mod page;
