//! An outlook table as cities publish it: a title row (「中期財政見通し(令和7年度作成)」), a unit
//! (「単位:百万円」), then a header of 区分, 項目 and one column per year (令和8年度, R9, 2027 …);
//! items down the side, a blank 区分 continuing the one above (merged cells), 合計 rows. Every
//! amount is read or reported by line and year; each 合計 equals its section's items and a 収支差
//! row equals revenue less expenditure, each mismatch by line and year. Nothing is read unless
//! the whole table is consistent. The edition is the year named in the title as 作成, or else
//! the year before the first column.

use super::{NewOutlook, Row, Section};
use crate::LineProblem as Problem;
use crate::finance::cells::{self, find_header, fold, unit_in};
use crate::sheet::Sheet;

/// The most years an outlook may cover (most cities use three to five).
const MAX_YEARS: usize = 10;

/// The header: the 区分 and 項目 columns, and each year column with its year.
type Header = (usize, usize, Vec<(usize, i64)>);

fn header(row: &[String]) -> Option<Header> {
    let find = |names: &[&str]| row.iter().position(|c| names.contains(&fold(c).as_str()));
    let section = find(&["区分", "歳入歳出", "section"])?;
    let label = find(&["項目", "科目", "区分名", "item"])?;
    let years: Vec<(usize, i64)> = row
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != section && *i != label)
        .filter_map(|(i, c)| {
            let t = fold(c);
            let t = t.split(['(', '（']).next().unwrap_or_default();
            kyodo_jp::FiscalYear::parse(t).map(|y| (i, i64::from(y.0)))
        })
        .collect();
    (!years.is_empty() && years.len() <= MAX_YEARS).then_some((section, label, years))
}

fn is_total(label: &str) -> bool {
    let t = fold(label);
    let side_total = t.ends_with('計') && (t.starts_with("歳入") || t.starts_with("歳出"));
    t.ends_with("合計") || t == "計" || side_total
}

pub fn read(sheet: &Sheet) -> Result<NewOutlook, Vec<Problem>> {
    let problem = |line: usize, key: &'static str, value: String| Problem { line, key, value };
    let Some((at, (section_col, label_col, years))) = find_header(&sheet.rows, header) else {
        return Err(vec![problem(1, "outlook.no_header", String::new())]);
    };
    let above: Vec<&String> = sheet.rows[..at].iter().flatten().collect();
    let unit = sheet.rows[at]
        .iter()
        .chain(above.iter().copied())
        .find_map(|c| unit_in(c))
        .unwrap_or(1);
    let title = above
        .iter()
        .map(|c| c.trim())
        .find(|c| !c.is_empty() && unit_in(c).is_none())
        .unwrap_or_default()
        .to_string();
    let made_in = above
        .iter()
        .find_map(|c| {
            let t = fold(c);
            let i = t.find("年度作成")?;
            let start = t[..i].rfind(['(', '（', ' ']).map_or(0, |p| p + 1);
            kyodo_jp::FiscalYear::parse(&format!("{}年度", &t[start..i])).map(|y| i64::from(y.0))
        })
        .unwrap_or(years[0].1 - 1);
    let mut problems = Vec::new();
    let mut rows: Vec<(usize, Row)> = Vec::new();
    let mut current: Option<Section> = None;
    // Rows under a 区分 already reported (merged cells) are not reported again.
    let mut under_bad = false;
    for (i, r) in sheet.rows.iter().enumerate().skip(at + 1) {
        let line = i + 1;
        let cell = |c: usize| r.get(c).map(|v| v.trim().to_string()).unwrap_or_default();
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let raw_section = cell(section_col);
        if raw_section.is_empty() && under_bad {
            continue;
        }
        if !raw_section.is_empty() {
            current = Section::parse(&raw_section);
            under_bad = current.is_none();
            if current.is_none() {
                problems.push(problem(line, "outlook.bad_section", raw_section.clone()));
                continue;
            }
        }
        let Some(section) = current else {
            problems.push(problem(line, "outlook.bad_section", raw_section));
            continue;
        };
        let mut label = cell(label_col);
        if label.is_empty() {
            label = raw_section;
        }
        if label.is_empty() {
            problems.push(problem(line, "outlook.no_label", String::new()));
            continue;
        }
        let mut amounts = Vec::new();
        for (c, year) in &years {
            match cells::amount(&cell(*c), unit) {
                Some(v) => amounts.push(v),
                None => problems.push(problem(
                    line,
                    "outlook.bad_amount",
                    format!("{year}: {}", cell(*c)),
                )),
            }
        }
        if amounts.len() == years.len() {
            let is_total =
                is_total(&label) && matches!(section, Section::Revenue | Section::Expenditure);
            rows.push((
                line,
                Row {
                    section,
                    label,
                    is_total,
                    amounts,
                },
            ));
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(at + 1, "outlook.no_rows", String::new()));
    }
    if problems.is_empty() {
        check(&rows, &years, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(NewOutlook {
        made_in,
        title: if title.is_empty() {
            "中期財政見通し".into()
        } else {
            title
        },
        years: years.iter().map(|(_, y)| *y).collect(),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    })
}

/// Each 合計 against its section's items; the first 収支差 row against revenue less expenditure
/// (rows under it, such as 基金繰入による対策後, are the city's own).
fn check(rows: &[(usize, Row)], years: &[(usize, i64)], problems: &mut Vec<Problem>) {
    let sum = |section: Section, k: usize| -> i128 {
        rows.iter()
            .filter(|(_, r)| r.section == section && !r.is_total)
            .map(|(_, r)| i128::from(r.amounts[k]))
            .sum()
    };
    let first_balance = rows.iter().position(|(_, r)| r.section == Section::Balance);
    for (k, (_, year)) in years.iter().enumerate() {
        for (i, (line, r)) in rows.iter().enumerate() {
            let expected = match r.section {
                _ if r.is_total => sum(r.section, k),
                Section::Balance if Some(i) == first_balance => {
                    sum(Section::Revenue, k) - sum(Section::Expenditure, k)
                }
                _ => continue,
            };
            if expected != i128::from(r.amounts[k]) {
                problems.push(Problem {
                    line: *line,
                    key: "outlook.total_mismatch",
                    value: format!("{year} {}: {} ≠ {expected}", r.label, r.amounts[k]),
                });
            }
        }
    }
}
