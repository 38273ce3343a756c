//! A problem in an imported file, by line: what every importer reports so a page can list each
//! one beside its line and value.

/// A problem in an imported file, by line of the file (1-based), catalogue key and the value
/// as written (shown beside the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    pub key: &'static str,
    pub value: String,
}
