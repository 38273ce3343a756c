//! Decoders of bytes that arrive from outside: spreadsheets people upload and form bodies browsers
//! send. Kept apart from the web and database layers, so `fuzz/` can fuzz them quickly on their own.

mod archive;
pub mod form;
pub mod hostile;
pub mod minutes;
pub mod ndl_xml;
pub mod sheet;
