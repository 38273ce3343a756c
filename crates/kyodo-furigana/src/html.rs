//! The text of an HTML page's body, element by element, for annotation: everything else is
//! copied unchanged. Kyodo's own templates produce the pages, so tags are well formed and `>`
//! inside attribute values is escaped.

/// Elements whose text is left alone: not prose a reader reads as text (scripts, styles, code),
/// form values (ruby would change what is sent), SVG (no HTML inside), ruby already there.
const SKIP: [&str; 11] = [
    "head", "script", "style", "textarea", "option", "select", "code", "pre", "svg", "ruby",
    "title",
];

/// Calls `text` for every run of text outside the skipped elements; copies the rest to `out`.
pub fn each_text(page: &str, out: &mut String, mut text: impl FnMut(&str, &mut String)) {
    let mut rest = page;
    // The skipped element we are inside, if any (they do not nest in Kyodo's pages).
    let mut skipping: Option<&str> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            emit(rest, skipping, out, &mut text);
            return;
        };
        emit(&rest[..lt], skipping, out, &mut text);
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else {
            out.push_str(rest);
            return;
        };
        let tag = &rest[..=gt];
        out.push_str(tag);
        rest = &rest[gt + 1..];
        let name: String = tag[1..]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with("</");
        match skipping {
            Some(open) if closing && open == name => skipping = None,
            None if !closing && !tag.ends_with("/>") => {
                skipping = SKIP.iter().copied().find(|s| *s == name);
            }
            _ => {}
        }
    }
}

fn emit(
    run: &str,
    skipping: Option<&str>,
    out: &mut String,
    text: &mut impl FnMut(&str, &mut String),
) {
    if run.is_empty() {
        return;
    }
    if skipping.is_some() {
        out.push_str(run);
    } else {
        text(run, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_text_of_the_body_outside_skipped_elements_is_given() {
        let page = "<html><head><title>市政</title></head><body><p class=\"a\">行政<b>評価</b></p>\
                    <script type=\"application/ld+json\">{\"n\":\"市\"}</script><textarea>意見</textarea>\
                    <svg><text>図</text></svg><br/>計画</body></html>";
        let mut out = String::new();
        each_text(page, &mut out, |t, out| {
            out.push('[');
            out.push_str(t);
            out.push(']');
        });
        assert_eq!(
            out,
            "<html><head><title>市政</title></head><body><p class=\"a\">[行政]<b>[評価]</b></p>\
             <script type=\"application/ld+json\">{\"n\":\"市\"}</script><textarea>意見</textarea>\
             <svg><text>図</text></svg><br/>[計画]</body></html>"
        );
    }
}
