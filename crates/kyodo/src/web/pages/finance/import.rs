//! The HQ's import of a budget or settlement file (CSV or xlsx): every row checked first — numbers,
//! 歳入/歳出, each 款計 and 項計 against the lines under it, a budget's revenue against its
//! expenditure — each problem by line, nothing written unless the whole file is consistent; an
//! edition imported again replaces the one stored.

use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::finance::bids::{file as bids_file, store as bids_store};
use crate::finance::outlook::{file as outlook_file, store as outlook_store};
use crate::finance::statements::{file as statement_file, store as statement_store};
use crate::finance::{budget_file, store};
use crate::validation::LineProblem;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::Upload;
use crate::web::notice::{see_other, see_other_counted};
use crate::web::pages::line_import::{self, Spec};
use crate::web::uploads;
use axum::extract::State;
use axum::response::Response;

const SPEC: Spec = Spec {
    title_key: "fin.import_title",
    lead_key: "fin.import_lead",
    hint_key: "fin.import_hint",
    action: "/hq/finance/import",
    link: ("/finance", "fin.title", false),
};

fn page(
    ctx: &Ctx,
    failure: Option<&'static str>,
    problems: Vec<LineProblem>,
) -> AppResult<Response> {
    line_import::page(ctx, &SPEC, failure, problems)
}

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    page(&ctx, None, Vec::new())
}

pub async fn import(
    State(st): State<WebState>,
    ctx: Ctx,
    mut upload: Upload,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let org = ctx.org_id();
    let (name, bytes) = match uploads::file_of(&mut upload) {
        Ok(f) => f,
        Err(e) => return page(&ctx, Some(e), Vec::new()),
    };
    let sheets = match st.imports.read(org, &name, bytes, "finance").await {
        Ok(s) => s,
        Err(e) => return page(&ctx, Some(e), Vec::new()),
    };
    let Some(sheet) = sheets.first() else {
        return page(&ctx, Some("import.no_file"), Vec::new());
    };
    let editions = match budget_file::read(sheet) {
        Ok(e) => e,
        Err(problems) => return page(&ctx, None, problems),
    };
    let lines = store::write(&st.app, org, &Actor::user(user), &editions, false)
        .await
        .map_err(AppError::Internal)?;
    Ok(see_other_counted(&st, "/finance", "fin.imported", lines))
}

const STATEMENTS: Spec = Spec {
    title_key: "fst.import_title",
    lead_key: "fst.import_lead",
    hint_key: "fin.import_hint",
    action: "/hq/finance/statements/import",
    link: ("/finance/statements", "fst.title", false),
};

pub async fn statements_form(ctx: Ctx) -> AppResult<Response> {
    line_import::page(&ctx, &STATEMENTS, None, Vec::new())
}

/// The four statements of a year and scope: every cell, total and identity checked first.
pub async fn statements(
    State(st): State<WebState>,
    ctx: Ctx,
    mut upload: Upload,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let org = ctx.org_id();
    let refuse = |e| line_import::page(&ctx, &STATEMENTS, Some(e), Vec::new());
    let (name, bytes) = match uploads::file_of(&mut upload) {
        Ok(f) => f,
        Err(e) => return refuse(e),
    };
    let sheets = match st.imports.read(org, &name, bytes, "finance").await {
        Ok(s) => s,
        Err(e) => return refuse(e),
    };
    let Some(sheet) = sheets.first() else {
        return refuse("import.no_file");
    };
    let sets = match statement_file::read(sheet) {
        Ok(s) => s,
        Err(problems) => return line_import::page(&ctx, &STATEMENTS, None, problems),
    };
    let lines = statement_store::write(&st.app, org, &Actor::user(user), &sets, false)
        .await
        .map_err(AppError::Internal)?;
    Ok(see_other_counted(
        &st,
        "/finance/statements",
        "fin.imported",
        lines,
    ))
}

const OUTLOOK: Spec = Spec {
    title_key: "outlook.import_title",
    lead_key: "outlook.import_lead",
    hint_key: "fin.import_hint",
    action: "/hq/finance/outlook/import",
    link: ("/finance/outlook", "outlook.title", false),
};

pub async fn outlook_form(ctx: Ctx) -> AppResult<Response> {
    line_import::page(&ctx, &OUTLOOK, None, Vec::new())
}

/// An outlook table: every amount, 合計 and 収支差 checked first.
pub async fn outlook(
    State(st): State<WebState>,
    ctx: Ctx,
    mut upload: Upload,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let org = ctx.org_id();
    let refuse = |e| line_import::page(&ctx, &OUTLOOK, Some(e), Vec::new());
    let (name, bytes) = match uploads::file_of(&mut upload) {
        Ok(f) => f,
        Err(e) => return refuse(e),
    };
    let sheets = match st.imports.read(org, &name, bytes, "finance").await {
        Ok(s) => s,
        Err(e) => return refuse(e),
    };
    let Some(sheet) = sheets.first() else {
        return refuse("import.no_file");
    };
    let outlook = match outlook_file::read(sheet) {
        Ok(o) => o,
        Err(problems) => return line_import::page(&ctx, &OUTLOOK, None, problems),
    };
    let id = outlook_store::write(&st.app, org, &Actor::user(user), &outlook, false)
        .await
        .map_err(AppError::Internal)?;
    Ok(see_other(
        &st,
        &format!("/finance/outlook?edition={id}"),
        "outlook.imported",
    ))
}

const BIDS: Spec = Spec {
    title_key: "bids.import_title",
    lead_key: "bids.import_lead",
    hint_key: "fin.import_hint",
    action: "/hq/finance/bids/import",
    link: ("/finance/bids", "bids.title", false),
};

pub async fn bids_form(ctx: Ctx) -> AppResult<Response> {
    line_import::page(&ctx, &BIDS, None, Vec::new())
}

/// A bidding-results list: every row checked first; a tender imported again replaces it.
pub async fn bids(State(st): State<WebState>, ctx: Ctx, mut upload: Upload) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let org = ctx.org_id();
    let refuse = |e| line_import::page(&ctx, &BIDS, Some(e), Vec::new());
    let (name, bytes) = match uploads::file_of(&mut upload) {
        Ok(f) => f,
        Err(e) => return refuse(e),
    };
    let sheets = match st.imports.read(org, &name, bytes, "finance").await {
        Ok(s) => s,
        Err(e) => return refuse(e),
    };
    let Some(sheet) = sheets.first() else {
        return refuse("import.no_file");
    };
    let bids = match bids_file::read(sheet) {
        Ok(b) => b,
        Err(problems) => return line_import::page(&ctx, &BIDS, None, problems),
    };
    let n = bids_store::write(&st.app, org, &Actor::user(user), &bids, false)
        .await
        .map_err(AppError::Internal)?;
    Ok(see_other_counted(&st, "/finance/bids", "bids.imported", n))
}
