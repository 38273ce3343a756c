//! 予算・決算 lines: a budget or its result per fiscal year, 会計 and edition (当初, 補正第1号 …,
//! 最終, 決算), line by line under 款・項・目・節 with the 性質 of each expenditure, in 円; `file`
//! reads them as cities publish them.

pub mod columns;
pub mod file;

/// 歳入 or 歳出.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Revenue,
    Expenditure,
}

impl Side {
    pub fn word(self) -> &'static str {
        match self {
            Side::Revenue => "revenue",
            Side::Expenditure => "expenditure",
        }
    }
    /// 「歳入」「歳出」 as files write them (also 収入 / 支出, revenue / expenditure).
    pub fn parse(raw: &str) -> Option<Side> {
        match raw.trim().to_lowercase().as_str() {
            "歳入" | "収入" | "revenue" | "r" => Some(Side::Revenue),
            "歳出" | "支出" | "expenditure" | "e" => Some(Side::Expenditure),
            _ => None,
        }
    }
}

/// One line of an edition, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub side: Side,
    pub kan: String,
    pub kou: String,
    pub moku: String,
    pub setsu: String,
    pub nature: String,
    /// 円.
    pub amount: i64,
}

/// An edition read from a file, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEdition {
    pub fiscal_year: i64,
    pub account: String,
    pub edition: String,
    pub lines: Vec<Line>,
}

impl NewEdition {
    /// 決算 (a settlement), whose revenue and expenditure differ by the 形式収支.
    pub fn is_settlement(&self) -> bool {
        self.edition.contains("決算")
    }
}
