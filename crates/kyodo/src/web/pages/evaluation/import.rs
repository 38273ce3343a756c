//! The HQ's import of a year's sheets from the city's own workbook, in steps on one page: upload
//! once (the file is kept, `import_files`); Kyodo picks the sheet and the header row (title rows
//! above it are skipped) and maps the columns by the saved mapping; the officer corrects any of
//! it with choices taken from the sheet itself, translates the city's words into code lists, sees
//! every problem and a preview (programmes new and matched, totals per year), and applies — all
//! in one transaction, with a report of what was done.

use super::import_page::{self, Choices};
use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::evaluation::exchange::import::{self, HOURS_PER_STAFF_YEAR, Options};
use crate::evaluation::exchange::lookup::Staff;
use crate::evaluation::exchange::sources::Sources;
use crate::evaluation::exchange::{FIELDS, apply, columns, mapping, summary};
use crate::evaluation::store::{self, Cycle};
use crate::import_files;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::download::csv_body;
use crate::web::extract::{FormData, PathId, Upload};
use crate::web::notice::see_other_counted;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// `import_files.purpose` of these uploads.
const PURPOSE: &str = "eval_year";

async fn cycle_of(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<Cycle> {
    store::cycle(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The upload form.
pub async fn form(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let cycle = cycle_of(&st, &ctx, id).await?;
    import_page::upload_form(&ctx, &cycle, None)
}

/// Keeps the uploaded file and goes on to its review.
pub async fn upload(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    mut upload: Upload,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let cycle = cycle_of(&st, &ctx, id).await?;
    let (name, bytes) = match crate::web::uploads::file_of(&mut upload) {
        Ok(f) => f,
        Err(e) => return import_page::upload_form(&ctx, &cycle, Some(e)),
    };
    let org = ctx.org_id();
    // A file that cannot be read is refused at the door, with the limit it hit.
    let sheet = crate::evaluation::exchange::SHEET;
    if let Err(e) = st.imports.read(org, &name, bytes.clone(), sheet).await {
        return import_page::upload_form(&ctx, &cycle, Some(e));
    }
    let file =
        import_files::keep(&st.app.db, org, p.user_id, PURPOSE, cycle.id, &name, &bytes).await?;
    Ok(Redirect::to(&format!("/hq/evaluation/imports/{file}")).into_response())
}

/// The review of a kept upload with the saved mapping and the detected sheet and header row (or,
/// once applied, the report of what was done).
pub async fn review(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let file = import_files::open(&st.app.db, org, PURPOSE, id).await?;
    let mapping = mapping::saved(&st.app.db, org).await?;
    run(&st, &ctx, file, mapping, None, false).await
}

/// Re-reads the upload with the officer's choices; applies it when asked and nothing blocks.
pub async fn check(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(form): FormData<HashMap<String, String>>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    // An unknown upload is refused before anything is saved.
    let file = import_files::open(&st.app.db, org, PURPOSE, id).await?;
    let mut mapping = mapping::saved(&st.app.db, org).await?;
    let get = |k: &str| form.get(k).map(|v| v.trim()).unwrap_or("");
    for (f, _, _) in FIELDS {
        if let Some(h) = form.get(&format!("map_{f}")) {
            mapping
                .headers
                .insert(f.to_string(), h.trim().chars().take(200).collect());
        }
    }
    // The translation table: tw_<field>_<n> is the city's word, tc_<field>_<n> the chosen code.
    for (k, word) in &form {
        let Some(rest) = k.strip_prefix("tw_") else {
            continue;
        };
        let Some((field, _)) = rest.split_once('_') else {
            continue;
        };
        if !matches!(field, "direction" | "method") {
            continue;
        }
        let code = get(&format!("tc_{rest}"));
        let table = mapping.translations.entry(field.to_string()).or_default();
        let word = crate::evaluation::exchange::normalize(word);
        if code.is_empty() {
            table.remove(&word);
        } else {
            table.insert(word, code.chars().take(40).collect());
        }
    }
    mapping::save(&st.app.db, org, &mapping).await?;
    let choices = Choices {
        sheet: get("sheet").to_string(),
        // A header row typed for another sheet means nothing in this one.
        header_row: (get("sheet") == get("shown_sheet"))
            .then(|| positive(get("header_row")).map(|r| r as usize))
            .flatten(),
        options: Options {
            round: get("round") == "1",
            staff: Staff::parse(get("staff_basis")),
            head_factor: positive(get("head_factor")).unwrap_or(1.0),
            hours_per_year: positive(get("hours_per_year")).unwrap_or(HOURS_PER_STAFF_YEAR),
        },
        accept_flagged: get("accept_flagged") == "1",
    };
    if get("action") == "add_departments" {
        let names: Vec<String> = (0..500)
            .map_while(|n| form.get(&format!("nd_{n}")).cloned())
            .collect();
        let p = ctx.require_user()?;
        crate::accounts::departments::add_named(&st.app, org, &Actor::user(p.user_id), &names)
            .await?;
    }
    if get("action") == "add_policies" {
        let pairs: Vec<(String, String)> = (0..500)
            .map_while(|n| {
                let area = form.get(&format!("np_{n}_a"))?;
                let measure = form.get(&format!("np_{n}_m"))?;
                Some((area.clone(), measure.clone()))
            })
            .collect();
        let p = ctx.require_user()?;
        let cycle = cycle_of(&st, &ctx, file.target_id).await?;
        let actor = Actor::user(p.user_id);
        crate::evaluation::policy_tree::add_from_sheet(
            &st.app,
            org,
            &actor,
            cycle.fiscal_year,
            &pairs,
        )
        .await?;
    }
    let apply = get("action") == "apply";
    run(&st, &ctx, file, mapping, Some(choices), apply).await
}

/// A positive number as typed (full-width digits too), or nothing.
fn positive(raw: &str) -> Option<f64> {
    kyodo_jp::numbers::parse_decimal(raw)
        .ok()
        .flatten()
        .filter(|v| *v > 0.0 && *v <= 100_000.0)
}

/// Reads the kept file with the mapping and choices; renders the review, or applies and
/// redirects to the report.
async fn run(
    st: &WebState,
    ctx: &Ctx,
    mut file: import_files::ImportFile,
    mapping: mapping::Mapping,
    choices: Option<Choices>,
    apply_now: bool,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let db = &st.app.db;
    let cycle = cycle_of(st, ctx, file.target_id).await?;
    if let Some(json) = &file.report_json {
        return import_page::report_page(ctx, &cycle, &file, &summary::report(json));
    }
    let sheets = match st
        .imports
        .read(
            org,
            &file.file_name,
            std::mem::take(&mut file.content),
            crate::evaluation::exchange::SHEET,
        )
        .await
    {
        Ok(s) => s,
        Err(e) => return import_page::upload_form(ctx, &cycle, Some(e)),
    };
    let sources = Sources::load(db, org, cycle.clone()).await?;
    let l = sources.lookup();
    let (auto_sheet, auto_row) = columns::detect(&sheets, &mapping, &l);
    let choices = choices.unwrap_or_default();
    let sheet_at = sheets
        .iter()
        .position(|s| s.name == choices.sheet)
        .unwrap_or(auto_sheet);
    let Some(sheet) = sheets.get(sheet_at) else {
        return import_page::upload_form(ctx, &cycle, Some("import.no_file"));
    };
    // The header row as typed (1-based), else the detected one of the sheet.
    let header_row = match choices.header_row {
        Some(r) if (1..=sheet.rows.len()).contains(&r) => r - 1,
        _ if sheet_at == auto_sheet => auto_row,
        _ => columns::detect(std::slice::from_ref(sheet), &mapping, &l).1,
    };
    let parsed = import::parse(sheet, header_row, &mapping, choices.options, &l);
    if apply_now && import::can_apply(&parsed.problems, choices.accept_flagged) {
        let p = ctx.require_user()?;
        let write = |is_new: &[bool]| summary::report_json(&parsed.rows, is_new, &l);
        let done = apply::apply(
            &st.app,
            org,
            &Actor::user(p.user_id),
            &cycle,
            &parsed.rows,
            Some((file.id, &write)),
        )
        .await?;
        let to = format!("/hq/evaluation/imports/{}", file.id);
        return Ok(see_other_counted(st, &to, "eval.imported", done.len()));
    }
    let preview = summary::summary(&parsed.rows, &l, &sources.with_figures);
    import_page::review_page(
        ctx,
        import_page::Review {
            cycle: &cycle,
            file: &file,
            sheets: &sheets,
            sheet_at,
            header_row,
            mapping: &mapping,
            choices: &choices,
            parsed: &parsed,
            preview: &preview,
            codes: &sources.codes,
            tried_to_apply: apply_now,
        },
    )
}

/// What an applied import did, as CSV (one row per programme).
pub async fn report_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let file = import_files::open(&st.app.db, ctx.org_id(), PURPOSE, id).await?;
    let done = summary::report(file.report_json.as_deref().ok_or(AppError::NotFound)?);
    let t = ctx.tr();
    let header = [
        "import.row",
        "eval.code",
        "eval.programme",
        "eval.import_outcome",
        "eval.total_cost",
    ]
    .map(|k| t.t(k).to_string());
    let rows = done
        .iter()
        .map(|d| {
            vec![
                d.line.to_string(),
                d.code.clone(),
                d.name.clone(),
                t.t(if d.new {
                    "eval.import_outcome_new"
                } else {
                    "eval.import_outcome_updated"
                })
                .to_string(),
                d.total.to_string(),
            ]
        })
        .collect();
    csv_body(&header, rows, format!("evaluation-import-{id}.csv"))
}
