//! One evaluation sheet as a file in the familiar one-page layout: xlsx (fit to one A4 page) and
//! PDF (typst). Built from the same view as the pages, with public reads only (no contact names or
//! phones). Published years for everyone; unpublished ones for city staff and committee members.

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::costs;
use crate::evaluation::stages;
use crate::evaluation::store::{self, Scope, SheetData};
use crate::evaluation::year::department_name;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::download::{XLSX, download};
use crate::web::extract::PathId;
use crate::web::format::fy;
use crate::web::pages::evaluation::sheet::view::{self, SheetView};
use kyodo_pdf::string as lit;
use rust_xlsxwriter::{Format, Workbook};
use std::fmt::Write;

struct SheetFile {
    title: String,
    facts: Vec<(String, String)>,
    v: SheetView,
    is_demo: bool,
}

async fn load(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<SheetFile> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    let sheet = store::sheet(db, org, id).await?.ok_or(AppError::NotFound)?;
    let cycle = store::cycle(db, org, sheet.cycle_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Before publication: city staff, and committee members for the sheets chosen for them.
    let insider = ctx.principal.as_ref().is_some_and(|p| {
        p.is_staff() || stages::may_decide(p, "external", cycle.committee_id) && sheet.external != 0
    });
    if cycle.published == 0 && !insider {
        return Err(AppError::NotFound);
    }
    let p = store::programme(db, org, sheet.programme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut data = SheetData::load(db, org, Scope::Programme(p.id), true).await?;
    data.sheets.retain(|s| s.id == id);
    let public = data.sheets.first().cloned().ok_or(AppError::NotFound)?;
    let all_codes = codes::all(db, org).await?;
    let units = store::unit_costs(db, org).await?;
    let (inds, values) = store::indicators(db, org, "programme", Some(p.id)).await?;
    let nodes = store::policy_nodes(db, org).await?;
    let depts = crate::accounts::departments::list(db, org).await?;
    let cols = costs::columns(
        cycle.fiscal_year,
        &data.costs_of(id),
        &data.staffing_of(id),
        &units,
    );
    let v = view::build(
        t,
        cycle.fiscal_year,
        &public,
        &data,
        &cols,
        &inds,
        &values,
        &all_codes,
    );
    let node = p
        .policy_node_id
        .and_then(|n| nodes.iter().find(|x| x.id == n));
    let label = |list: &str, c: &str| codes::label(&all_codes, list, c, t.lang).to_string();
    let facts = vec![
        (t.t("eval.code").to_string(), p.code.clone()),
        (t.t("eval.programme").to_string(), p.name.clone()),
        (
            t.t("eval.department").to_string(),
            department_name(&depts, p.department_id, t.lang),
        ),
        (
            t.t("eval.position").to_string(),
            node.map(|n| format!("{} {}", n.number, n.title))
                .unwrap_or_default(),
        ),
        (
            t.t("eval.legal_basis").to_string(),
            if p.legal_basis.is_empty() {
                t.t("eval.none").into()
            } else {
                p.legal_basis.clone()
            },
        ),
        (
            t.t("eval.period").to_string(),
            format!(
                "{}〜{}",
                fy(t, p.first_year),
                p.last_year.map(|y| fy(t, y)).unwrap_or_default()
            ),
        ),
        (
            t.t("eval.method").to_string(),
            label(codes::IMPL_METHOD, &p.method),
        ),
        (
            t.t("eval.type").to_string(),
            label(codes::PROGRAMME_TYPE, &p.kind),
        ),
        (t.t("eval.target_group").to_string(), p.target.clone()),
        (t.t("eval.intent").to_string(), p.intent.clone()),
        (t.t("eval.means").to_string(), p.means.clone()),
        (t.t("eval.issues").to_string(), public.issues.clone()),
    ];
    Ok(SheetFile {
        title: format!(
            "{} {} {} {}",
            fy(t, cycle.fiscal_year),
            t.t("eval.sheet_title"),
            p.code,
            p.name
        ),
        facts,
        v,
        is_demo: p.is_demo != 0,
    })
}

fn xlsx(ctx: &Ctx, f: &SheetFile) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let t = ctx.tr();
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
        verdict_rows(ctx, v),
    )?;
    wb.save_to_buffer()
}

fn verdict_rows(ctx: &Ctx, v: &SheetView) -> Vec<Vec<String>> {
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
                ctx.tr().t("eval.not_yet").to_string(),
                String::new(),
                String::new(),
                String::new(),
            ],
        })
        .collect()
}

/// Typst source of the one-page sheet; every text is a string literal, never markup.
fn typst(ctx: &Ctx, f: &SheetFile) -> String {
    let t = ctx.tr();
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
    rows.extend(verdict_rows(ctx, v));
    table(
        &mut s,
        t.t("eval.verdicts_title"),
        "(auto, auto, auto, 1fr, 1fr)",
        rows,
    );
    s
}

pub async fn sheet_xlsx(
    axum::extract::State(st): axum::extract::State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<axum::response::Response> {
    let f = load(&st, &ctx, id).await?;
    let bytes = xlsx(&ctx, &f).map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(bytes, XLSX, format!("evaluation-sheet-{id}.xlsx")))
}

/// The sheet as a PDF; 503 when the Japanese font is not installed.
pub async fn sheet_pdf(
    axum::extract::State(st): axum::extract::State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<axum::response::Response> {
    let f = load(&st, &ctx, id).await?;
    if !st.app.config.pdf_font.exists() {
        return Err(AppError::Unavailable(format!(
            "PDF font missing: {}",
            st.app.config.pdf_font.display()
        )));
    }
    let body = crate::surveys::report_pdf::render(typst(&ctx, &f), &st.app.config.pdf_font).await?;
    Ok(download(
        body,
        "application/pdf",
        format!("evaluation-sheet-{id}.pdf"),
    ))
}
