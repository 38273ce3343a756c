//! The 公共施設一覧 as open data (CSV in the national recommended layout), and staff's import of
//! it: every row checked first, each problem by line, nothing written unless all are good.

use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::reservations::facilities;
use crate::reservations::facility_list::{self, COLUMNS, Problem};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::Upload;
use crate::web::notice::see_other_counted;
use crate::web::pages::line_import::{self, Spec};
use crate::web::uploads;
use axum::extract::State;
use axum::response::Response;

/// Every facility as one row of the 公共施設一覧.
pub async fn export_csv(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let rows = facilities::list(st.reader(&ctx), ctx.org_id())
        .await?
        .iter()
        .enumerate()
        .map(|(i, f)| facility_list::row(&ctx.org.lg_code, &ctx.org.name, i + 1, f))
        .collect();
    crate::web::download::csv_body(
        &COLUMNS,
        rows,
        format!("{}_public_facilities.csv", ctx.org.lg_code),
    )
}

const SPEC: Spec = Spec {
    title_key: "rsv.import_title",
    lead_key: "rsv.import_lead",
    hint_key: "rsv.import_hint",
    action: "/staff/facilities/import",
    link: ("/facilities/public-facilities.csv", "rsv.export_link", true),
};

fn page(ctx: &Ctx, failure: Option<&'static str>, problems: Vec<Problem>) -> AppResult<Response> {
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
    let sheets = match st.imports.read(org, &name, bytes, "facilities").await {
        Ok(s) => s,
        Err(e) => return page(&ctx, Some(e), Vec::new()),
    };
    let Some(sheet) = sheets.first() else {
        return page(&ctx, Some("import.no_file"), Vec::new());
    };
    let rows = match facility_list::plan(sheet) {
        Ok(rows) => rows,
        Err(problems) => return page(&ctx, None, problems),
    };
    let (added, updated) = facility_list::apply(&st.app, org, &Actor::user(user), &rows)
        .await
        .map_err(AppError::Internal)?;
    Ok(see_other_counted(
        &st,
        "/facilities",
        "rsv.imported",
        added + updated,
    ))
}
