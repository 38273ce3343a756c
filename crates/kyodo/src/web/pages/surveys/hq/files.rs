//! Files of a survey: the responses as CSV and xlsx (reform HQ; streamed, flat memory) and the
//! results report as a PDF.

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::surveys::{results, store};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::download::{XLSX, download, streamed};
use crate::web::extract::PathId;
use crate::web::pages::portfolio::quadrant_label;
use axum::extract::State;
use axum::response::Response;

/// The responses as CSV (reform HQ): streamed, flat memory.
pub async fn responses_csv(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let form = store::form(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stream = crate::surveys::export::stream_csv(st.app.db.clone(), ctx.org_id(), form);
    Ok(download(
        streamed(stream),
        "text/csv; charset=utf-8",
        format!("survey-{id}-responses.csv"),
    ))
}

/// The responses as an xlsx workbook (reform HQ). Written to a temporary file in constant-memory
/// mode, then streamed; the file is unlinked once open, so nothing is left behind.
pub async fn responses_xlsx(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    use tokio::io::AsyncReadExt;
    let form = store::form(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let path = std::env::temp_dir().join(format!("kyodo-survey-{}.xlsx", crate::db::new_id()));
    let demo = ctx.org.is_demo;
    crate::surveys::export::write_xlsx(st.app.db.clone(), ctx.org_id(), form, path.clone(), demo)
        .await
        .map_err(AppError::Internal)?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let _ = tokio::fs::remove_file(&path).await;
    let stream = futures_util::stream::unfold(file, |mut file| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    Ok(download(
        streamed(stream),
        XLSX,
        format!("survey-{id}-responses.xlsx"),
    ))
}

/// The results report as a PDF with Japanese fonts; 503 when the font is not installed.
pub async fn results_pdf(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    let form = store::form(db, org, id)
        .await?
        .filter(|f| f.survey.status != "draft")
        .ok_or(AppError::NotFound)?;
    if !st.app.config.pdf_font.exists() {
        return Err(AppError::Unavailable(format!(
            "PDF font missing: {}",
            st.app.config.pdf_font.display()
        )));
    }
    let (tally, codes) = tokio::try_join!(results::tally(db, org, id), codes::all(db, org))?;
    let items = results::portfolio(&form, &tally);
    let quadrant = |c: &str| quadrant_label(&codes, c, t);
    let src = crate::surveys::report_pdf::source(&form, &tally, &items, &quadrant);
    let body = crate::surveys::report_pdf::render(src, &st.app.config.pdf_font).await?;
    Ok(download(
        body,
        "application/pdf",
        format!("survey-{id}-results.pdf"),
    ))
}
