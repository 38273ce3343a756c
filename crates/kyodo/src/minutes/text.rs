//! What a search compares: text after NFKC normalisation and case folding. A query term matches a
//! speech exactly when its normalised form occurs in the speech's normalised form. Normalising one
//! character at a time (with the marks that combine with it, such as ﾞ after ｶ) keeps a map from
//! each normalised position back to the original text, for snippets and highlighting.

use unicode_normalization::UnicodeNormalization;

/// Whether `c` joins the character before it when normalised (voiced-sound marks, combining marks).
fn combines(c: char) -> bool {
    matches!(
        c,
        '\u{FF9E}' | '\u{FF9F}' | '\u{3099}' | '\u{309A}' | '\u{0300}'..='\u{036F}'
    )
}

/// Normalised text and, for each chunk, (start in the normalised text, start in the original), both
/// in bytes, with a final entry for the ends.
pub fn mapped(s: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::new();
    let mut chunk_start = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i + 1;
        while j < chars.len() && combines(chars[j].1) {
            j += 1;
        }
        let end = chars.get(j).map_or(s.len(), |c| c.0);
        let chunk = &s[chars[i].0..end];
        map.push((out.len(), chunk_start));
        for c in chunk.nfkc() {
            out.extend(c.to_lowercase());
        }
        chunk_start = end;
        i = j;
    }
    map.push((out.len(), s.len()));
    (out, map)
}

/// Whether `s` is its own normalised form, character by character (no compatibility forms, no
/// capitals, no combining marks): most Japanese prose. Then a hit's place in the normalised text is
/// its place in `s`, and the per-character map need not be built.
pub fn is_invariant(s: &str) -> bool {
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    // Most speeches are only kana, kanji, Japanese punctuation and ASCII without capitals: known
    // invariant by range, without the case tables and the normalisation check (the full test was
    // a fifth of a search page's time).
    if plainly_invariant_text(s) {
        return true;
    }
    s.chars().all(|c| {
        !combines(c) && {
            let mut lower = c.to_lowercase();
            lower.next() == Some(c) && lower.next().is_none()
        }
    }) && is_nfkc_quick(s.chars()) == IsNormalized::Yes
}

/// Characters that are their own NFKC form and have no lower case, by range: ASCII but capitals,
/// ひらがな, カタカナ (with ー), CJK unified ideographs, 々, 、。 and the CJK brackets. Not U+3000
/// (NFKC makes it a space), not ゛゜ or the combining marks, not ヿ. (The reference that
/// `plainly_invariant_text` is tested against.)
#[cfg(test)]
fn plainly_invariant(c: char) -> bool {
    matches!(c,
        '\0'..='@' | '['..='\u{7F}'
        | '\u{3001}'..='\u{3002}' | '\u{3005}' | '\u{3008}'..='\u{3011}'
        | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FC}' | '\u{4E00}'..='\u{9FFF}')
}

/// `s.chars().all(plainly_invariant)`, read as bytes: the same ranges by their UTF-8 forms (every
/// one of them is ASCII or three bytes). Decoding each character first was most of a search page's
/// snippet time.
pub fn plainly_invariant_text(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        let (second, third) = (
            b.get(i + 1).copied().unwrap_or(0),
            b.get(i + 2).copied().unwrap_or(0),
        );
        let plain = match lead {
            0x00..=0x7F => {
                i += 1;
                if lead.is_ascii_uppercase() {
                    return false;
                }
                continue;
            }
            // U+3000..U+30FF: 、。 々 〈…】, ぁ..ゖ, ァ..ー.
            0xE3 => match second {
                0x80 => matches!(third, 0x81 | 0x82 | 0x85 | 0x88..=0x91),
                0x81 => third >= 0x81,
                0x82 => third <= 0x96 || third >= 0xA1,
                0x83 => third <= 0xBC,
                _ => false,
            },
            // U+4E00..U+4FFF, then U+5000..U+9FFF.
            0xE4 => second >= 0xB8,
            0xE5..=0xE9 => true,
            _ => false,
        };
        if !plain {
            return false;
        }
        i += 3;
    }
    true
}

/// The normalised form of `s`.
pub fn normalize(s: &str) -> String {
    mapped(s).0
}

/// The normalised form of `s`, borrowed when `s` is already its own (no copy of most speeches
/// when they are indexed).
pub fn normalized(s: &str) -> std::borrow::Cow<'_, str> {
    if is_invariant(s) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(normalize(s))
    }
}

/// The original byte range of a normalised range (widened to whole chunks).
pub fn original(map: &[(usize, usize)], start: usize, end: usize) -> (usize, usize) {
    let from = map.partition_point(|m| m.0 <= start).saturating_sub(1);
    let to = map.partition_point(|m| m.0 < end);
    (map[from].1, map[to.min(map.len() - 1)].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_and_case_variants_normalise_alike_and_map_back() {
        assert_eq!(normalize("ＡＢＣ"), "abc");
        assert_eq!(normalize("ｶﾞｲﾄﾞﾗｲﾝ"), "ガイドライン");
        assert_eq!(normalize("㈱"), "(株)");
        let text = "市のｶﾞｲﾄﾞﾗｲﾝ";
        let (n, map) = mapped(text);
        let at = n.find("ガイド").unwrap();
        let (s, e) = original(&map, at, at + "ガイド".len());
        assert_eq!(&text[s..e], "ｶﾞｲﾄﾞ");
    }

    #[test]
    fn the_ranges_known_invariant_are_invariant_by_the_full_test() {
        let full = |c: char| {
            let s = c.to_string();
            let mut lower = c.to_lowercase();
            !combines(c)
                && lower.next() == Some(c)
                && lower.next().is_none()
                && s.nfkc().collect::<String>() == s
        };
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if plainly_invariant(c) {
                assert!(full(c), "U+{:04X} is not invariant", c as u32);
            }
        }
        // The byte reading agrees with the ranges, character by character and in a row.
        let mut all = String::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let one = c.to_string();
            assert_eq!(
                plainly_invariant_text(&one),
                plainly_invariant(c),
                "U+{:04X}",
                c as u32
            );
            if plainly_invariant(c) {
                all.push(c);
            }
        }
        assert!(plainly_invariant_text(&all));
        assert!(!plainly_invariant_text(&format!("{all}A")));
        for c in ['\u{3000}', 'A', 'Ｚ', '゛', '\u{3099}', 'ヿ', 'ｶ'] {
            assert!(!plainly_invariant(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn invariant_text_is_exactly_the_text_that_normalises_to_itself() {
        for s in [
            "市の財政について伺います。",
            "行政改革、100%の達成",
            "ガイドライン",
        ] {
            assert!(is_invariant(s), "{s}");
            assert_eq!(normalize(s), s);
            assert!(matches!(normalized(s), std::borrow::Cow::Borrowed(_)));
        }
        for s in ["ＡＢＣ方式", "ｶﾞｲﾄﾞ", "Abc", "㈱", "か\u{3099}", "Ǆ"] {
            assert!(!is_invariant(s), "{s}");
            assert_eq!(normalized(s), normalize(s));
        }
    }
}
