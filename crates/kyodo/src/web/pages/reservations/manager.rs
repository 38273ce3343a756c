//! The designated manager's (指定管理者) own pages: the facilities its account is assigned to, and
//! for each the month-by-month figures and the report form — nothing else of the city's.

use super::management::{View, page};
use crate::error::{AppError, AppResult};
use crate::reservations::management::{self, ReportForm};
use crate::reservations::manager_accounts;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "reservations/manager_list.html")]
struct ListPage<'a> {
    s: Shell<'a>,
    facilities: Vec<(i64, String)>,
}

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let facilities = manager_accounts::facilities_of(&st.app.db, ctx.org_id(), user).await?;
    let page = ListPage {
        s: Shell::new(&ctx, "mgr.mine_title"),
        facilities,
    };
    Ok(render(&page)?.into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    manager_accounts::check(&st.app.db, ctx.org_id(), user, id).await?;
    page(
        &st,
        &ctx,
        View::Manager,
        id,
        ReportForm::default(),
        FieldErrors::default(),
    )
    .await
}

/// A month's report sent by the manager itself (recorded as sent by its account).
pub async fn report(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ReportForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    manager_accounts::check(&st.app.db, ctx.org_id(), user, id).await?;
    match management::save_report(&st.app, ctx.org_id(), user, id, &f).await {
        // The facility's public page lists the reports.
        Ok(()) => Ok(see_other(
            &st,
            &format!("/manager/facilities/{id}"),
            "mgr.saved",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, View::Manager, id, f, errs).await,
        Err(e) => Err(e),
    }
}
