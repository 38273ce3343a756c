//! The revised draft against the original, as published with the result (修正箇所): the longest
//! common subsequence of characters, or of lines when a section is too long for that.

use serde::Serialize;

/// A run of text that stayed, was removed or was added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Piece {
    Same(String),
    Removed(String),
    Added(String),
}

/// Cells of the LCS table above which characters give way to lines (16 MB of table).
const MAX_CELLS: usize = 4_000_000;

fn tokens(s: &str, by_line: bool) -> Vec<&str> {
    if by_line {
        s.split_inclusive('\n').collect()
    } else {
        s.char_indices()
            .map(|(i, c)| &s[i..i + c.len_utf8()])
            .collect()
    }
}

/// The pieces that turn `old` into `new`, neighbours of one kind merged.
pub fn diff(old: &str, new: &str) -> Vec<Piece> {
    let by_line = old.chars().count().saturating_mul(new.chars().count()) > MAX_CELLS;
    let (a, b) = (tokens(old, by_line), tokens(new, by_line));
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_CELLS {
        return [Piece::Removed(old.into()), Piece::Added(new.into())]
            .into_iter()
            .filter(|p| !matches!(p, Piece::Removed(s) | Piece::Added(s) if s.is_empty()))
            .collect();
    }
    // lcs[i][j]: the common length of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |p: Piece| match (out.last_mut(), p) {
        (Some(Piece::Same(s)), Piece::Same(t))
        | (Some(Piece::Removed(s)), Piece::Removed(t))
        | (Some(Piece::Added(s)), Piece::Added(t)) => s.push_str(&t),
        (_, p) => out.push(p),
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            push(Piece::Same(a[i].into()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[at(i, j + 1)] >= lcs[at(i + 1, j)]) {
            push(Piece::Added(b[j].into()));
            j += 1;
        } else {
            push(Piece::Removed(a[i].into()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_word_is_marked_and_the_rest_kept() {
        let d = diff("市は毎年公表する。", "市は毎年度公表しなければならない。");
        let old: String = d
            .iter()
            .filter_map(|p| match p {
                Piece::Same(s) | Piece::Removed(s) => Some(s.as_str()),
                Piece::Added(_) => None,
            })
            .collect();
        let new: String = d
            .iter()
            .filter_map(|p| match p {
                Piece::Same(s) | Piece::Added(s) => Some(s.as_str()),
                Piece::Removed(_) => None,
            })
            .collect();
        assert_eq!(old, "市は毎年公表する。");
        assert_eq!(new, "市は毎年度公表しなければならない。");
        assert_eq!(d[0], Piece::Same("市は毎年".into()));
        assert!(d.contains(&Piece::Added("度".into())));
        assert_eq!(diff("同じ", "同じ"), vec![Piece::Same("同じ".into())]);
        assert_eq!(diff("", "新"), vec![Piece::Added("新".into())]);
    }
}
