//! A plan as sheets in the import layout, written as xlsx (numbers as numbers, so Excel can sum
//! them) or the plan sheet alone as CSV.

use super::sheet::Sheet;
use super::*;
use crate::codes;
use crate::plans::view::PlanData;
use kyodo_jp::FiscalYear;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::HashMap;

fn fy(year: i64) -> String {
    FiscalYear(year as i32).label_ja()
}

fn num(v: Option<f64>) -> String {
    v.map(|v| {
        if v.fract() == 0.0 {
            format!("{}", v as i64)
        } else {
            v.to_string()
        }
    })
    .unwrap_or_default()
}

/// The four sheets of a plan. `dept_codes` maps department ids to their codes.
pub fn to_sheets(d: &PlanData, dept_codes: &HashMap<i64, String>) -> Vec<Sheet> {
    let ja = crate::i18n::Lang::Ja;
    let meta = Sheet {
        name: META_SHEET.into(),
        rows: vec![
            vec![META_KEYS[0].into(), d.plan.title.clone()],
            vec![META_KEYS[1].into(), d.plan.goal.clone()],
            vec![META_KEYS[2].into(), fy(d.plan.first_year)],
            vec![META_KEYS[3].into(), fy(d.plan.last_year)],
        ],
    };
    let mut head: Vec<String> = PLAN_FIELDS.iter().map(|f| f.1.to_string()).collect();
    head.extend(d.years().map(fy));
    let mut plan = vec![head];
    let number_of = |id: i64| d.node(id).map(|n| n.number.clone()).unwrap_or_default();
    let order = d.preorder();
    for n in &order {
        let mut r = vec![
            n.number.clone(),
            n.parent_id.map(number_of).unwrap_or_default(),
            n.title.clone(),
            n.seed_ref.clone(),
            n.issues.clone(),
            n.body.clone(),
            d.department_ids(n.id)
                .filter_map(|id| dept_codes.get(&id).cloned())
                .collect::<Vec<_>>()
                .join("、"),
            if n.trackable {
                YES.into()
            } else {
                String::new()
            },
        ];
        r.extend(d.years().map(|y| {
            d.step(n.id, y)
                .map(|s| d.label(codes::SCHEDULE_STEP, s, ja).to_string())
                .unwrap_or_default()
        }));
        plan.push(r);
    }
    let mut indicators = vec![
        INDICATOR_HEADERS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    ];
    let mut effects = vec![
        EFFECT_HEADERS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    ];
    for n in &order {
        for i in d.indicators_of(n.id) {
            let base = [
                n.number.clone(),
                i.name.clone(),
                i.unit.clone(),
                i.baseline_year.map(fy).unwrap_or_default(),
                num(i.baseline_value),
                if i.higher_is_better {
                    HIGHER_IS_BETTER.into()
                } else {
                    LOWER_IS_BETTER.into()
                },
            ];
            let values: Vec<_> = d.values_of(i.id).collect();
            if values.is_empty() {
                let mut r = base.to_vec();
                r.extend([String::new(), String::new(), String::new()]);
                indicators.push(r);
            }
            for v in values {
                let mut r = base.to_vec();
                r.extend([fy(v.fiscal_year), num(v.target), num(v.actual)]);
                indicators.push(r);
            }
        }
        for e in d.effects_of(n.id) {
            effects.push(vec![
                n.number.clone(),
                fy(e.fiscal_year),
                d.label(codes::EFFECT_KIND, &e.kind, ja).to_string(),
                d.label(codes::ACCOUNT, &e.account, ja).to_string(),
                e.planned.to_string(),
                e.actual.map(|a| a.to_string()).unwrap_or_default(),
                if e.recurring {
                    YES.into()
                } else {
                    String::new()
                },
            ]);
        }
    }
    vec![
        meta,
        Sheet {
            name: PLAN_SHEET.into(),
            rows: plan,
        },
        Sheet {
            name: INDICATOR_SHEET.into(),
            rows: indicators,
        },
        Sheet {
            name: EFFECT_SHEET.into(),
            rows: effects,
        },
    ]
}

/// Headers whose cells are written as numbers.
const NUMERIC: [&str; 5] = ["基準値", "目標", "実績", "計画額(千円)", "実績額(千円)"];

/// A demo organization's workbook opens on a first sheet saying the data is demonstration data
/// (the reader leaves that sheet out, so the workbook still imports back).
pub fn add_demo_sheet(wb: &mut Workbook) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(kyodo_decode::sheet::DEMO_SHEET)?;
    let red = Format::new().set_bold().set_font_color("#B00020");
    ws.write_string_with_format(0, 0, kyodo_decode::sheet::DEMO_ROW, &red)?;
    ws.set_column_width(0, 90)?;
    Ok(())
}

/// Writes sheets as a workbook: bold header row, frozen, sensible widths; `demo` adds the
/// demonstration-data sheet first.
pub fn to_xlsx(
    sheets: &[Sheet],
    numeric_headers: &[&str],
    demo: bool,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    if demo {
        add_demo_sheet(&mut wb)?;
    }
    let bold = Format::new().set_bold().set_background_color("#E8F0FE");
    let wrap = Format::new().set_text_wrap();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        let numeric: Vec<bool> = s
            .rows
            .first()
            .map(|h| {
                h.iter()
                    .map(|c| numeric_headers.contains(&c.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r32, c16) = (r as u32, c as u16);
                if r == 0 && s.name != META_SHEET {
                    ws.write_string_with_format(r32, c16, cell, &bold)?;
                } else if numeric.get(c).copied().unwrap_or(false)
                    && !cell.is_empty()
                    && let Ok(v) = cell.parse::<f64>()
                {
                    ws.write_number(r32, c16, v)?;
                } else if cell.chars().count() > 40 {
                    ws.write_string_with_format(r32, c16, cell, &wrap)?;
                } else if !cell.is_empty() {
                    ws.write_string(r32, c16, cell)?;
                }
            }
        }
        let widths: Vec<usize> = (0..s.rows.iter().map(Vec::len).max().unwrap_or(0))
            .map(|c| {
                s.rows
                    .iter()
                    .map(|r| r.get(c).map_or(0, |x| x.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w as f64 * 1.8).clamp(6.0, 60.0))?;
        }
        if s.name != META_SHEET {
            ws.set_freeze_panes(1, 0)?;
        }
    }
    wb.save_to_buffer()
}

pub fn plan_xlsx(sheets: &[Sheet], demo: bool) -> Result<Vec<u8>, XlsxError> {
    to_xlsx(sheets, &NUMERIC, demo)
}

/// One sheet as CSV, UTF-8 with BOM.
pub fn to_csv(sheet: &Sheet) -> Vec<u8> {
    let mut w = crate::csv_writer::Writer::with_bom();
    for r in &sheet.rows {
        w.record(r);
    }
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Reader;

    #[test]
    fn only_a_demo_workbook_carries_the_demo_sheet() {
        let sheets = [Sheet {
            name: PLAN_SHEET.into(),
            rows: vec![vec!["番号".into()], vec!["1".into()]],
        }];
        for demo in [false, true] {
            let bytes = to_xlsx(&sheets, &[], demo).unwrap();
            let book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let names = book.sheet_names();
            assert_eq!(names.len(), 1 + usize::from(demo));
            assert_eq!(names[0] == kyodo_decode::sheet::DEMO_SHEET, demo);
        }
    }
}
