//! The results report (集計結果報告書) as a PDF: typst markup typeset by `kyodo-pdf` with the
//! configured Japanese font. Every text goes in as a string literal, so nothing a respondent or
//! the HQ typed can act as markup. Same figures as the results page: respondents, the portfolio
//! with its scatter chart and 改善度指数, and each choice or scale question's counts with bars.

use super::report_charts;
use super::results::{PortfolioItem, Tally};
use super::store::{Form, Kind};
use kyodo_jp::FiscalYear;
use kyodo_pdf::string as lit;
use std::fmt::Write;

/// (label, count) rows of a choice or scale question, in the page's order.
fn rows(q: &super::store::Question, t: &Tally) -> Vec<(String, i64)> {
    let c = t.of(q.id(), "");
    match q.kind {
        Kind::Single | Kind::Multi => q
            .options
            .iter()
            .map(|o| {
                (
                    o.label.clone(),
                    c.per_option.get(&o.id).copied().unwrap_or(0),
                )
            })
            .collect(),
        Kind::Scale => ["満足", "やや満足", "ふつう", "やや不満", "不満"]
            .iter()
            .zip(c.per_level)
            .map(|(l, n)| (l.to_string(), n))
            .collect(),
        _ => Vec::new(),
    }
}

fn pct(n: i64, base: i64) -> String {
    if base == 0 {
        "—".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / base as f64)
    }
}

/// Typst source of the report; `quadrant` names a quadrant code in the city's vocabulary.
pub fn source(
    form: &Form,
    t: &Tally,
    items: &[PortfolioItem],
    quadrant: &dyn Fn(&str) -> String,
) -> String {
    let s_ = &form.survey;
    let title = format!("{} 集計結果", s_.title);
    let mut s = String::new();
    let _ = writeln!(s, "#set document(title: {})", lit(&title));
    s.push_str("#set page(paper: \"a4\", margin: (x: 18mm, y: 16mm), numbering: \"1 / 1\")\n");
    s.push_str("#set text(font: \"IPAexGothic\", size: 9.5pt, lang: \"ja\")\n#set par(justify: false, leading: 0.7em)\n");
    let _ = writeln!(s, "= #{}\n", lit(&title));
    let _ = writeln!(
        s,
        "#{}\n",
        lit(&format!(
            "{} ・ 回答者数 {} 人",
            FiscalYear(s_.fiscal_year as i32).label_ja(),
            t.respondents
        ))
    );
    if s_.is_demo {
        s.push_str("#block(stroke: 1pt + red, inset: 6pt)[#\"この集計はデモンストレーション用に生成した回答によるものです。\"]\n\n");
    }
    if !items.is_empty() {
        s.push_str("== 重要度・満足度と改善度指数\n");
        let points = super::chart::points(items);
        let q = ["improve_first", "keep_up", "maintain", "improve"].map(quadrant);
        s.push_str(&report_charts::scatter(
            &points,
            ("重要度(偏差値)", "満足度(偏差値)"),
            [&q[0], &q[1], &q[2], &q[3]],
        ));
        s.push_str("#table(columns: (auto, 1fr, auto, auto, auto, auto, auto, auto), align: (right, left, right, right, right, right, left, right),\n");
        let head = [
            "番号",
            "項目",
            "重要度",
            "満足度",
            "重要度(偏差値)",
            "満足度(偏差値)",
            "領域",
            "改善度指数",
        ];
        let _ = writeln!(
            s,
            "  {},",
            head.iter()
                .map(|h| format!("[*#{}*]", lit(h)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for (i, p) in items.iter().enumerate() {
            let cells = [
                (i + 1).to_string(),
                p.subject.clone(),
                format!("{:.2}", p.importance),
                format!("{:.2}", p.satisfaction),
                format!("{:.1}", p.placed.importance),
                format!("{:.1}", p.placed.satisfaction),
                quadrant(p.placed.quadrant.code()),
                format!("{:.1}", p.placed.improvement_index),
            ];
            let _ = writeln!(
                s,
                "  {},",
                cells
                    .iter()
                    .map(|c| format!("[#{}]", lit(c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        s.push_str(")\n");
        s.push_str("#text(size: 8pt)[#\"評価点は 満足 +2 〜 不満 −2 の加重平均(無回答・わからないは母数から除く)。改善度指数 = 中心からの距離 ×(90° − 重点改善方向からの角度)÷ 90°。\"]\n\n");
    }
    s.push_str("== 設問ごとの集計\n");
    for (i, q) in form.questions.iter().enumerate() {
        let r = rows(q, t);
        if r.is_empty() {
            continue;
        }
        let base = t.of(q.id(), "").answered;
        let multi = if q.kind == Kind::Multi {
            "(複数回答)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "=== #{}\n",
            lit(&format!("問{}. {}", i + 1, q.row.label))
        );
        let _ = writeln!(s, "#{}\n", lit(&format!("回答者数 {base}{multi}")));
        let _ = writeln!(
            s,
            "#table(columns: (1fr, auto, auto, {}mm), align: (left, right, right, left),",
            report_charts::BAR + 2.0
        );
        s.push_str("  [*#\"選択肢\"*], [*#\"件数\"*], [*#\"%\"*], [*#\"グラフ\"*],\n");
        for (label, n) in r {
            let _ = writeln!(
                s,
                "  [#{}], [#{}], [#{}], [#{}],",
                lit(&label),
                lit(&n.to_string()),
                lit(&pct(n, base)),
                report_charts::bar(n, base)
            );
        }
        s.push_str(")\n\n");
    }
    s
}

/// Typesets the report off the async workers.
pub async fn render(src: String, font: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let font = tokio::fs::read(font)
        .await
        .map_err(|e| anyhow::anyhow!("PDF font {}: {e}", font.display()))?;
    tokio::task::spawn_blocking(move || kyodo_pdf::render(src, vec![font]))
        .await?
        .map_err(anyhow::Error::msg)
}
