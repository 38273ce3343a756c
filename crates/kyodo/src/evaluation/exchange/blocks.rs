//! Year blocks: what a cost header such as 「令和6年度決算 一般財源」「R5決算見込 人工 正規職員」
//! 「前年度予算 国庫支出金」 means — the sheet and column its amounts go to, the staff basis, and the
//! funding source or staff category.
//!
//! A sheet of year Y has four columns (Y−1 決算, Y 予算, Y 決算, Y+1 予算). Blocks for earlier
//! years are history: 決算 (or 見込) of year X fills the `settled` column of the programme's sheet
//! of year X, 予算 of year X its `budget` column. 見込 (決算見込) is the settlement as estimated and
//! takes the settled column of its year.

use super::lookup::{Staff, code_of};
use super::{BUDGET, SETTLED};
use crate::codes::{self, Code};
use crate::evaluation::costs;

/// 決算見込 — an estimated settlement; 見込 alone means the same.
pub const ESTIMATE: &str = "見込";

/// Where a block's amounts go: the sheet of fiscal year `year`, column `col`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub year: i64,
    pub col: &'static str,
}

impl Slot {
    /// The fiscal year the amounts belong to (Y−1 for a sheet's 前年度決算).
    pub fn money_year(self) -> i64 {
        costs::column_year(self.year, self.col)
    }

    pub fn settled(self) -> bool {
        matches!(self.col, "prev_settled" | "settled")
    }
}

/// A year block's slot, staff basis (`None` for a funding source) and source or category code.
pub(super) type Block = (Slot, Option<Staff>, String);

/// Years named relative to the sheet's, longest first (前々年度 before 前年度).
const RELATIVE: [(&str, i64); 7] = [
    ("前々年度", -2),
    ("前年度", -1),
    ("本年度", 0),
    ("今年度", 0),
    ("当年度", 0),
    ("翌年度", 1),
    ("次年度", 1),
];

/// The kinds a block may be, longest first (決算見込 before 決算).
const KINDS: [&str; 4] = ["決算見込", SETTLED, BUDGET, ESTIMATE];

fn year_of(text: &str, fiscal_year: i64) -> Option<i64> {
    let t = text.trim();
    RELATIVE
        .iter()
        .find(|(w, _)| t == *w)
        .map(|(_, d)| fiscal_year + d)
        .or_else(|| kyodo_jp::FiscalYear::parse(t).map(|y| i64::from(y.0)))
}

/// The block a header is, `None` when it is not one, or the problem — for a sheet of
/// `fiscal_year`, with the organization's code lists.
pub(super) fn block(
    header: &str,
    fiscal_year: i64,
    all: &[Code],
) -> Option<Result<Block, &'static str>> {
    let found = KINDS
        .iter()
        .filter_map(|k| header.find(k).map(|at| (at, *k)))
        .min_by_key(|(at, k)| (*at, std::cmp::Reverse(k.len())));
    let Some((at, kind)) = found else {
        // A year and no kind: 「令和6年度 一般財源」.
        let at = header.find("年度")?;
        year_of(&header[..at + "年度".len()], fiscal_year)?;
        return Some(Err("eval.import_block_kind"));
    };
    let year = year_of(&header[..at], fiscal_year)?;
    let settled = kind != BUDGET;
    let d = year - fiscal_year;
    let slot = |year, col| Slot { year, col };
    let slot = match (d, settled) {
        (-1, true) => slot(fiscal_year, "prev_settled"),
        (0, false) => slot(fiscal_year, "budget"),
        (0, true) => slot(fiscal_year, "settled"),
        (1, false) => slot(fiscal_year, "next_budget"),
        (..-1, true) => slot(year, "settled"),
        (..0, false) => slot(year, "budget"),
        _ => return Some(Err("eval.import_block_year")),
    };
    let rest = header[at + kind.len()..].trim();
    let staff = Staff::WORDS
        .iter()
        .find_map(|(w, basis)| rest.strip_prefix(w).map(|cat| (*basis, cat.trim())));
    Some(match staff {
        Some((Staff::Personnel, "")) => Ok((slot, Some(Staff::Personnel), String::new())),
        Some((basis, cat)) if basis != Staff::Personnel => code_of(all, codes::STAFF_CATEGORY, cat)
            .map(|c| (slot, Some(basis), c))
            .ok_or("eval.import_block_label"),
        _ => code_of(all, codes::FUNDING_SOURCE, rest)
            .map(|c| (slot, None, c))
            .ok_or("eval.import_block_label"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> Vec<Code> {
        let code = |list: &str, code: &str, label: &str| Code {
            list: list.into(),
            code: code.into(),
            label: label.into(),
            label_en: code.into(),
            sort_order: 0,
        };
        vec![
            code(codes::FUNDING_SOURCE, "general", "一般財源"),
            code(codes::STAFF_CATEGORY, "regular", "正規職員"),
        ]
    }

    fn slot(header: &str) -> Result<(i64, &'static str), &'static str> {
        match block(header, 2026, &codes()) {
            Some(Ok((s, _, _))) => Ok((s.year, s.col)),
            Some(Err(m)) => Err(m),
            None => Err("none"),
        }
    }

    #[test]
    fn earlier_years_go_to_their_own_sheets_and_estimates_to_the_settled_column() {
        assert_eq!(slot("令和7年度決算 一般財源"), Ok((2026, "prev_settled")));
        assert_eq!(slot("令和8年度予算 人工 正規職員"), Ok((2026, "budget")));
        assert_eq!(slot("令和8年度決算見込 一般財源"), Ok((2026, "settled")));
        assert_eq!(slot("R9予算 一般財源"), Ok((2026, "next_budget")));
        assert_eq!(
            slot("令和5年度(2023年度)決算 一般財源"),
            Ok((2023, "settled"))
        );
        assert_eq!(slot("令和6年度見込 一般財源"), Ok((2024, "settled")));
        assert_eq!(slot("令和6年度予算 一般財源"), Ok((2024, "budget")));
        assert_eq!(slot("前々年度決算 一般財源"), Ok((2024, "settled")));
        assert_eq!(slot("前年度決算 一般財源"), Ok((2026, "prev_settled")));
        assert_eq!(slot("翌年度予算 一般財源"), Ok((2026, "next_budget")));
        assert_eq!(
            slot("令和9年度決算 一般財源"),
            Err("eval.import_block_year")
        );
        assert_eq!(
            slot("令和10年度予算 一般財源"),
            Err("eval.import_block_year")
        );
        assert_eq!(slot("令和6年度 一般財源"), Err("eval.import_block_kind"));
        assert_eq!(slot("令和6年度決算 寄附金"), Err("eval.import_block_label"));
        assert_eq!(slot("総コスト(決算・千円)"), Err("none"));
        assert_eq!(slot("事業開始年度"), Err("none"));
    }
}
