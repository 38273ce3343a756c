//! The pages of the evaluation import (`import.rs` runs the steps): the upload form, the review
//! (sheet and header row, column mapping, year blocks, translation table, options, problems and
//! preview) and the report of an applied import.

use crate::codes::{self, Code};
use crate::error::AppResult;
use crate::evaluation::exchange::import::{Options, Parsed, Problem};
use crate::evaluation::exchange::lookup::Staff;
use crate::evaluation::exchange::mapping::Mapping;
use crate::evaluation::exchange::summary::{Done, Summary};
use crate::evaluation::exchange::{FIELDS, columns, normalize};
use crate::evaluation::store::Cycle;
use crate::import_files::ImportFile;
use crate::plans::exchange::sheet::{Sheet, column_letter};
use crate::web::ctx::Ctx;
use crate::web::format::fy;
use crate::web::shell::{Shell, render};
use crate::web::uploads;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What the officer chose on the review page for this upload.
#[derive(Default)]
pub struct Choices {
    pub sheet: String,
    /// 1-based, as Excel numbers rows.
    pub header_row: Option<usize>,
    pub options: Options,
    pub accept_flagged: bool,
}

#[derive(Template)]
#[template(path = "evaluation/import.html")]
struct UploadPage<'a> {
    s: Shell<'a>,
    cycle: &'a Cycle,
    year_label: String,
    file_hint: String,
    failure: Option<String>,
}

pub fn upload_form(ctx: &Ctx, cycle: &Cycle, failure: Option<&'static str>) -> AppResult<Response> {
    let t = ctx.tr();
    let status = if failure.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = UploadPage {
        s: Shell::new(ctx, "eval.import_title"),
        cycle,
        year_label: fy(t, cycle.fiscal_year),
        file_hint: uploads::file_hint(t, "eval.import_file_hint"),
        failure: failure.map(|k| uploads::refusal(t, k)),
    };
    Ok((status, render(&page)?).into_response())
}

/// One field of the mapping: (field, label, required, options as (header, label, selected)).
type FieldChoice = (String, String, bool, Vec<(String, String, bool)>);
/// One word of the translation table: (field, n, word, options as (code, label, selected)).
type WordChoice = (String, usize, String, Vec<(String, String, bool)>);

#[derive(Template)]
#[template(path = "evaluation/import_review.html")]
struct ReviewPage<'a> {
    s: Shell<'a>,
    cycle: &'a Cycle,
    year_label: String,
    file_id: i64,
    file_name: String,
    sheets: Vec<(String, bool)>,
    sheet_name: String,
    header_row: usize,
    header_text: String,
    fields: Vec<FieldChoice>,
    blocks: Vec<(String, String)>,
    words: Vec<(String, Vec<WordChoice>)>,
    round: bool,
    accept: bool,
    /// (basis, label, selected) of the staff bases the sheet has, when it has several.
    bases: Vec<(String, String, bool)>,
    head_factor: String,
    hours_per_year: String,
    rounding_text: Option<String>,
    preview: Vec<(String, String)>,
    totals: Vec<(String, String, String, usize)>,
    /// (year, sheets created, columns filled, columns kept, of them differing) per earlier year.
    history: Vec<(String, usize, usize, usize, usize)>,
    problems: &'a [Problem],
    counts_text: String,
    unknown_departments: Vec<String>,
    /// (政策, 施策) the plan lacks.
    new_policies: Vec<(String, String)>,
}

pub struct Review<'a> {
    pub cycle: &'a Cycle,
    pub file: &'a ImportFile,
    pub sheets: &'a [Sheet],
    pub sheet_at: usize,
    pub header_row: usize,
    pub mapping: &'a Mapping,
    pub choices: &'a Choices,
    pub parsed: &'a Parsed,
    pub preview: &'a Summary,
    pub codes: &'a [Code],
    /// The officer pressed 取り込む and something blocks it.
    pub tried_to_apply: bool,
}

pub fn review_page(ctx: &Ctx, r: Review<'_>) -> AppResult<Response> {
    let t = ctx.tr();
    let sheet = &r.sheets[r.sheet_at];
    let header = columns::header_of(sheet, r.header_row, r.cycle.fiscal_year, r.codes);
    let header: &[String] = &header;
    let fields = FIELDS
        .iter()
        .map(|(f, _, required)| {
            let wanted = normalize(r.mapping.header(f));
            let mut found = false;
            let options = header
                .iter()
                .enumerate()
                .filter(|(_, h)| !h.trim().is_empty())
                .map(|(c, h)| {
                    // The first matching column is the one read.
                    let selected = !found && !wanted.is_empty() && normalize(h) == wanted;
                    found |= selected;
                    (h.clone(), format!("{} {}", column_letter(c), h), selected)
                })
                .collect();
            (
                f.to_string(),
                t.t(&format!("eval.field_{f}")).to_string(),
                *required,
                options,
            )
        })
        .collect();
    let l_codes = r.codes;
    let label = |list: &str, code: &str| codes::label(l_codes, list, code, t.lang).to_string();
    let blocks = columns_described(header, &r, t);
    let words = ["direction", "method"]
        .iter()
        .filter_map(|f| {
            let list = if *f == "method" {
                codes::IMPL_METHOD
            } else {
                codes::EVAL_DIRECTION
            };
            let words = r.parsed.words.get(f)?;
            let rows = words
                .iter()
                .enumerate()
                .map(|(n, w)| {
                    let (code, _) =
                        crate::evaluation::exchange::cells::code_for(r.codes, r.mapping, f, w);
                    let options = codes::of_list(r.codes, list)
                        .map(|c| {
                            let selected = code.as_deref() == Some(c.code.as_str());
                            (c.code.clone(), label(list, &c.code), selected)
                        })
                        .collect();
                    (f.to_string(), n, w.clone(), options)
                })
                .collect();
            Some((t.t(&format!("eval.field_{f}")).to_string(), rows))
        })
        .collect();
    let errors = r.parsed.problems.iter().filter(|p| !p.flag).count();
    let flags = r.parsed.problems.len() - errors;
    let p = r.preview;
    let page = ReviewPage {
        s: Shell::new(ctx, "eval.import_review_title"),
        cycle: r.cycle,
        year_label: fy(t, r.cycle.fiscal_year),
        file_id: r.file.id,
        file_name: r.file.file_name.clone(),
        sheets: r
            .sheets
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), i == r.sheet_at))
            .collect(),
        sheet_name: sheet.name.clone(),
        header_row: r.header_row + 1,
        header_text: t.f(
            "eval.import_header_found",
            &[
                &sheet.name,
                &(r.header_row + 1),
                &header.iter().filter(|h| !h.is_empty()).count(),
            ],
        ),
        fields,
        blocks,
        words,
        bases: {
            let found = columns::staff_bases(header, r.cycle.fiscal_year, r.codes);
            let basis = columns::staff_basis(
                header,
                r.choices.options.staff,
                r.cycle.fiscal_year,
                r.codes,
            );
            if found.len() > 1 {
                found
                    .into_iter()
                    .map(|b| {
                        (
                            b.as_str().to_string(),
                            t.t(staff_key(b)).to_string(),
                            b == basis,
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            }
        },
        head_factor: r.choices.options.head_factor.to_string(),
        hours_per_year: r.choices.options.hours_per_year.to_string(),
        round: r.choices.options.round,
        accept: r.choices.accept_flagged,
        rounding_text: (r.parsed.rounded > 0).then(|| {
            t.f(
                "eval.import_rounded",
                &[
                    &r.parsed.rounded,
                    &format!("{:.3}", r.parsed.largest_rounding),
                ],
            )
        }),
        preview: vec![
            (t.t("eval.import_new").to_string(), p.new.to_string()),
            (
                t.t("eval.import_matched").to_string(),
                p.matched.to_string(),
            ),
            (
                t.t("eval.import_replaced").to_string(),
                p.replaced.to_string(),
            ),
        ],
        totals: p
            .totals
            .iter()
            .map(|((year, settled), (total, n))| {
                (
                    fy(t, *year),
                    t.t(if *settled {
                        "eval.trend_settled"
                    } else {
                        "eval.trend_budget"
                    })
                    .to_string(),
                    crate::charts::fmt_num(*total as f64),
                    *n,
                )
            })
            .collect(),
        history: p
            .history
            .iter()
            .map(|(y, h)| (fy(t, *y), h.new_sheets, h.filled, h.kept, h.differing))
            .collect(),
        problems: &r.parsed.problems,
        counts_text: t.f("eval.import_counts", &[&errors, &flags]),
        unknown_departments: r.parsed.unknown_departments.iter().cloned().collect(),
        new_policies: r.parsed.new_policies.iter().cloned().collect(),
    };
    let status = if r.tried_to_apply {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}

/// Each year block of the header as (column, meaning): 「K(令和6年度決算 一般財源)」→ 「令和6年度 決算 一般財源」.
fn columns_described(
    header: &[String],
    r: &Review<'_>,
    t: crate::i18n::Tr,
) -> Vec<(String, String)> {
    let (year, all) = (r.cycle.fiscal_year, r.codes);
    let basis = columns::staff_basis(header, r.choices.options.staff, year, all);
    columns::year_blocks(header, year, all)
        .into_iter()
        .map(|(c, slot, staff, code)| {
            let kind = t.t(if slot.settled() {
                "eval.trend_settled"
            } else {
                "eval.trend_budget"
            });
            let category = codes::label(r.codes, codes::STAFF_CATEGORY, &code, t.lang);
            let what = match staff {
                None => codes::label(r.codes, codes::FUNDING_SOURCE, &code, t.lang).to_string(),
                Some(b) => {
                    let name = format!("{} {category}", t.t(staff_key(b)));
                    if b == basis {
                        name
                    } else {
                        t.f("eval.import_not_read", &[&name])
                    }
                }
            };
            let mut meaning = format!("{} {kind} {what}", fy(t, slot.money_year()));
            if slot.year != year {
                meaning.push_str(&t.f("eval.import_history_block", &[&fy(t, slot.year)]));
            }
            (columns::name(header, c), meaning)
        })
        .collect()
}

/// The catalogue key naming a staff basis.
fn staff_key(b: Staff) -> &'static str {
    match b {
        Staff::Years => "eval.staff_years",
        Staff::Personnel => "eval.staff_personnel",
        Staff::Heads => "eval.staff_heads",
        Staff::Hours => "eval.staff_hours",
    }
}

#[derive(Template)]
#[template(path = "evaluation/import_report.html")]
struct ReportPage<'a> {
    s: Shell<'a>,
    cycle: &'a Cycle,
    year_label: String,
    file_id: i64,
    file_name: String,
    counts_text: String,
    rows: Vec<(usize, String, String, String, String)>,
}

pub fn report_page(
    ctx: &Ctx,
    cycle: &Cycle,
    file: &ImportFile,
    done: &[Done],
) -> AppResult<Response> {
    let t = ctx.tr();
    let new = done.iter().filter(|d| d.new).count();
    let page = ReportPage {
        s: Shell::new(ctx, "eval.import_report_title"),
        cycle,
        year_label: fy(t, cycle.fiscal_year),
        file_id: file.id,
        file_name: file.file_name.clone(),
        counts_text: t.f(
            "eval.import_report_counts",
            &[&done.len(), &new, &(done.len() - new)],
        ),
        rows: done
            .iter()
            .map(|d| {
                let outcome = if d.new {
                    "eval.import_outcome_new"
                } else {
                    "eval.import_outcome_updated"
                };
                (
                    d.line,
                    d.code.clone(),
                    d.name.clone(),
                    t.t(outcome).to_string(),
                    crate::charts::fmt_num(d.total as f64),
                )
            })
            .collect(),
    };
    Ok(render(&page)?.into_response())
}
