//! Committees (委員会): the list and the form to add one.

use super::{actor, status_of};
use crate::accounts::service::{self};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::FormData;
use crate::web::notice::see_other;
use crate::web::pages::roles::committees as committee_list;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CommitteeForm {
    name: String,
    name_en: String,
}

#[derive(Template)]
#[template(path = "admin/committees.html")]
struct CommitteesPage<'a> {
    s: Shell<'a>,
    rows: Vec<(i64, String)>,
    form: CommitteeForm,
}

async fn committees_page(
    st: &WebState,
    ctx: &Ctx,
    form: CommitteeForm,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let rows = committee_list(st, ctx.org_id()).await?;
    let status = status_of(&errs);
    let mut s = Shell::new(ctx, "admin.committees").with_errors(errs);
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    Ok((status, render(&CommitteesPage { s, rows, form })?).into_response())
}

pub async fn committees(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    committees_page(
        &st,
        &ctx,
        CommitteeForm::default(),
        FieldErrors::default(),
        None,
    )
    .await
}

pub async fn create_committee(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<CommitteeForm>,
) -> AppResult<Response> {
    match service::create_committee(&st.app, ctx.org_id(), &actor(&ctx)?, &f.name, &f.name_en).await
    {
        Ok(_) => Ok(see_other(&st, "/admin/committees", "admin.saved")),
        Err(AppError::Invalid(errs)) => committees_page(&st, &ctx, f, errs, None).await,
        Err(e) => Err(e),
    }
}
