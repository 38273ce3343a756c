//! The HQ's direction (方向性) for a 施策 in a year, set from the year's page.

use super::cycles::cycle_page;
use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::settings;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use axum::extract::State;
use axum::response::Response;
use std::collections::BTreeMap;

type Form = BTreeMap<String, String>;

/// The HQ's direction for a 施策 (fields `year`, `direction-<id>`, `reason-<id>`, `cycle`).
pub async fn policy_direction(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<Form>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let all_codes = codes::all(&st.app.db, ctx.org_id()).await?;
    let get = |k: String| f.get(&k).cloned().unwrap_or_default();
    let cycle = get("cycle".into())
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("error.bad_form"))?;
    let (year, direction, reason) = (
        get("year".into()),
        get(format!("direction-{id}")),
        get(format!("reason-{id}")),
    );
    let input = settings::PolicyDirection {
        node: id,
        year: &year,
        direction: &direction,
        reason: &reason,
    };
    match settings::set_policy_direction(&st.app, ctx.org_id(), p.user_id, &all_codes, input).await
    {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/hq/evaluation/cycles/{cycle}#measures"),
            "notice.saved",
        )),
        Err(AppError::Invalid(errs)) => cycle_page(&st, &ctx, cycle, errs, None, None).await,
        Err(e) => Err(e),
    }
}
