//! 結果の公表 — the result as cities publish it (意見の概要と市の考え方): title, dates, how many
//! people sent how many opinions by channel (e.g. 19名24件), each group's 意見の概要 with
//! 市の考え方 and 修正の有無, and the revised draft with its changes marked. One set of data
//! feeds the page, the CSV and JSON open data, the xlsx and the PDF; no personal data is in it.

use super::CHANNELS;
use super::answers::{self, Group};
use super::consultations::{self, Consultation, SectionRow};
use super::diff::{Piece, diff};
use crate::db::Db;
use kyodo_decode::sheet::Sheet;
use kyodo_pdf::string as lit;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

#[derive(Debug, Clone, Serialize)]
pub struct ResultGroup {
    /// Its number in the result (1, 2 …), by section.
    pub number: usize,
    pub section: String,
    pub opinions: i64,
    #[serde(flatten)]
    pub group: Group,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultSection {
    #[serde(flatten)]
    pub section: SectionRow,
    /// The changes, when the section was revised.
    pub changes: Option<Vec<Piece>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultDoc {
    pub consultation: Consultation,
    pub department: String,
    /// People (by e-mail, else name and address) and opinions, confirmed ones only.
    pub submitters: usize,
    pub opinions: usize,
    /// (channel code, people, opinions) for the channels used.
    pub by_channel: Vec<(&'static str, usize, usize)>,
    pub groups: Vec<ResultGroup>,
    pub sections: Vec<ResultSection>,
}

type OpinionFacts = (String, String, String, String, Option<i64>);

/// Loads the result of a consultation (published or, for the department and HQ, in progress).
pub async fn load(db: &Db, org: i64, c: Consultation) -> sqlx::Result<ResultDoc> {
    let (rows, groups, sections): (Vec<OpinionFacts>, _, _) = tokio::try_join!(
        sqlx::query_as(
            "SELECT channel, email, name, address, group_id FROM pc_opinions \
             WHERE organization_id = $1 AND consultation_id = $2 AND confirmed = 1",
        )
        .bind(org)
        .bind(c.id)
        .fetch_all(db),
        answers::groups(db, org, c.id),
        consultations::sections(db, org, c.id),
    )?;
    let department = match c.department_id {
        Some(d) => crate::accounts::departments::get(db, org, d)
            .await?
            .map(|d| d.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let person = |(_, email, name, address, _): &OpinionFacts| {
        if email.is_empty() {
            format!("{}\n{}", name.trim(), address.trim())
        } else {
            email.trim().to_lowercase()
        }
    };
    let everyone: HashSet<String> = rows.iter().map(person).collect();
    let by_channel = CHANNELS
        .iter()
        .filter_map(|(code, _)| {
            let mine: Vec<&OpinionFacts> = rows.iter().filter(|r| r.0 == *code).collect();
            let people: HashSet<String> = mine.iter().map(|r| person(r)).collect();
            (!mine.is_empty()).then_some((*code, people.len(), mine.len()))
        })
        .collect();
    let mut per_group: HashMap<i64, i64> = HashMap::new();
    for r in &rows {
        if let Some(g) = r.4 {
            *per_group.entry(g).or_default() += 1;
        }
    }
    let heading = |n: i64| {
        sections
            .iter()
            .find(|s| s.number == n)
            .map_or_else(|| "全体".to_string(), |s| s.heading.clone())
    };
    let groups = groups
        .into_iter()
        .enumerate()
        .map(|(i, g)| ResultGroup {
            number: i + 1,
            section: heading(g.section_number),
            opinions: per_group.get(&g.id).copied().unwrap_or(0),
            group: g,
        })
        .collect();
    let sections = sections
        .into_iter()
        .map(|s| ResultSection {
            changes: s.revised_body.as_deref().map(|r| diff(&s.body, r)),
            section: s,
        })
        .collect();
    Ok(ResultDoc {
        consultation: c,
        department,
        submitters: everyone.len(),
        opinions: rows.len(),
        by_channel,
        groups,
        sections,
    })
}

/// 修正あり / 修正なし
fn revised_ja(g: &Group) -> &'static str {
    if g.revised {
        "修正あり"
    } else {
        "修正なし"
    }
}

/// The open-data columns (one row per group).
pub const CSV_HEADER: [&str; 9] = [
    "案件",
    "番号",
    "対象",
    "件数",
    "意見の概要",
    "市の考え方",
    "修正の有無",
    "修正内容",
    "結果公表日",
];

pub fn csv_rows(d: &ResultDoc) -> Vec<Vec<String>> {
    let published: String = d
        .consultation
        .result_published_at
        .as_deref()
        .map(|s| s.chars().take(10).collect())
        .unwrap_or_default();
    d.groups
        .iter()
        .map(|g| {
            vec![
                d.consultation.title.clone(),
                g.number.to_string(),
                g.section.clone(),
                g.opinions.to_string(),
                g.group.summary.clone(),
                g.group.city_view.clone(),
                revised_ja(&g.group).into(),
                g.group.change_text.clone(),
                published.clone(),
            ]
        })
        .collect()
}

/// 19名24件
pub fn count_ja(d: &ResultDoc) -> String {
    format!("{}名{}件", d.submitters, d.opinions)
}

fn period_ja(c: &Consultation) -> String {
    let day = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(kyodo_jp::wareki::format_date_ja)
            .unwrap_or_else(|_| s.to_string())
    };
    format!("{} 〜 {}", day(&c.starts_on), day(&c.ends_on))
}

fn channel_ja(code: &str) -> &'static str {
    match code {
        "web" => "電子申請(ウェブ)",
        "mail" => "郵送",
        "fax" => "FAX",
        "counter" => "持参",
        _ => "電子メール",
    }
}

/// The result as a workbook: an overview sheet and the table of groups.
pub fn xlsx(d: &ResultDoc, demo: bool) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let c = &d.consultation;
    let mut overview = vec![
        vec!["案件名".into(), c.title.clone()],
        vec!["意見募集期間".into(), period_ja(c)],
        vec!["担当課".into(), d.department.clone()],
        vec!["根拠".into(), c.basis.clone()],
        vec!["提出者数・意見数".into(), count_ja(d)],
    ];
    for (code, people, n) in &d.by_channel {
        overview.push(vec![channel_ja(code).into(), format!("{people}名{n}件")]);
    }
    let mut table = vec![CSV_HEADER[1..8].iter().map(|h| h.to_string()).collect()];
    table.extend(csv_rows(d).into_iter().map(|r| r[1..8].to_vec()));
    crate::plans::exchange::export::to_xlsx(
        &[
            Sheet {
                name: "概要".into(),
                rows: overview,
            },
            Sheet {
                name: "意見と市の考え方".into(),
                rows: table,
            },
        ],
        &["番号", "件数"],
        demo,
    )
}

/// Typst source of the result document (every text a string literal, never markup).
pub fn pdf_source(d: &ResultDoc) -> String {
    let c = &d.consultation;
    let title = format!("「{}」に対する意見募集の結果", c.title);
    let mut s = String::new();
    let _ = writeln!(s, "#set document(title: {})", lit(&title));
    s.push_str("#set page(paper: \"a4\", margin: (x: 18mm, y: 16mm), numbering: \"1 / 1\")\n");
    s.push_str("#set text(font: \"IPAexGothic\", size: 9.5pt, lang: \"ja\")\n#set par(justify: false, leading: 0.7em)\n");
    let _ = writeln!(s, "= #{}\n", lit(&title));
    if c.is_demo {
        s.push_str("#block(stroke: 1pt + red, inset: 6pt)[#\"この結果はデモンストレーション用のデータです。\"]\n\n");
    }
    s.push_str("#table(columns: (auto, 1fr),\n");
    let mut facts = vec![
        ("意見募集期間", period_ja(c)),
        ("担当課", d.department.clone()),
        ("根拠", c.basis.clone()),
        ("提出者数・意見数", count_ja(d)),
    ];
    for (code, people, n) in &d.by_channel {
        facts.push((channel_ja(code), format!("{people}名{n}件")));
    }
    for (k, v) in facts {
        let _ = writeln!(s, "  [#{}], [#{}],", lit(k), lit(&v));
    }
    s.push_str(")\n\n== 意見の概要と市の考え方\n");
    s.push_str("#table(columns: (auto, auto, 1fr, 1fr, auto),\n  [*番号*], [*対象*], [*意見の概要*], [*市の考え方*], [*修正*],\n");
    for g in &d.groups {
        let _ = writeln!(
            s,
            "  [#{}], [#{}], [#{}], [#{}], [#{}],",
            lit(&g.number.to_string()),
            lit(&g.section),
            lit(&format!("{}({}件)", g.group.summary, g.opinions)),
            lit(&g.group.city_view),
            lit(revised_ja(&g.group))
        );
    }
    s.push_str(")\n\n");
    let revised: Vec<&ResultSection> = d.sections.iter().filter(|x| x.changes.is_some()).collect();
    if !revised.is_empty() {
        s.push_str("== 修正箇所(下線: 追加、取消線: 削除)\n");
        for r in revised {
            let _ = writeln!(s, "=== #{}", lit(&r.section.heading));
            for p in r.changes.iter().flatten() {
                match p {
                    Piece::Same(t) => {
                        let _ = write!(s, "#{}", lit(t));
                    }
                    Piece::Added(t) => {
                        let _ = write!(s, "#underline[*#{}*]", lit(t));
                    }
                    Piece::Removed(t) => {
                        let _ = write!(s, "#strike[#{}]", lit(t));
                    }
                }
            }
            s.push_str("\n\n");
        }
    }
    s
}
