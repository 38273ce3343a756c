//! 添付ファイル on the staff side: a case's file downloaded by staff who may read the case, and a
//! file added by staff who may work it (the submitter sees it on 申請状況の確認). The submitter's
//! own download is a step of the look-up (`status::file`): it needs the number and key.

use super::case::ActForm;
use crate::cases::store;
use crate::error::{AppError, AppResult};
use crate::files::documents::{self, Owner};
use crate::policy::{can_read_case, can_work_case};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, Upload};
use crate::web::notice::see_other;
use axum::extract::State;
use axum::response::Response;

/// A case's file, for staff who may read the case (anyone else is told it does not exist).
pub async fn download(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let d = documents::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(Owner::Case(case_id)) = d.owner() else {
        return Err(AppError::NotFound);
    };
    readable_case(&st, org, p, case_id).await?;
    let bytes = crate::files::read(&st.app, org, d.id).await?;
    Ok(crate::web::download::uploaded(
        bytes,
        &d.content_type,
        d.filename,
    ))
}

/// Staff add a file to a case (multipart: csrf, document_title, document).
pub async fn add(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    upload: Upload,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let (case, restricted) = readable_case(&st, org, p, id).await?;
    if !can_work_case(p, restricted, case.department_id) {
        return Err(AppError::Forbidden);
    }
    let errs = if upload.too_large {
        let mut errs = FieldErrors::default();
        errs.add("document", "attachment.too_large");
        errs
    } else {
        let title = upload
            .fields
            .get("document_title")
            .cloned()
            .unwrap_or_default();
        let (name, bytes) = upload.file.unwrap_or_default();
        let owner = Owner::Case(id);
        match documents::add(&st.app, org, p.user_id, owner, &title, &name, &bytes).await {
            Ok(_) => {
                let back = format!("/staff/cases/{id}#files-title");
                return Ok(see_other(&st, &back, "case.file_added"));
            }
            Err(AppError::Invalid(errs)) => errs,
            Err(e) => return Err(e),
        }
    };
    super::case::page(&st, &ctx, id, ActForm::default(), errs, None).await
}

/// The case and whether its kind is restricted, when `p` may read it (else "not found").
async fn readable_case(
    st: &WebState,
    org: i64,
    p: &crate::policy::Principal,
    id: i64,
) -> AppResult<(store::Case, bool)> {
    let case = store::case(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let restricted = store::case_type(&st.app.db, org, case.type_id)
        .await?
        .is_some_and(|t| t.audience == crate::cases::audience::RESTRICTED);
    if !can_read_case(p, restricted) {
        return Err(AppError::NotFound);
    }
    Ok((case, restricted))
}
