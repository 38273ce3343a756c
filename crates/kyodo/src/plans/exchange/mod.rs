//! Plans in and out of spreadsheets (cities keep their implementation plans in Excel).
//!
//! One layout is used both ways, so an exported workbook imports back unchanged:
//! - 概要: 計画名 / 目標 / 開始年度 / 終了年度 as key–value rows;
//! - 計画: one row per node (番号, 親番号, 項目名, …, 担当課コード, 進行管理) and one column per fiscal
//!   year holding the schedule step; a city's own sheet comes in through a column mapping;
//! - 指標: one row per indicator and fiscal year; 財政効果: one row per effect.

pub mod annual;
pub mod annual_pdf;
pub mod apply;
pub mod export;
pub mod import;
mod import_facts;
mod parsed;
pub use kyodo_decode::sheet;

pub const META_SHEET: &str = "概要";
pub const PLAN_SHEET: &str = "計画";
pub const INDICATOR_SHEET: &str = "指標";
pub const EFFECT_SHEET: &str = "財政効果";

/// Fields of the plan sheet: (field, default header, required).
pub const PLAN_FIELDS: [(&str, &str, bool); 8] = [
    ("number", "番号", true),
    ("parent", "親番号", false),
    ("title", "項目名", true),
    ("seed_ref", "計画上の番号", false),
    ("issues", "現状と課題", false),
    ("body", "取組内容", false),
    ("departments", "担当課コード", false),
    ("trackable", "進行管理", false),
];

pub const INDICATOR_HEADERS: [&str; 9] = [
    "番号",
    "指標名",
    "単位",
    "基準年度",
    "基準値",
    "方向",
    "年度",
    "目標",
    "実績",
];
pub const EFFECT_HEADERS: [&str; 7] = [
    "番号",
    "年度",
    "区分",
    "会計",
    "計画額(千円)",
    "実績額(千円)",
    "継続",
];
pub const META_KEYS: [&str; 4] = ["計画名", "目標", "開始年度", "終了年度"];

pub const HIGHER_IS_BETTER: &str = "高いほど良い";
pub const LOWER_IS_BETTER: &str = "低いほど良い";
pub const YES: &str = "○";

/// Reads a yes/no cell as people write it.
pub fn parse_flag(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "0" | "no" | "false" | "×" | "-" | "－" | "n" | "いいえ" => Some(false),
        "○" | "◯" | "〇" | "1" | "yes" | "true" | "y" | "はい" | "対象" => Some(true),
        _ => None,
    }
}
