//! `kyodo department import`: an organization's 部・課・係 from the list a city keeps (CSV or xlsx).
//! Files as cities have them: a title row above the headers, headers named in Japanese or English,
//! full-width digits in codes, levels written 部・課・係 (or left out, when the parent says it).
//! Every row is checked first; nothing is written unless all are good, then all in one transaction.

use super::departments::{self, Department, LEVELS};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::validation::FieldErrors;
use kyodo_decode::sheet::Sheet;
use serde_json::json;
use std::collections::HashMap;

/// Column names accepted for each field, compared after [`fold`].
const HEADERS: [(&str, &[&str]); 5] = [
    (
        "code",
        &["code", "コード", "所属コード", "組織コード", "課コード"],
    ),
    (
        "name",
        &["name", "名称", "所属名", "組織名", "部署名", "課名"],
    ),
    ("name_en", &["name_en", "英語名", "英語名称", "英名"]),
    ("level", &["level", "階層", "区分", "組織区分"]),
    (
        "parent",
        &[
            "parent",
            "上位コード",
            "親コード",
            "上位所属コード",
            "上位組織コード",
        ],
    ),
];

/// One problem, by line of the file (1-based, as a spreadsheet numbers rows) and catalogue key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub key: &'static str,
    pub value: String,
}

/// A department to add, with its parent's code.
#[derive(Debug, Clone)]
pub struct NewRow {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: &'static str,
    pub parent: Option<String>,
}

/// What the file asks for: departments to add (parents first) and how many rows exist already.
#[derive(Debug, Default)]
pub struct Plan {
    pub add: Vec<NewRow>,
    pub unchanged: usize,
}

/// Full-width ASCII to half-width, trimmed, spaces removed, lower-cased (for headers and codes).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn level_of(raw: &str) -> Option<&'static str> {
    match fold(raw).as_str() {
        "部" | "局" | "bu" => Some("bu"),
        "課" | "室" | "ka" => Some("ka"),
        "係" | "担当" | "kakari" => Some("kakari"),
        _ => None,
    }
}

/// Checks every row of `sheet` against the organization's `existing` departments.
pub fn plan(sheet: &Sheet, existing: &[Department]) -> Result<Plan, Vec<Problem>> {
    let problem = |line, key, value: &str| Problem {
        line,
        key,
        value: value.to_string(),
    };
    // The header row: the first of the top ten naming both a code and a name column.
    let columns = |row: &[String]| -> HashMap<&'static str, usize> {
        let mut found = HashMap::new();
        for (i, cell) in row.iter().enumerate() {
            let cell = fold(cell);
            if let Some((field, _)) = HEADERS
                .iter()
                .find(|(_, names)| names.iter().any(|n| fold(n) == cell))
            {
                found.entry(*field).or_insert(i);
            }
        }
        found
    };
    let Some((header_at, cols)) = sheet.rows.iter().take(10).enumerate().find_map(|(i, r)| {
        let c = columns(r);
        (c.contains_key("code") && c.contains_key("name")).then_some((i, c))
    }) else {
        return Err(vec![problem(1, "department.import_no_header", "")]);
    };
    let get = |row: &[String], f: &str| {
        cols.get(f)
            .and_then(|i| row.get(*i))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    let mut rows: Vec<NewRow> = Vec::new();
    let mut plan = Plan::default();
    let by_code: HashMap<String, &Department> =
        existing.iter().map(|d| (fold(&d.code), d)).collect();
    for (i, row) in sheet.rows.iter().enumerate().skip(header_at + 1) {
        let line = i + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let code = fold(&get(row, "code"));
        let name = get(row, "name");
        let parent = Some(fold(&get(row, "parent"))).filter(|p| !p.is_empty());
        // The add form's text rules (`FieldErrors::text`: present, not too long, no control
        // characters), with the import's own wording for the first two.
        let mut checks = FieldErrors::default();
        checks.text("code", &code, 20);
        checks.text("name", &name, 100);
        let name_en = checks.optional_text("name_en", &get(row, "name_en"), 100);
        if let Some((field, message)) = checks.0.first().map(|e| (e.field.clone(), e.message)) {
            let key = match (field.as_str(), message) {
                (_, "field.invalid_chars") => message,
                ("code", _) => "department.import_bad_code",
                ("name", _) => "department.import_bad_name",
                _ => message,
            };
            let value = if field == "code" { &code } else { &name };
            problems.push(problem(line, key, value));
            continue;
        }
        let raw_level = get(row, "level");
        let level = if raw_level.is_empty() {
            ""
        } else if let Some(l) = level_of(&raw_level) {
            l
        } else {
            problems.push(problem(line, "department.bad_level", &raw_level));
            continue;
        };
        if rows.iter().any(|r| r.code == code) {
            problems.push(problem(line, "department.import_duplicate", &code));
            continue;
        }
        if let Some(d) = by_code.get(&code) {
            if d.name == name {
                plan.unchanged += 1;
            } else {
                problems.push(problem(line, "department.import_code_other_name", &code));
            }
            continue;
        }
        rows.push(NewRow {
            line,
            code,
            name,
            name_en,
            level,
            parent,
        });
    }
    // Parents before children; a level left empty is the one below the parent's.
    let level_index = |l: &str| LEVELS.iter().position(|x| *x == l);
    let mut levels: HashMap<String, &'static str> = existing
        .iter()
        .filter_map(|d| Some((fold(&d.code), *LEVELS.iter().find(|l| **l == d.level)?)))
        .collect();
    while !rows.is_empty() {
        let ready = rows
            .iter()
            .position(|r| r.parent.as_ref().is_none_or(|p| levels.contains_key(p)));
        let Some(at) = ready else {
            // What is left names parents that are neither in the file nor in Kyodo (or each other).
            for r in &rows {
                problems.push(problem(
                    r.line,
                    "department.import_no_parent",
                    r.parent.as_deref().unwrap_or(""),
                ));
            }
            break;
        };
        let mut r = rows.remove(at);
        let parent_level = r.parent.as_ref().and_then(|p| levels.get(p)).copied();
        if r.level.is_empty() {
            r.level = match parent_level.and_then(level_index) {
                None => "bu",
                Some(i) => LEVELS.get(i + 1).copied().unwrap_or("kakari"),
            };
        }
        let below = match (parent_level.and_then(level_index), level_index(r.level)) {
            (Some(p), Some(l)) => l > p,
            _ => true,
        };
        if !below {
            problems.push(problem(r.line, "department.level_below_parent", r.level));
            continue;
        }
        levels.insert(r.code.clone(), r.level);
        plan.add.push(r);
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

/// Adds the planned departments in one transaction, each audited.
pub async fn apply(app: &App, org: i64, actor: &Actor, plan: &Plan) -> anyhow::Result<()> {
    let mut ids: HashMap<String, i64> = departments::list(&app.db, org)
        .await?
        .into_iter()
        .map(|d| (fold(&d.code), d.id))
        .collect();
    let mut tx = app.begin_write().await?;
    for r in &plan.add {
        let parent_id = r.parent.as_ref().and_then(|p| ids.get(p)).copied();
        let id = departments::insert(
            &mut tx, org, parent_id, &r.code, &r.name, &r.name_en, r.level,
        )
        .await?;
        audit::append(
            &mut tx,
            org,
            actor,
            Change {
                action: "department.create",
                target_type: "department",
                target_id: id.to_string(),
                before: None,
                after: Some(json!({"code": r.code, "name": r.name, "name_en": r.name_en, "level": r.level, "parent_id": parent_id, "imported": true})),
            },
        )
        .await?;
        ids.insert(r.code.clone(), id);
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: "組織".into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn a_messy_list_is_read_with_parents_first() {
        let s = sheet(&[
            &["令和7年度 組織一覧", "", ""],
            &["", "", ""],
            &["所属名", "所属コード", "上位コード", "区分"],
            &["企画調整課", "１１０", "１００", ""],
            &["", "", "", ""],
            &["企画政策部", "１００", "", "部"],
            &["行政改革係", "111", "110", "係"],
        ]);
        let plan = plan(&s, &[]).unwrap();
        let got: Vec<(&str, &str)> = plan
            .add
            .iter()
            .map(|r| (r.code.as_str(), r.level))
            .collect();
        assert_eq!(got, [("100", "bu"), ("110", "ka"), ("111", "kakari")]);
    }

    #[test]
    fn every_problem_is_reported_by_line() {
        let s = sheet(&[
            &["コード", "名称", "上位コード", "階層"],
            &["200", "総務部", "", "部"],
            &["200", "重複", "", "部"],
            &["210", "", "200", "課"],
            &["220", "人事課", "999", "課"],
            &["230", "職員課", "200", "センター"],
            &["240", "部の下の部", "200", "部"],
        ]);
        let problems = plan(&s, &[]).unwrap_err();
        let got: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.key)).collect();
        assert_eq!(
            got,
            [
                (3, "department.import_duplicate"),
                (4, "department.import_bad_name"),
                (5, "department.import_no_parent"),
                (6, "department.bad_level"),
                (7, "department.level_below_parent"),
            ]
        );
        assert_eq!(
            plan(&sheet(&[&["番号", "名前"]]), &[]).unwrap_err()[0].key,
            "department.import_no_header"
        );
    }

    #[test]
    fn hostile_lists_are_refused_row_by_row_without_panicking() {
        let long = "長".repeat(101);
        let s = sheet(&[
            &["コード", "名称", "上位コード"],
            &["a", "自分が親", "a"],
            &["b", "循環1", "c"],
            &["c", "循環2", "b"],
            &["d", "制御\u{7}文字", ""],
            &["e", &long, ""],
            &["", "コードなし", ""],
            &["ｆ", "全角コード", "", "余分な列", "もう一つ"],
        ]);
        let problems = plan(&s, &[]).unwrap_err();
        let got: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.key)).collect();
        assert_eq!(
            got,
            [
                (2, "department.import_no_parent"),
                (3, "department.import_no_parent"),
                (4, "department.import_no_parent"),
                (5, "field.invalid_chars"),
                (6, "department.import_bad_name"),
                (7, "department.import_bad_code"),
            ]
        );
        // Many rows: each checked once, parents found however deep the chain.
        let rows: Vec<Vec<String>> =
            std::iter::once(vec!["コード".into(), "名称".into(), "上位コード".into()])
                .chain((0..3000).map(|i| {
                    let parent = if i == 0 {
                        String::new()
                    } else {
                        (i - 1).to_string()
                    };
                    vec![i.to_string(), format!("組織{i}"), parent]
                }))
                .collect();
        let deep = Sheet {
            name: "深い".into(),
            rows,
        };
        // Only three levels exist: the fourth of the chain is refused, and every row below it then
        // names a parent that is not there; each is reported by its line.
        let problems = plan(&deep, &[]).unwrap_err();
        assert_eq!(problems.len(), 2997);
        assert_eq!(
            (problems[0].line, problems[0].key),
            (5, "department.level_below_parent")
        );
        assert!(
            problems[1..]
                .iter()
                .all(|p| p.key == "department.import_no_parent")
        );
    }
}
