//! 会議録 pages: the search (and the newest meetings), a meeting with its speeches, the HQ's import
//! and its corrections of a meeting's details.

pub mod details;
pub mod import;
pub mod meeting;
pub mod search;

/// The catalogue key of a meeting kind.
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "executive" => "minutes.kind_executive",
        _ => "minutes.kind_council",
    }
}

/// 令和6年3月5日 in the visitor's language.
pub fn date(t: crate::i18n::Tr, iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map_or_else(|_| iso.to_string(), |d| t.date(d))
}
