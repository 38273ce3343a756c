//! What the sheet page's forms do: the department saves or submits (一次評価) and adds indicators;
//! the HQ gives 二次評価 and the final decision, returns a sheet, chooses it for 外部評価 or links it
//! to a plan item; a committee member records 外部評価. Each re-renders the sheet page.

use super::eval_sheet::{Mode, committee_may_see, load, page};
use crate::error::{AppError, AppResult};
use crate::evaluation::{manager_approval, sheets, stages};
use crate::plans::codes;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::BTreeMap;

/// Department: `action` = save | submit.
pub async fn save(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let all_codes = codes::all(&st.app.db, ctx.org_id()).await?;
    let submit = f.get("action").is_some_and(|a| a == "submit");
    match sheets::save(&st.app, ctx.org_id(), p, id, &f, &all_codes, submit).await {
        Ok(()) => {
            let notice = if !submit {
                "eval.saved"
            } else if crate::accounts::approval::required(&st.app.db, ctx.org_id()).await? {
                "eval.submitted_to_manager"
            } else {
                "eval.submitted"
            };
            let errs = FieldErrors::default();
            page(&st, &ctx, id, Mode::Staff, None, errs, Some(notice)).await
        }
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Mode::Staff, Some(f), errs, None).await,
        Err(e) => Err(e),
    }
}

/// 所属長: `action` = approve (for the HQ's 二次評価) | return (to the department).
pub async fn manager_action(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let notice = match f.get("action").map(String::as_str) {
        Some("approve") => {
            manager_approval::approve(&st.app, org, p, id).await?;
            "eval.manager_approved"
        }
        Some("return") => {
            manager_approval::return_to_department(&st.app, org, p, id).await?;
            "eval.returned"
        }
        _ => return Err(AppError::BadRequest("error.bad_form")),
    };
    page(
        &st,
        &ctx,
        id,
        Mode::Staff,
        None,
        FieldErrors::default(),
        Some(notice),
    )
    .await
}

/// HQ: `action` = verdict | return | external_on | external_off | link (with `plan_item`).
pub async fn hq_action(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let result = match get("action") {
        "verdict" => {
            let all_codes = codes::all(&st.app.db, org).await?;
            stages::decide(&st.app, org, p, id, &f, &all_codes)
                .await
                .map(|_| "eval.verdict_saved")
        }
        "return" => stages::return_to_department(&st.app, org, p.user_id, id)
            .await
            .map(|_| "eval.returned"),
        "external_on" => stages::set_external(&st.app, org, p.user_id, id, true)
            .await
            .map(|_| "eval.external_chosen"),
        "external_off" => stages::set_external(&st.app, org, p.user_id, id, false)
            .await
            .map(|_| "eval.external_removed"),
        "link" => match get("plan_item").parse::<i64>() {
            Ok(node) => stages::link_plan_item(&st.app, org, p.user_id, id, node)
                .await
                .map(|_| "eval.linked"),
            Err(_) => Err(AppError::BadRequest("error.bad_form")),
        },
        _ => Err(AppError::BadRequest("error.bad_form")),
    };
    match result {
        Ok(notice) => {
            page(
                &st,
                &ctx,
                id,
                Mode::Staff,
                None,
                FieldErrors::default(),
                Some(notice),
            )
            .await
        }
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Mode::Staff, Some(f), errs, None).await,
        Err(e) => Err(e),
    }
}

/// Committee member: the 外部評価 verdict.
pub async fn committee_decide(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let (sheet, _, cycle) = load(&st, &ctx, id).await?;
    committee_may_see(&ctx, &sheet, &cycle)?;
    let p = ctx.require_user()?;
    let all_codes = codes::all(&st.app.db, ctx.org_id()).await?;
    match stages::decide(&st.app, ctx.org_id(), p, id, &f, &all_codes).await {
        Ok(_) => Ok(Redirect::to("/committee/evaluation").into_response()),
        Err(AppError::Invalid(errs)) => {
            page(&st, &ctx, id, Mode::Committee, Some(f), errs, None).await
        }
        Err(e) => Err(e),
    }
}

/// Department: adds an indicator to the programme (kind, name, unit, direction).
pub async fn add_indicator(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let get = |k: &str| f.get(k).map(|v| v.trim()).unwrap_or("");
    match sheets::add_indicator(
        &st.app,
        ctx.org_id(),
        p,
        id,
        get("ind_kind"),
        get("ind_name"),
        get("ind_unit"),
        get("ind_lower") != "1",
    )
    .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/evaluation/sheets/{id}#indicators")).into_response())
        }
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Mode::Staff, Some(f), errs, None).await,
        Err(e) => Err(e),
    }
}
