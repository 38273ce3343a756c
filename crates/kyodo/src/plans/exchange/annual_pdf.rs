//! The annual progress report (進捗状況報告書) as a PDF: typst markup built from the plan, typeset by
//! `kyodo-pdf` with the configured Japanese font. All text goes in as string literals, so nothing a
//! department or citizen wrote can act as markup.

use super::annual;
use crate::codes::{self, RATING};
use crate::plans::view::PlanData;
use kyodo_jp::FiscalYear;
use kyodo_pdf::string as lit;
use std::fmt::Write;

/// Typst source of the report for `year`.
pub fn source(d: &PlanData, year: i64) -> String {
    let ja = crate::i18n::Lang::Ja;
    let fy = FiscalYear(year as i32).label_ja();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "#set document(title: {})",
        lit(&format!("{} {fy} 進捗状況報告書", d.plan.title))
    );
    s.push_str("#set page(paper: \"a4\", margin: (x: 18mm, y: 16mm), numbering: \"1 / 1\")\n");
    s.push_str("#set text(font: \"IPAexGothic\", size: 9.5pt, lang: \"ja\")\n#set par(justify: false, leading: 0.7em)\n");
    let _ = writeln!(
        s,
        "= #{}\n",
        lit(&format!("{} {fy} 進捗状況報告書", d.plan.title))
    );
    let _ = writeln!(
        s,
        "#{}\n",
        lit(&format!(
            "計画期間: {}〜{}",
            FiscalYear(d.plan.first_year as i32).label_ja(),
            FiscalYear(d.plan.last_year as i32).label_ja()
        ))
    );
    if d.plan.is_demo {
        s.push_str("#block(stroke: 1pt + red, inset: 6pt)[#\"この報告書の進捗・効果額はデモンストレーション用のデータです。\"]\n\n");
    }
    // Fiscal-effect totals: the same rows as the workbook.
    s.push_str("== 財政効果額(単位: 千円)\n#table(columns: (auto, 1fr, 1fr, 1fr, 1fr), align: (left, right, right, right, right),\n");
    for row in &annual::sheets(d, year)[1].rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| format!("[#{}]", lit(&group(c))))
            .collect();
        let _ = writeln!(s, "  {},", cells.join(", "));
    }
    s.push_str(")\n\n== 取組項目\n");
    for n in d.preorder() {
        if !n.trackable {
            let level = "=".repeat((n.depth as usize + 3).min(6));
            let _ = writeln!(
                s,
                "{level} #{}\n",
                lit(&format!("{} {}", n.number, n.title))
            );
            continue;
        }
        let r = d.reports_of(n.id).find(|r| r.fiscal_year == year);
        let _ = writeln!(
            s,
            "#block(breakable: true, stroke: (top: 0.5pt + gray), inset: (top: 4pt, bottom: 6pt), width: 100%)["
        );
        let _ = writeln!(
            s,
            "  #text(weight: \"bold\")[#{}] \\",
            lit(&format!("{} {}", n.number, n.title))
        );
        let _ = writeln!(
            s,
            "  #{} \\",
            lit(&format!("担当課: {}", d.department_names(n.id, ja)))
        );
        match r {
            Some(r) => {
                let _ = writeln!(
                    s,
                    "  #{} \\",
                    lit(&format!(
                        "進捗状況: {}  達成度評価: {}",
                        d.label(codes::PROGRESS, &r.progress, ja),
                        d.label(RATING, &r.rating, ja)
                    ))
                );
                for (label, text) in [
                    ("取組内容", &r.did),
                    ("評価", &r.evaluation),
                    ("今後の取組", &r.next_steps),
                ] {
                    let _ = writeln!(s, "  #{} \\", lit(&format!("【{label}】{text}")));
                }
            }
            None => {
                let _ = writeln!(s, "  #\"この年度の進捗報告は公表されていません。\"");
            }
        }
        s.push_str("]\n");
    }
    s
}

/// 「1234567」→「1,234,567」 for amounts; other text unchanged.
fn group(cell: &str) -> String {
    match cell.parse::<i64>() {
        Ok(v) => crate::charts::fmt_num(v as f64),
        Err(_) => cell.to_string(),
    }
}

/// Typesets the report. Runs the CPU-heavy typesetting off the async workers.
pub async fn render(d: &PlanData, year: i64, font: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let font = tokio::fs::read(font)
        .await
        .map_err(|e| anyhow::anyhow!("PDF font {}: {e}", font.display()))?;
    let src = source(d, year);
    tokio::task::spawn_blocking(move || kyodo_pdf::render(src, vec![font]))
        .await?
        .map_err(anyhow::Error::msg)
}
