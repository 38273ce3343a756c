//! 中期財政見通し — the medium-term fiscal outlook (S-2.2.1): made every year (its edition) for the
//! next three to five years, row by row — 歳入 by source, 歳出 by 性質, 収支差 (財源不足), 基金残高,
//! 市債残高 — as the table a city publishes. Editions are compared, and the budget frames (枠配分)
//! of a year are set beside the outlook for that year.
//!
//! - `file`: reading the outlook table as published (items down, years across, 百万円 or 千円,
//!   a blank 区分 continuing the one above as merged cells do), every total checked;
//!
//! Storing and the demonstration editions are the `kyodo` crate's (`finance::outlook`).

pub mod file;

/// Which part of the table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Revenue,
    Expenditure,
    /// 収支差 (財源不足額): revenue less expenditure.
    Balance,
    /// 基金残高.
    Fund,
    /// 市債残高.
    Debt,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Revenue,
        Section::Expenditure,
        Section::Balance,
        Section::Fund,
        Section::Debt,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Section::Revenue => "revenue",
            Section::Expenditure => "expenditure",
            Section::Balance => "balance",
            Section::Fund => "fund",
            Section::Debt => "debt",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Section::Revenue => "outlook.revenue",
            Section::Expenditure => "outlook.expenditure",
            Section::Balance => "outlook.balance",
            Section::Fund => "outlook.fund",
            Section::Debt => "outlook.debt",
        }
    }

    /// The stored word, or the 区分 as a table writes it.
    pub fn parse(raw: &str) -> Option<Section> {
        let t = crate::finance::cells::fold(raw);
        Some(match t.as_str() {
            "revenue" | "歳入" => Section::Revenue,
            "expenditure" | "歳出" => Section::Expenditure,
            "balance" | "収支差" | "収支" | "財源不足" | "財源不足額" | "歳入歳出差引" => {
                Section::Balance
            }
            "fund" | "基金" | "基金残高" => Section::Fund,
            "debt" | "市債" | "市債残高" | "地方債残高" => Section::Debt,
            _ => return None,
        })
    }
}

/// A row of the table: its amount for each year of the edition, in 円.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub section: Section,
    pub label: String,
    /// 歳入合計 / 歳出合計: the sum of its section's other rows.
    pub is_total: bool,
    pub amounts: Vec<i64>,
}

/// An edition read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutlook {
    pub made_in: i64,
    pub title: String,
    /// The years across, in order.
    pub years: Vec<i64>,
    pub rows: Vec<Row>,
}
