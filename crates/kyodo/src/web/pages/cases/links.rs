//! What a case is about, linked by staff on the case page: the public facility (関連施設) and
//! the programme (事務事業) and the plan item — each counted or listed where that is looked after.

use super::case::{ActForm, after, page};
use crate::error::AppResult;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use axum::extract::State;
use axum::response::Response;

/// 関連施設: link the case to a facility, or unlink it (an empty choice).
pub async fn facility(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let chosen = match f.facility.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                let mut errs = FieldErrors::default();
                errs.add("facility", "field.bad_choice");
                return page(&st, &ctx, id, f, errs, None).await;
            }
        },
    };
    let p = ctx.require_user()?;
    let done = crate::cases::assignment::link_facility(&st.app, ctx.org_id(), p, id, chosen).await;
    after(&st, &ctx, id, f, done, "case.saved").await
}

/// 関連する事務事業: link the case to a programme by its code, or unlink it (empty).
pub async fn programme(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let done =
        crate::cases::assignment::link_programme(&st.app, ctx.org_id(), p, id, &f.programme).await;
    after(&st, &ctx, id, f, done, "case.saved").await
}

/// 関連する計画項目: link the case to a plan item, or unlink it (an empty choice).
pub async fn plan_item(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let chosen = match f.plan_item.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                let mut errs = FieldErrors::default();
                errs.add("plan_item", "field.bad_choice");
                return page(&st, &ctx, id, f, errs, None).await;
            }
        },
    };
    let p = ctx.require_user()?;
    let done = crate::cases::assignment::link_plan_item(&st.app, ctx.org_id(), p, id, chosen).await;
    after(&st, &ctx, id, f, done, "case.saved").await
}
