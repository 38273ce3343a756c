//! One evaluation sheet as a file in the familiar one-page layout: xlsx (fit to one A4 page) and
//! PDF source (typst), from the same view as the pages (`sheet_view`).

use super::sheet_view::SheetView;
use crate::i18n::Tr;
use kyodo_pdf::string as lit;
use rust_xlsxwriter::{Format, Workbook};
use std::fmt::Write;

/// A sheet ready to be laid out: its title, the facts above the table, the view, the demo flag.
pub struct SheetFile {
    pub title: String,
    pub facts: Vec<(String, String)>,
    pub v: SheetView,
    pub is_demo: bool,
}

pub fn xlsx(t: Tr, f: &SheetFile) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    if f.is_demo {
        crate::plans::exchange::export::add_demo_sheet(&mut wb)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("評価シート")?;
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 1);
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_background_color("#E8F0FE")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let cell = Format::new()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    ws.set_column_width(0, 22)?;
    for c in 1..6 {
        ws.set_column_width(c, 16)?;
    }
    let mut r = 0u32;
    ws.write_string_with_format(r, 0, &f.title, &Format::new().set_bold().set_font_size(14))?;
    r += 2;
    for (k, v) in &f.facts {
        ws.write_string_with_format(r, 0, k, &head)?;
        ws.merge_range(r, 1, r, 5, v, &cell)?;
        r += 1;
    }
    let mut table = |r: &mut u32,
                     caption: &str,
                     header: Vec<String>,
                     rows: Vec<Vec<String>>|
     -> Result<(), rust_xlsxwriter::XlsxError> {
        *r += 1;
        ws.write_string_with_format(*r, 0, caption, &bold)?;
        *r += 1;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(*r, c as u16, h, &head)?;
        }
        for row in rows {
            *r += 1;
            for (c, v) in row.iter().enumerate() {
                match v.replace(',', "").parse::<f64>() {
                    Ok(n) if c > 0 => ws.write_number_with_format(*r, c as u16, n, &cell)?,
                    _ => ws.write_string_with_format(*r, c as u16, v, &cell)?,
                };
            }
        }
        *r += 1;
        Ok(())
    };
    let v = &f.v;
    let mut h = vec![t.t("eval.item").to_string()];
    h.extend(v.headings.iter().cloned());
    table(
        &mut r,
        &format!(
            "{} ({})",
            t.t("eval.costs_title"),
            t.t("eval.unit_thousand_yen")
        ),
        h,
        v.cost_rows
            .iter()
            .map(|(l, cells, _)| {
                std::iter::once(l.clone())
                    .chain(cells.iter().cloned())
                    .collect()
            })
            .collect(),
    )?;
    let ind_head = [
        "eval.ind_kind",
        "eval.ind_name",
        "eval.ind_unit",
        "eval.target",
        "eval.actual",
        "eval.achievement",
    ]
    .iter()
    .map(|k| t.t(k).to_string())
    .collect();
    table(
        &mut r,
        t.t("eval.indicators_title"),
        ind_head,
        v.indicators.iter().map(|i| i.to_vec()).collect(),
    )?;
    let score_head = ["eval.criterion", "eval.score", "eval.reason"]
        .iter()
        .map(|k| t.t(k).to_string())
        .collect();
    table(
        &mut r,
        t.t("eval.self_evaluation"),
        score_head,
        v.scores
            .iter()
            .map(|(a, b, c)| vec![a.clone(), b.clone(), c.clone()])
            .collect(),
    )?;
    let verdict_head = [
        "eval.stage",
        "eval.operator",
        "eval.direction",
        "eval.reason",
        "eval.improvement",
    ]
    .iter()
    .map(|k| t.t(k).to_string())
    .collect();
    table(
        &mut r,
        t.t("eval.verdicts_title"),
        verdict_head,
        verdict_rows(t, v),
    )?;
    wb.save_to_buffer()
}

fn verdict_rows(t: Tr, v: &SheetView) -> Vec<Vec<String>> {
    v.verdicts
        .iter()
        .map(|(stage, x)| match x {
            Some(x) => vec![
                stage.clone(),
                x.operator.clone(),
                x.direction.clone(),
                x.reason.clone(),
                x.improvement.clone(),
            ],
            None => vec![
                stage.clone(),
                t.t("eval.not_yet").to_string(),
                String::new(),
                String::new(),
                String::new(),
            ],
        })
        .collect()
}

/// Typst source of the one-page sheet; every text is a string literal, never markup.
pub fn typst(t: Tr, f: &SheetFile) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "#set document(title: {})", lit(&f.title));
    s.push_str("#set page(paper: \"a4\", margin: (x: 12mm, y: 11mm))\n#set text(font: \"IPAexGothic\", size: 7.5pt, lang: \"ja\")\n#set par(leading: 0.5em)\n#set table(inset: 3pt, stroke: 0.4pt)\n");
    let _ = writeln!(
        s,
        "#text(size: 12pt, weight: \"bold\")[#{}]\n",
        lit(&f.title)
    );
    if f.is_demo {
        let _ = writeln!(s, "#text(fill: red)[#{}]\n", lit(t.t("eval.demo_banner")));
    }
    let table = |s: &mut String, caption: &str, cols: &str, rows: Vec<Vec<String>>| {
        let _ = writeln!(s, "#text(weight: \"bold\")[#{}]", lit(caption));
        let _ = writeln!(s, "#table(columns: {cols},");
        for row in rows {
            let cells: Vec<String> = row.iter().map(|c| format!("[#{}]", lit(c))).collect();
            let _ = writeln!(s, "  {},", cells.join(", "));
        }
        s.push_str(")\n");
    };
    table(
        &mut s,
        t.t("eval.sheet_title"),
        "(26mm, 1fr)",
        f.facts
            .iter()
            .map(|(k, v)| vec![k.clone(), v.clone()])
            .collect(),
    );
    let v = &f.v;
    let mut rows = vec![
        std::iter::once(t.t("eval.item").to_string())
            .chain(v.headings.iter().cloned())
            .collect::<Vec<_>>(),
    ];
    rows.extend(v.cost_rows.iter().map(|(l, cells, _)| {
        std::iter::once(l.clone())
            .chain(cells.iter().cloned())
            .collect()
    }));
    table(
        &mut s,
        &format!(
            "{} ({})",
            t.t("eval.costs_title"),
            t.t("eval.unit_thousand_yen")
        ),
        "(26mm, 1fr, 1fr, 1fr, 1fr)",
        rows,
    );
    let _ = writeln!(
        s,
        "#{}\n",
        lit(&format!(
            "{}: {}",
            t.t("eval.cost_per_unit"),
            v.cost_per_unit
        ))
    );
    let mut rows = vec![
        [
            "eval.ind_kind",
            "eval.ind_name",
            "eval.ind_unit",
            "eval.target",
            "eval.actual",
            "eval.achievement",
        ]
        .iter()
        .map(|k| t.t(k).to_string())
        .collect::<Vec<_>>(),
    ];
    rows.extend(v.indicators.iter().map(|i| i.to_vec()));
    table(
        &mut s,
        t.t("eval.indicators_title"),
        "(auto, 1fr, auto, auto, auto, auto)",
        rows,
    );
    let mut rows = vec![
        ["eval.criterion", "eval.score", "eval.reason"]
            .iter()
            .map(|k| t.t(k).to_string())
            .collect::<Vec<_>>(),
    ];
    rows.extend(
        v.scores
            .iter()
            .map(|(a, b, c)| vec![a.clone(), b.clone(), c.clone()]),
    );
    table(
        &mut s,
        t.t("eval.self_evaluation"),
        "(auto, auto, 1fr)",
        rows,
    );
    let mut rows = vec![
        [
            "eval.stage",
            "eval.operator",
            "eval.direction",
            "eval.reason",
            "eval.improvement",
        ]
        .iter()
        .map(|k| t.t(k).to_string())
        .collect::<Vec<_>>(),
    ];
    rows.extend(verdict_rows(t, v));
    table(
        &mut s,
        t.t("eval.verdicts_title"),
        "(auto, auto, auto, 1fr, 1fr)",
        rows,
    );
    s
}
