//! PDF reports for Kyodo. Documents are written as typst markup by the callers and typeset here with
//! the fonts they pass (the Japanese IPAex fonts on Debian). Nothing is downloaded: typst packages
//! are not enabled. Kept in its own crate because typst is most of the build time.

use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;

/// A typst string literal holding `text` verbatim (no markup is interpreted in it): `"…"`.
pub fn string(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\r' => {}
            '\t' => s.push(' '),
            c if c.is_control() => {}
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// One document at a time in the process: typesetting Japanese text takes tens of megabytes while
/// it runs, and several at once would add up (the server's memory must stay bounded).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Typesets `source` (typst markup) into a PDF with `fonts` (TrueType/OpenType bytes).
pub fn render(source: String, fonts: Vec<Vec<u8>>) -> Result<Vec<u8>, String> {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let engine = TypstEngine::builder()
        .main_file(source)
        .fonts(fonts)
        .build();
    let pdf = engine
        .compile::<PagedDocument>()
        .output
        .map_err(|e| format!("typst: {e:?}"))
        .and_then(|doc| {
            typst_pdf::pdf(&doc, &Default::default()).map_err(|e| format!("pdf: {e:?}"))
        });
    // typst memoizes its work in a process-wide cache; each report is typeset once, so nothing in
    // it is worth keeping (it held megabytes per document).
    comemo::evict(0);
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_literal() {
        assert_eq!(string("a\"b\\c\nd*e_#f"), "\"a\\\"b\\\\c\\nd*e_#f\"");
        assert_eq!(string("\u{0}x"), "\"x\"");
    }

    #[test]
    fn a_document_becomes_a_pdf() {
        // Without a Japanese font the Latin text still typesets (typst embeds no fonts when
        // `embed-fonts` is off, so pass one when the machine has it).
        let font = std::fs::read("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf").ok();
        let pdf = render(
            format!(
                "#set text(font: \"IPAexGothic\")\n= Kyodo\n#{}",
                string("進捗状況報告書")
            ),
            font.into_iter().collect(),
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
