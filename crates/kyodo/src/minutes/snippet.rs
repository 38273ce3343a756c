//! What a hit looks like: the original byte ranges of every hit (found in the normalised text and
//! mapped back), the text cut into marked and unmarked pieces, and the KWIC snippet of ±`CONTEXT`
//! characters around the first hit.

use super::text::{is_invariant, mapped, original, plainly_invariant_text};

/// Characters shown either side of the first hit (KWIC).
pub const CONTEXT: usize = 40;

/// The original byte ranges where any of `terms` occurs, sorted and merged.
pub fn marks(text: &str, terms: &[&str]) -> Vec<(usize, usize)> {
    let terms = terms.iter().filter(|t| !t.is_empty());
    let found: Vec<(usize, usize)> = if is_invariant(text) {
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
    merged(found)
}

/// Byte ranges sorted, overlapping or touching ones joined.
fn merged(mut found: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
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

/// A snippet: (piece, highlighted) pieces, cut before, cut after.
pub type Snippet = (Vec<(String, bool)>, bool, bool);

/// ±`CONTEXT` characters around the first hit, every hit in it highlighted.
pub fn snippet(text: &str, terms: &[&str]) -> Snippet {
    plain_snippet(text, terms).unwrap_or_else(|| around_first(text, &marks(text, terms)))
}

/// The snippet around the first of `marks` (all of the text's hits, merged).
fn around_first(text: &str, marks: &[(usize, usize)]) -> Snippet {
    let (first_s, first_e) = marks.first().copied().unwrap_or((0, 0));
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
    (segments(text, marks, from, to), from > 0, to < text.len())
}

/// The snippet from the speech's start to just past the first hit, when that part is plain text
/// (`text::plainly_invariant_text`: its own normalised form, so a hit is found where it stands):
/// the rest of a long speech is neither checked nor searched. `None` sends the snippet the long
/// way (`marks` over the whole text): no hit found as written, text before or around the hit
/// that normalisation changes, or a run of hits reaching past the part read.
fn plain_snippet(text: &str, terms: &[&str]) -> Option<Snippet> {
    let terms: Vec<&str> = terms.iter().copied().filter(|t| !t.is_empty()).collect();
    let first = terms.iter().filter_map(|t| text.find(t)).min()?;
    let longest = terms.iter().map(|t| t.len()).max().unwrap_or(0);
    // The first hit, its context (4 bytes a character at most) and a hit starting inside it.
    let mut end = (first + 4 * CONTEXT + 3 * longest).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    // (A combining mark just after it would change only its last character: past any hit shown.)
    let read = &text[..end];
    if !plainly_invariant_text(read) {
        return None;
    }
    let marks = merged(
        terms
            .iter()
            .flat_map(|t| read.match_indices(*t).map(|(i, m)| (i, i + m.len())))
            .collect(),
    );
    let (_, first_e) = *marks.first()?;
    let whole = end == text.len();
    // Every hit starting before the snippet's end must lie inside the part read.
    let to = text[first_e..]
        .char_indices()
        .nth(CONTEXT)
        .map_or(text.len(), |(i, _)| first_e + i);
    if !whole && to + longest > end {
        return None;
    }
    Some(around_first(text, &marks))
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

    /// The short way (reading only up to the first hit) gives exactly the long way's snippet, on
    /// generated speeches mixing plain prose with what normalisation changes (full-width and
    /// half-width forms, capitals, combining marks) and runs of touching hits.
    #[test]
    fn the_snippet_read_to_the_first_hit_equals_the_one_read_whole() {
        let pieces = [
            "財",
            "政",
            "財政",
            "あ",
            "い",
            "。",
            "、",
            "ＡＢＣ",
            "abc",
            "A",
            "ｶ",
            "ﾞ",
            "\u{3099}",
            "か",
            "が",
            "é",
            "e\u{0301}",
            " ",
            "防災",
            "市",
            "財政財政財政財政財政財政財政財政",
        ];
        let term_sets: [&[&str]; 5] = [
            &["財政"],
            &["財政", "防災"],
            &["abc"],
            &["が", "政"],
            &["財政財", "市"],
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut short, mut long) = (0, 0);
        for round in 0..4000 {
            let plain_until = next(400);
            let len = next(600);
            let mut text = String::new();
            for i in 0..len {
                // Mostly plain prose; the changing forms mostly after a point, sometimes anywhere.
                let p = if i < plain_until && round % 3 != 0 {
                    pieces[[0, 1, 2, 3, 4, 5, 6, 13, 14, 18, 19, 20][next(12)]]
                } else {
                    pieces[next(pieces.len())]
                };
                text.push_str(p);
            }
            let terms = term_sets[next(term_sets.len())];
            let expected = around_first(&text, &marks(&text, terms));
            match plain_snippet(&text, terms) {
                Some(got) => {
                    short += 1;
                    assert_eq!(got, expected, "{text} {terms:?}");
                }
                None => long += 1,
            }
            assert_eq!(snippet(&text, terms), expected);
        }
        assert!(short > 1000 && long > 500, "short {short}, long {long}");
        // A run of touching hits longer than the part first read goes the long way.
        let run = format!("あ{}い", "財政".repeat(100));
        assert_eq!(plain_snippet(&run, &["財政"]), None);
        assert_eq!(
            snippet(&run, &["財政"]),
            around_first(&run, &marks(&run, &["財政"]))
        );
    }
}
