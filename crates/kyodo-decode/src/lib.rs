//! Decoders of bytes that arrive from outside: spreadsheets people upload and form bodies browsers
//! send. Kept apart from the web and database layers, so `fuzz/` can fuzz them quickly on their own.

mod archive;
pub mod finance;
pub mod form;
pub mod hostile;
pub mod minutes;
pub mod minutes_heading;
pub mod ndl_xml;
mod problem;
pub mod sheet;

pub use problem::LineProblem;
