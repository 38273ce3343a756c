//! 財務書類 (統一的な基準 — the unified standard of local public accounting): the four statements
//! of a fiscal year and scope, 貸借対照表 (BS), 行政コスト計算書 (PL), 純資産変動計算書 (NW) and
//! 資金収支計算書 (CF), line by line in 円.
//!
//! - `file`: reading the proposed CSV layout (fiscal_year, scope, statement, line_code,
//!   parent_code, line_name, column, amount, unit) or a workbook in it, as cities write it;
//! - `checks`: each total against the lines under it, and the identities within and across the
//!   statements (BS 純資産合計 = NW 本年度末純資産残高 …) — the import refuses a set that fails
//!   any, and the page shows each with its figures;
//!
//! Storing, explaining and the demonstration set are the `kyodo` crate's (`finance::statements`).

pub mod checks;
pub mod file;

/// One of the four statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Statement {
    /// 貸借対照表 — the balance sheet.
    Bs,
    /// 行政コスト計算書 — the administrative cost statement.
    Pl,
    /// 純資産変動計算書 — the statement of changes in net assets.
    Nw,
    /// 資金収支計算書 — the cash-flow statement.
    Cf,
}

impl Statement {
    pub const ALL: [Statement; 4] = [Statement::Bs, Statement::Pl, Statement::Nw, Statement::Cf];

    pub fn code(self) -> &'static str {
        match self {
            Statement::Bs => "BS",
            Statement::Pl => "PL",
            Statement::Nw => "NW",
            Statement::Cf => "CF",
        }
    }

    /// The catalogue key of the statement's name.
    pub fn title_key(self) -> &'static str {
        match self {
            Statement::Bs => "fst.bs",
            Statement::Pl => "fst.pl",
            Statement::Nw => "fst.nw",
            Statement::Cf => "fst.cf",
        }
    }

    /// The code or the statement's Japanese name (様式第1号 … as well).
    pub fn parse(raw: &str) -> Option<Statement> {
        let t = super::cells::fold(raw).to_uppercase();
        Some(match t.as_str() {
            "BS" | "貸借対照表" | "様式第1号" => Statement::Bs,
            "PL" | "行政コスト計算書" | "様式第2号" => Statement::Pl,
            "NW" | "純資産変動計算書" | "様式第3号" => Statement::Nw,
            "CF" | "資金収支計算書" | "様式第4号" => Statement::Cf,
            _ => return None,
        })
    }
}

/// The NW's columns; every other statement has only 合計.
pub const TOTAL: &str = "合計";
pub const FIXED: &str = "固定資産等形成分";
pub const SURPLUS: &str = "余剰分（不足分）";

/// A column as files write it, or `None` for one that is not a statement column.
pub fn column(raw: &str) -> Option<&'static str> {
    let t = super::cells::fold(raw).replace(['（', '）'], "");
    match t.replace(['(', ')'], "").as_str() {
        "" | "合計" | "total" => Some(TOTAL),
        "固定資産等形成分" => Some(FIXED),
        "余剰分不足分" | "余剰分" | "不足分" => Some(SURPLUS),
        _ => None,
    }
}

/// 一般会計等, 全体 or 連結, as files write them.
pub fn scope(raw: &str) -> Option<&'static str> {
    let t = super::cells::fold(raw);
    ["一般会計等", "全体", "連結"]
        .into_iter()
        .find(|s| t.starts_with(s))
}

/// A line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StLine {
    pub statement: Statement,
    pub code: String,
    pub parent: String,
    pub name: String,
    pub column: &'static str,
    /// 円, signed.
    pub amount: i64,
}

/// A set read from a file, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSet {
    pub fiscal_year: i64,
    pub scope: &'static str,
    pub lines: Vec<StLine>,
}
