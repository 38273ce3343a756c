//! Where a word's reading goes: on its kanji only, the kana written in the word (okurigana) left
//! as they are — 取り組み + とりくみ → 取(と)り組(く)み.

/// Kanji, including the repetition mark 々 and 〆.
pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々' | '〆')
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー')
}

/// Katakana as hiragana (ー and everything else as it is).
pub fn hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The word cut into pieces, each with the reading of its kanji (`None` for kana). A word whose
/// kana cannot be found in its reading, or that has letters or digits, gets the reading whole.
pub fn align(surface: &str, reading: &str) -> Vec<(String, Option<String>)> {
    let whole = || vec![(surface.to_string(), Some(reading.to_string()))];
    if surface.chars().any(|c| !is_kanji(c) && !is_kana(c)) {
        return vec![(surface.to_string(), None)];
    }
    // Runs of kanji and of kana, in order.
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in surface.chars() {
        let k = is_kanji(c);
        match runs.last_mut() {
            Some((kanji, run)) if *kanji == k => run.push(c),
            _ => runs.push((k, c.to_string())),
        }
    }
    let r: Vec<char> = reading.chars().collect();
    let mut pos = 0;
    let mut out = Vec::new();
    for (i, (kanji, run)) in runs.iter().enumerate() {
        if !kanji {
            let kana: Vec<char> = hiragana(run).chars().collect();
            if r.get(pos..pos + kana.len()) != Some(kana.as_slice()) {
                return whole();
            }
            pos += kana.len();
            out.push((run.clone(), None));
            continue;
        }
        // The kanji read up to where the next kana run appears (at least one character).
        let end = match runs.get(i + 1) {
            None => r.len(),
            Some((_, next)) => {
                let next: Vec<char> = hiragana(next).chars().collect();
                match (pos + 1..=r.len().saturating_sub(next.len()))
                    .find(|&e| r[e..].starts_with(&next))
                {
                    Some(e) => e,
                    None => return whole(),
                }
            }
        };
        if end <= pos {
            return whole();
        }
        out.push((run.clone(), Some(r[pos..end].iter().collect())));
        pos = end;
    }
    if pos != r.len() {
        return whole();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(v: Vec<(String, Option<String>)>) -> String {
        v.into_iter()
            .map(|(b, r)| match r {
                Some(r) => format!("{b}({r})"),
                None => b,
            })
            .collect()
    }

    #[test]
    fn the_reading_goes_on_the_kanji_and_okurigana_stay_outside() {
        assert_eq!(show(align("行政", "ぎょうせい")), "行政(ぎょうせい)");
        assert_eq!(show(align("取り組み", "とりくみ")), "取(と)り組(く)み");
        assert_eq!(show(align("深め", "ふかめ")), "深(ふか)め");
        assert_eq!(show(align("お知らせ", "おしらせ")), "お知(し)らせ");
        assert_eq!(show(align("人々", "ひとびと")), "人々(ひとびと)");
    }

    #[test]
    fn words_that_do_not_align_get_the_whole_reading() {
        // A reading that does not contain the written kana (an irregular dictionary entry).
        assert_eq!(show(align("取り", "しゅ")), "取り(しゅ)");
        assert_eq!(show(align("R7年度", "れいわななねんど")), "R7年度");
    }

    #[test]
    fn katakana_readings_become_hiragana() {
        assert_eq!(hiragana("ギョウセイ"), "ぎょうせい");
        assert_eq!(hiragana("ケーキ"), "けーき");
    }
}
