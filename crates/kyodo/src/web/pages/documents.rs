//! 関連資料: adding a document to a consultation or a council meeting, removing one, and the
//! download, which follows what the document belongs to (see `files::documents::is_public`).

use crate::error::{AppError, AppResult};
use crate::files::documents::{self, Owner};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, Upload};
use crate::web::notice::see_other;
use axum::extract::State;
use axum::response::Response;

/// The page that manages `owner`'s documents, where one returns after a change.
fn manage_page(owner: Owner) -> String {
    match owner {
        Owner::Consultation(id) => format!("/staff/consultations/{id}#documents-title"),
        Owner::CouncilMeeting(id) => format!("/hq/councils/meetings/{id}#documents-title"),
        Owner::CouncilApplication(_) => "/hq/councils".into(),
        Owner::CaseType(id) => format!("/hq/cases/{id}#documents-title"),
        Owner::Case(id) => format!("/staff/cases/{id}#files-title"),
    }
}

/// That page again with the upload's problems beside its fields.
async fn with_errors(
    st: &WebState,
    ctx: &Ctx,
    owner: Owner,
    errs: FieldErrors,
) -> AppResult<Response> {
    match owner {
        Owner::Consultation(id) => super::participation::work::page(st, ctx, id, None, errs).await,
        Owner::CouncilMeeting(id) => {
            super::councils::meetings::hq_page(st, ctx, id, None, errs).await
        }
        Owner::CaseType(id) => super::cases::hq::page_with_errors(st, ctx, id, errs).await,
        Owner::CouncilApplication(_) | Owner::Case(_) => Err(AppError::NotFound),
    }
}

async fn add(st: &WebState, ctx: &Ctx, owner: Owner, upload: Upload) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    if upload.too_large {
        let mut errs = FieldErrors::default();
        errs.add("document", "attachment.too_large");
        return with_errors(st, ctx, owner, errs).await;
    }
    let title = upload
        .fields
        .get("document_title")
        .cloned()
        .unwrap_or_default();
    let (name, bytes) = upload.file.unwrap_or_default();
    match documents::add(&st.app, ctx.org_id(), user, owner, &title, &name, &bytes).await {
        Ok(_) => Ok(see_other(st, &manage_page(owner), "doc.added")),
        Err(AppError::Invalid(errs)) => with_errors(st, ctx, owner, errs).await,
        Err(e) => Err(e),
    }
}

/// A related document of a consultation (multipart: csrf, document_title, document).
pub async fn add_to_consultation(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    upload: Upload,
) -> AppResult<Response> {
    crate::participation::consultations::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    add(&st, &ctx, Owner::Consultation(id), upload).await
}

/// A document of a council meeting (配布資料).
pub async fn add_to_meeting(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    upload: Upload,
) -> AppResult<Response> {
    crate::councils::meetings::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    add(&st, &ctx, Owner::CouncilMeeting(id), upload).await
}

/// A procedure's form to download (様式: PDF, xlsx …), by the HQ.
pub async fn add_to_case_type(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    upload: Upload,
) -> AppResult<Response> {
    crate::cases::store::case_type(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    add(&st, &ctx, Owner::CaseType(id), upload).await
}

/// Removes a document, for those who may manage documents of its kind.
pub async fn remove(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let d = documents::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = d.owner().ok_or(AppError::NotFound)?;
    if !crate::policy::may_manage_document(p, &d.owner_kind) {
        return Err(AppError::NotFound);
    }
    documents::remove(&st.app, ctx.org_id(), p.user_id, &d).await?;
    Ok(see_other(&st, &manage_page(owner), "doc.removed"))
}

/// Downloads a document: anyone when it is public, otherwise those who manage its kind (others
/// are told it does not exist).
pub async fn download(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let d = documents::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !documents::is_public(&st.app.db, org, &d).await?
        && !ctx
            .principal
            .as_deref()
            .is_some_and(|p| crate::policy::may_manage_document(p, &d.owner_kind))
    {
        return Err(AppError::NotFound);
    }
    let bytes = crate::files::read(&st.app, org, id).await?;
    Ok(crate::web::download::uploaded(
        bytes,
        &d.content_type,
        d.filename,
    ))
}
