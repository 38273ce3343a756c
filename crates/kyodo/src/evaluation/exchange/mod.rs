//! Evaluation sheets in and out of workbooks. One layout both ways, so an exported year imports
//! back unchanged (sheet 事務事業評価, one row per programme):
//! - fixed columns (`FIELDS`), whose headers a city can remap (saved per organization);
//! - year blocks: 「令和6年度決算 一般財源」「令和7年度予算 人工 正規職員」… — a fiscal year, 決算 or
//!   予算, then a funding source or 人工 and a staff category, labels from the code lists.
//!   For a sheet of year Y: Y−1 決算, Y 予算, Y 決算 and Y+1 予算 are its four columns; blocks
//!   of earlier years (and 見込) fill the programme's earlier sheets (`blocks`, `history`).

pub mod apply;
pub mod blocks;
pub mod cells;
pub mod columns;
pub mod export;
pub mod history;
pub mod import;
pub mod lookup;
pub mod mapping;
#[cfg(test)]
mod robustness;
pub mod sources;
pub mod summary;

pub const SHEET: &str = "事務事業評価";
pub const SETTLED: &str = "決算";
pub const BUDGET: &str = "予算";
pub const FTE: &str = "人工";

/// (field, default header, required)
pub const FIELDS: [(&str, &str, bool); 12] = [
    ("code", "事業コード", true),
    ("name", "事務事業名", true),
    ("department", "所管課コード", false),
    ("policy_area", "政策", false),
    ("policy", "施策", false),
    ("method", "実施方法", false),
    ("legal_basis", "根拠法令", false),
    ("direction", "今後の方向性(一次評価)", false),
    ("reason", "理由(一次評価)", false),
    ("first_year", "事業開始年度", false),
    ("last_year", "事業終了年度", false),
    ("total", "総コスト(決算・千円)", false),
];

/// The header of a year block: 「令和6年度決算 一般財源」.
pub fn block_header(col: &str, fy: i64, label: &str, fte: bool) -> String {
    let year = super::costs::column_year(fy, col);
    let kind = if matches!(col, "prev_settled" | "settled") {
        SETTLED
    } else {
        BUDGET
    };
    let y = kyodo_jp::FiscalYear(year as i32).label_ja();
    // label_ja is 「令和6年度(2024年度)」; the short form reads better in a header.
    let short = y.split('(').next().unwrap_or(&y).to_string();
    if fte {
        format!("{short}{kind} {FTE} {label}")
    } else {
        format!("{short}{kind} {label}")
    }
}

/// Text compared the way people mean it: NFKC, full-width ASCII to half-width, katakana as hiragana
/// (ハグクム is はぐくむ), no spaces, no 「・」, case-folded. 「市民 協働の推進」「１－１ 市民協働の推進」 and 「市民協働の推進」 compare equal where it matters.
pub fn normalize(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // NFKC first: half-width katakana, circled digits and compatibility kanji become ordinary text.
    s.nfkc()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '―' | '‐' | '−' => '-',
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '・' | '　' | '「' | '」'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Edit distance in characters, for offering the closest policy names.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_as_people_mean_them() {
        assert_eq!(
            normalize("１－１　市民 協働の推進"),
            normalize("1-1市民協働の推進")
        );
        assert_eq!(normalize("ＮＰＯ・市民"), "npo市民");
        assert_eq!(normalize("ひとをハグクム"), normalize("ひとをはぐくむ"));
        assert_eq!(normalize("ｼﾐﾝ協働"), normalize("しみん協働"));
        assert_eq!(distance("市民協働の推進", "市民協働推進"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(
            block_header("prev_settled", 2024, "一般財源", false),
            "令和5年度決算 一般財源"
        );
        assert_eq!(
            block_header("next_budget", 2024, "正規職員", true),
            "令和7年度予算 人工 正規職員"
        );
    }
}
