//! Files attached to progress reports: upload by the item's writers, download by anyone once the
//! report version they belong to is published.

use crate::error::{AppError, AppResult};
use crate::plans::reports;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use crate::web::notice::see_other;
use crate::web::pages::plans::reports::{editor, load};
use axum::extract::State;
use axum::response::Response;

/// Attaches a file to the report of a period (multipart: csrf, period, file).
pub async fn attach(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    upload: crate::web::extract::Upload,
) -> AppResult<Response> {
    let period = upload.fields.get("period").cloned().unwrap_or_default();
    let l = load(&st, &ctx, id, &period).await?;
    let p = ctx.require_user()?;
    let report = reports::find(&st.app.db, ctx.org_id(), id, l.period.id).await?;
    let mut errs = FieldErrors::default();
    let Some(report) = report else {
        errs.add("file", "attachment.save_first");
        return editor(&st, &ctx, l, None, errs, None).await;
    };
    if upload.too_large {
        errs.add("file", "attachment.too_large");
        return editor(&st, &ctx, l, None, errs, None).await;
    }
    let (name, bytes) = upload.file.unwrap_or_default();
    match crate::plans::attachments::add(&st.app, ctx.org_id(), p.user_id, report.id, &name, &bytes)
        .await
    {
        Ok(_) => Ok(see_other(
            &st,
            &format!("/plans/items/{id}/report?period={}", l.period.id),
            "attachment.added",
        )),
        Err(AppError::Invalid(errs)) => editor(&st, &ctx, l, None, errs, None).await,
        Err(e) => Err(e),
    }
}

/// Downloads an attachment: anyone once published, before that only the item's writers and the HQ.
pub async fn download(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (att, public, node, bytes) =
        crate::plans::attachments::open(&st.app, ctx.org_id(), id).await?;
    if !public {
        let depts = reports::departments_of(&st.app.db, ctx.org_id(), node).await?;
        if !ctx
            .principal
            .as_deref()
            .is_some_and(|p| p.is_staff() && crate::policy::can_write_report(p, &depts))
        {
            return Err(AppError::NotFound);
        }
    }
    Ok(crate::web::download::uploaded(
        bytes,
        &att.content_type,
        att.filename.clone(),
    ))
}
