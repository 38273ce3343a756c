//! What a hit looks like: the original byte ranges of every hit (found in the normalised text and
//! mapped back), the text cut into marked and unmarked pieces, and the KWIC snippet of ±`CONTEXT`
//! characters around the first hit.

use super::text::{is_invariant, mapped, original};

/// Characters shown either side of the first hit (KWIC).
pub const CONTEXT: usize = 40;

/// The original byte ranges where any of `terms` occurs, sorted and merged.
pub fn marks(text: &str, terms: &[&str]) -> Vec<(usize, usize)> {
    let terms = terms.iter().filter(|t| !t.is_empty());
    let mut found: Vec<(usize, usize)> = if is_invariant(text) {
        // Most prose is its own normalised form: found where it stands (a fifth of the search
        // page's time was building the map).
        terms
            .flat_map(|t| text.match_indices(*t).map(|(i, m)| (i, i + m.len())))
            .collect()
    } else {
        let (norm, map) = mapped(text);
        terms
            .flat_map(|t| {
                norm.match_indices(*t)
                    .map(|(i, m)| original(&map, i, i + m.len()))
            })
            .collect()
    };
    found.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in found {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// `text[from..to]` cut into (piece, highlighted) by `marks`.
pub fn segments(
    text: &str,
    marks: &[(usize, usize)],
    from: usize,
    to: usize,
) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut at = from;
    for &(s, e) in marks.iter().filter(|m| m.1 > from && m.0 < to) {
        let (s, e) = (s.max(from), e.min(to));
        if s > at {
            out.push((text[at..s].to_string(), false));
        }
        out.push((text[s..e].to_string(), true));
        at = e;
    }
    if at < to {
        out.push((text[at..to].to_string(), false));
    }
    out
}

/// ±`CONTEXT` characters around the first hit, every hit in it highlighted; (pieces, cut before,
/// cut after).
pub fn snippet(text: &str, terms: &[&str]) -> (Vec<(String, bool)>, bool, bool) {
    let m = marks(text, terms);
    let (first_s, first_e) = m.first().copied().unwrap_or((0, 0));
    // Counted back from the hit: a hit deep in a long speech is not preceded by a list of every
    // character's place (that list was a few percent of a search page's time).
    let from = text[..first_s]
        .char_indices()
        .rev()
        .nth(CONTEXT - 1)
        .map_or(0, |(i, _)| i);
    let to = text[first_e..]
        .char_indices()
        .nth(CONTEXT)
        .map_or(text.len(), |(i, _)| first_e + i);
    (segments(text, &m, from, to), from > 0, to < text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_show_forty_characters_either_side_with_every_hit_marked() {
        let text = format!("{}財政の話。財政は{}", "あ".repeat(50), "い".repeat(50));
        let (pieces, cut_before, cut_after) = snippet(&text, &["財政"]);
        assert!(cut_before && cut_after);
        let marked: Vec<&str> = pieces
            .iter()
            .filter(|p| p.1)
            .map(|p| p.0.as_str())
            .collect();
        assert_eq!(marked, ["財政", "財政"]);
        assert_eq!(pieces[0].0, "あ".repeat(40));
        assert_eq!(
            snippet("ＡＢＣの件", &["abc"]).0[0],
            ("ＡＢＣ".to_string(), true)
        );
    }

    /// The snippet as the page writes it: "…", pieces with `[…]` for marks, "…".
    fn shown(text: &str, terms: &[&str]) -> String {
        let (pieces, before, after) = snippet(text, terms);
        let body: String = pieces
            .iter()
            .map(|(p, hit)| if *hit { format!("[{p}]") } else { p.clone() })
            .collect();
        format!(
            "{}{body}{}",
            if before { "…" } else { "" },
            if after { "…" } else { "" }
        )
    }

    #[test]
    fn a_hit_deep_in_a_long_speech_or_at_the_snippets_edge() {
        let r = |c: &str, n: usize| c.repeat(n);
        let deep = format!(
            "{}財政の話。{}財政{}",
            r("あ", 3000),
            r("い", 20),
            r("う", 3000)
        );
        assert_eq!(
            shown(&deep, &["財政"]),
            format!(
                "…{}[財政]の話。{}[財政]{}…",
                r("あ", 40),
                r("い", 20),
                r("う", 15)
            )
        );
        // The first hit of either term; one that starts inside the snippet is marked as far as shown.
        let edge = format!("{}防災{}財政財政{}", r("せ", 10), r("そ", 39), r("た", 10));
        assert_eq!(
            shown(&edge, &["財政", "防災"]),
            format!("{}[防災]{}[財]…", r("せ", 10), r("そ", 39))
        );
        let near_start = format!("{}財政{}", r("こ", 38), r("さ", 38));
        assert_eq!(
            shown(&near_start, &["財政"]),
            format!("{}[財政]{}", r("こ", 38), r("さ", 38))
        );
        let wide = format!("ＡＢＣ{}財政", r("し", 2000));
        assert_eq!(
            shown(&wide, &["abc", "財政"]),
            format!("[ＡＢＣ]{}…", r("し", 40))
        );
    }
}
