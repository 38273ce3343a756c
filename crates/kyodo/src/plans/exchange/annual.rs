//! The annual progress report (進捗状況報告書) as a workbook: every item with its published report of
//! the year, and the fiscal-effect totals on both bases with a total row.

use super::sheet::Sheet;
use crate::codes::{self, RATING};
use crate::plans::metrics;
use crate::plans::view::PlanData;
use kyodo_jp::FiscalYear;

pub const ITEMS_SHEET: &str = "進捗状況";
pub const TOTALS_SHEET: &str = "財政効果額";
pub const TOTAL_LABEL: &str = "合計";

pub fn sheets(d: &PlanData, year: i64) -> Vec<Sheet> {
    let ja = crate::i18n::Lang::Ja;
    let mut items = vec![
        [
            "番号",
            "取組項目",
            "担当課",
            "進捗状況",
            "達成度評価",
            "取組内容",
            "評価",
            "今後の取組",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for n in d.preorder().into_iter().filter(|n| n.trackable) {
        let r = d.reports_of(n.id).find(|r| r.fiscal_year == year);
        items.push(vec![
            n.number.clone(),
            n.title.clone(),
            d.department_names(n.id, ja),
            r.map(|r| d.label(codes::PROGRESS, &r.progress, ja).to_string())
                .unwrap_or_else(|| "未報告".into()),
            r.map(|r| d.label(RATING, &r.rating, ja).to_string())
                .unwrap_or_default(),
            r.map(|r| r.did.clone()).unwrap_or_default(),
            r.map(|r| r.evaluation.clone()).unwrap_or_default(),
            r.map(|r| r.next_steps.clone()).unwrap_or_default(),
        ]);
    }
    let effects: Vec<_> = d.effects.iter().collect();
    let rows = metrics::effect_totals(&effects, d.plan.first_year, d.plan.last_year);
    let (single, cont) = metrics::grand_total(&rows);
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut totals = vec![
        [
            "年度",
            "単年度効果額 計画(千円)",
            "単年度効果額 実績(千円)",
            "継続的効果額 計画(千円)",
            "継続的効果額 実績(千円)",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in &rows {
        totals.push(vec![
            FiscalYear(r.fiscal_year as i32).label_ja(),
            r.single_year.planned.to_string(),
            opt(r.single_year.actual),
            r.continuing.planned.to_string(),
            opt(r.continuing.actual),
        ]);
    }
    totals.push(vec![
        TOTAL_LABEL.into(),
        single.planned.to_string(),
        opt(single.actual),
        cont.planned.to_string(),
        opt(cont.actual),
    ]);
    vec![
        Sheet {
            name: ITEMS_SHEET.into(),
            rows: items,
        },
        Sheet {
            name: TOTALS_SHEET.into(),
            rows: totals,
        },
    ]
}

pub fn xlsx(d: &PlanData, year: i64, demo: bool) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    super::export::to_xlsx(
        &sheets(d, year),
        &[
            "単年度効果額 計画(千円)",
            "単年度効果額 実績(千円)",
            "継続的効果額 計画(千円)",
            "継続的効果額 実績(千円)",
        ],
        demo,
    )
}
