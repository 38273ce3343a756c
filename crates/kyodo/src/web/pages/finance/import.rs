//! The HQ's imports of finance files (CSV or xlsx), one page each: the four statements, an outlook
//! table and a bidding-results list (a budget file, whose layouts vary, has its column mapping in
//! `budget_import.rs`). Each file is read by its
//! reader in `kyodo_decode::finance`, which checks every row, total and identity first and
//! reports each problem by line; nothing is written unless the whole file is consistent, and what
//! is imported again (the same edition, set, outlook or case) replaces what was stored.

use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::finance::bids::{file as bids_file, store as bids_store};
use crate::finance::outlook::{file as outlook_file, store as outlook_store};
use crate::finance::statements::{file as statement_file, store as statement_store};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::Upload;
use crate::web::notice::{see_other, see_other_counted};
use crate::web::pages::line_import::{self, Spec};
use crate::web::uploads;
use axum::extract::State;
use axum::response::Response;
use kyodo_decode::sheet::Sheet;

const STATEMENTS: Spec = Spec {
    title_key: "fst.import_title",
    lead_key: "fst.import_lead",
    hint_key: "fin.import_hint",
    action: "/hq/finance/statements/import",
    link: ("/finance/statements", "fst.title", false),
};

const OUTLOOK: Spec = Spec {
    title_key: "outlook.import_title",
    lead_key: "outlook.import_lead",
    hint_key: "fin.import_hint",
    action: "/hq/finance/outlook/import",
    link: ("/finance/outlook", "outlook.title", false),
};

const BIDS: Spec = Spec {
    title_key: "bids.import_title",
    lead_key: "bids.import_lead",
    hint_key: "fin.import_hint",
    action: "/hq/finance/bids/import",
    link: ("/finance/bids", "bids.title", false),
};

/// The uploaded file's first sheet, or the page saying why the file could not be read.
async fn sheet_of(
    st: &WebState,
    ctx: &Ctx,
    spec: &Spec,
    upload: &mut Upload,
) -> AppResult<Result<Sheet, Response>> {
    let refuse = |e| line_import::page(ctx, spec, Some(e), Vec::new()).map(Err);
    let (name, bytes) = match uploads::file_of(upload) {
        Ok(f) => f,
        Err(e) => return refuse(e),
    };
    match st.imports.read(ctx.org_id(), &name, bytes, "finance").await {
        Ok(sheets) => match sheets.into_iter().next() {
            Some(sheet) => Ok(Ok(sheet)),
            None => refuse("import.no_file"),
        },
        Err(e) => refuse(e),
    }
}

/// Reads the upload with `read` and, if it is consistent, writes it with `write`; else the page
/// with every problem by line.
macro_rules! import {
    ($st:ident, $ctx:ident, $upload:ident, $spec:expr, $read:path, |$user:ident, $parsed:ident| $write:expr) => {{
        let $user = Actor::user($ctx.require_user()?.user_id);
        let sheet = match sheet_of(&$st, &$ctx, &$spec, &mut $upload).await? {
            Ok(s) => s,
            Err(page) => return Ok(page),
        };
        let $parsed = match $read(&sheet) {
            Ok(p) => p,
            Err(problems) => return line_import::page(&$ctx, &$spec, None, problems),
        };
        $write.await.map_err(AppError::Internal)?
    }};
}

pub async fn statements_form(ctx: Ctx) -> AppResult<Response> {
    line_import::page(&ctx, &STATEMENTS, None, Vec::new())
}

pub async fn statements(
    State(st): State<WebState>,
    ctx: Ctx,
    mut upload: Upload,
) -> AppResult<Response> {
    let lines = import!(
        st,
        ctx,
        upload,
        STATEMENTS,
        statement_file::read,
        |user, sets| { statement_store::write(&st.app, ctx.org_id(), &user, &sets, false) }
    );
    Ok(see_other_counted(
        &st,
        "/finance/statements",
        "fin.imported",
        lines,
    ))
}

pub async fn outlook_form(ctx: Ctx) -> AppResult<Response> {
    line_import::page(&ctx, &OUTLOOK, None, Vec::new())
}

pub async fn outlook(
    State(st): State<WebState>,
    ctx: Ctx,
    mut upload: Upload,
) -> AppResult<Response> {
    let id = import!(
        st,
        ctx,
        upload,
        OUTLOOK,
        outlook_file::read,
        |user, outlook| { outlook_store::write(&st.app, ctx.org_id(), &user, &outlook, false) }
    );
    Ok(see_other(
        &st,
        &format!("/finance/outlook?edition={id}"),
        "outlook.imported",
    ))
}

pub async fn bids_form(ctx: Ctx) -> AppResult<Response> {
    line_import::page(&ctx, &BIDS, None, Vec::new())
}

pub async fn bids(State(st): State<WebState>, ctx: Ctx, mut upload: Upload) -> AppResult<Response> {
    let n = import!(st, ctx, upload, BIDS, bids_file::read, |user, bids| {
        bids_store::write(&st.app, ctx.org_id(), &user, &bids, false)
    });
    Ok(see_other_counted(&st, "/finance/bids", "bids.imported", n))
}
