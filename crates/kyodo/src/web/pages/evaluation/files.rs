//! Evaluation workbooks: a year's sheets as xlsx (the import layout; public once published — without
//! draft verdicts, as the pages — and the HQ's own copy any time). The import is `import.rs`.

use crate::error::{AppError, AppResult};
use crate::evaluation::exchange::export;
use crate::evaluation::store;
use crate::evaluation::year::YearData;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::download::{XLSX, download};
use crate::web::extract::PathId;
use axum::extract::State;
use axum::response::Response;

/// A year's workbook: published years for everyone, any year for the HQ.
pub async fn year_xlsx(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let hq = ctx.principal.as_ref().is_some_and(|p| p.is_reform_hq());
    let cycle = store::cycle(&st.app.db, ctx.org_id(), id)
        .await?
        .filter(|c| c.published || hq)
        .ok_or(AppError::NotFound)?;
    let y = YearData::load(&st.app.db, ctx.org_id(), cycle, true).await?;
    let bytes =
        export::year_xlsx(&y, !hq, ctx.org.is_demo).map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(
        bytes,
        XLSX,
        format!("evaluation-{}.xlsx", y.cycle.fiscal_year),
    ))
}
