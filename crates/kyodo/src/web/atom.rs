//! Atom feeds (RFC 4287), one writer for every feed: the site's 新着 and the consultations'.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// One entry: when (RFC 3339 or a date), its title, its absolute link and a summary.
pub struct Entry {
    pub at: String,
    pub title: String,
    pub link: String,
    pub summary: String,
}

/// Text for XML content and attributes.
pub fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A date as Atom wants it: a bare day becomes its midnight (UTC).
fn instant(at: &str) -> String {
    if at.len() == 10 {
        format!("{at}T00:00:00Z")
    } else {
        at.to_string()
    }
}

/// The feed `title` of the page at `home` (absolute), newest entry first, at most 50.
pub fn feed(title: &str, home: &str, mut entries: Vec<Entry>) -> Response {
    entries.sort_by_key(|e| std::cmp::Reverse(instant(&e.at)));
    entries.truncate(50);
    let updated = entries
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| instant(&e.at));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<updated>{}</updated>\n",
        xml(title),
        xml(home),
        xml(home),
        xml(&updated)
    );
    for e in entries {
        let at = instant(&e.at);
        let _ = writeln!(
            out,
            "<entry><title>{}</title><id>{}#{}</id><link href=\"{}\"/><updated>{}</updated><summary>{}</summary></entry>",
            xml(&e.title),
            xml(&e.link),
            xml(&at),
            xml(&e.link),
            xml(&at),
            xml(&e.summary)
        );
    }
    out.push_str("</feed>\n");
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        out,
    )
        .into_response()
}
