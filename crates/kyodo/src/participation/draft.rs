//! A draft (案) as a department has it — plain text or Markdown — divided into numbered
//! sections at its headings, so that each opinion can name the part it is about.

/// One section of a draft: its heading as written and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub body: String,
}

/// The heading a line starts, if it is one: a Markdown heading (`# …`), or a Japanese one —
/// 第１章 / 第2条 / 第三節 — at the start of a line, or a numbered title 「1　目的」「１．総則」.
fn heading(line: &str) -> Option<String> {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix('#') {
        let h = rest.trim_start_matches('#').trim();
        return (!h.is_empty()).then(|| h.to_string());
    }
    let chars: Vec<char> = t.chars().collect();
    let numeral = |c: char| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十百".contains(c)
    };
    if chars.first() == Some(&'第') {
        let n = chars[1..].iter().take_while(|c| numeral(**c)).count();
        let unit = chars.get(1 + n).is_some_and(|c| "章節条款編".contains(*c));
        // 「第１条の趣旨」 is a sentence; a heading ends or has a space after 条.
        let after = chars.get(2 + n).is_none_or(|c| c.is_whitespace());
        if n > 0 && unit && after {
            return Some(t.to_string());
        }
    }
    // 「1　目的」「１．総則」: digits, a separator, a short title, nothing more on the line.
    let n = chars
        .iter()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(*c))
        .count();
    if n > 0 && n <= 3 && chars.len() <= 40 {
        let sep = chars.get(n).copied();
        if matches!(sep, Some('　' | ' ' | '.' | '．' | '、'))
            && chars.len() > n + 1
            && !t.ends_with('。')
        {
            return Some(t.to_string());
        }
    }
    None
}

/// Splits a draft into sections. Text before the first heading becomes a section 「前文」;
/// a draft without headings is one section 「本文」. Blank lines at the edges are dropped.
pub fn split(text: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut current: Option<Section> = None;
    let mut preamble = String::new();
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        if let Some(h) = heading(line) {
            if let Some(s) = current.take() {
                out.push(s);
            }
            current = Some(Section {
                heading: h,
                body: String::new(),
            });
        } else {
            let body = match current.as_mut() {
                Some(s) => &mut s.body,
                None => &mut preamble,
            };
            body.push_str(line.trim_end());
            body.push('\n');
        }
    }
    if let Some(s) = current {
        out.push(s);
    }
    let preamble = preamble.trim_matches('\n').to_string();
    if !preamble.trim().is_empty() {
        let heading = if out.is_empty() { "本文" } else { "前文" };
        out.insert(
            0,
            Section {
                heading: heading.into(),
                body: preamble,
            },
        );
    }
    for s in &mut out {
        s.body = s.body.trim_matches('\n').to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_japanese_headings_divide_a_draft() {
        let text = "この条例は市民協働の基本を定める。\r\n\r\n# 総則\n第１条の趣旨\n\n第２条　目的\nまちづくりを進める。\n１　定義\n市民とは…\n## 附則\n施行日。\n";
        let s = split(text);
        let heads: Vec<&str> = s.iter().map(|x| x.heading.as_str()).collect();
        assert_eq!(heads, ["前文", "総則", "第２条　目的", "１　定義", "附則"]);
        assert_eq!(s[0].body, "この条例は市民協働の基本を定める。");
        assert_eq!(
            s[1].body, "第１条の趣旨",
            "「第１条の趣旨」 is text: no 章/条 right after the number"
        );
        assert_eq!(s[4].body, "施行日。");
    }

    #[test]
    fn a_sentence_starting_with_a_number_is_not_a_heading_and_no_heading_gives_one_section() {
        let s = split("1 年間で3回開催する。\n2 回目は秋。");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].heading, "本文");
        assert!(split("  \n\n").is_empty());
    }
}
