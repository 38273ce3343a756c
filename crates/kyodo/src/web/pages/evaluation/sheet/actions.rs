//! What the sheet page's forms do, one handler per operation: the department saves or submits
//! (一次評価) and adds indicators; its 所属長 approves or returns; the HQ gives 二次評価 and the final
//! decision, returns a sheet, chooses it for 外部評価 or links it to a plan item; a committee member
//! records 外部評価. Each re-renders the sheet page.

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::sheet_form::{IndicatorForm, SheetForm, VerdictForm};
use crate::evaluation::{manager_approval, sheets, stages};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::pages::evaluation::sheet::page::{Mode, committee_may_see, load, page};
use axum::extract::State;
use axum::response::Response;
use std::collections::BTreeMap;

/// Department: saves the 一次評価 as a draft.
pub async fn save(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    write(&st, &ctx, id, f, false).await
}

/// Department: submits the 一次評価 (to its 所属長 when the organization asks for that).
pub async fn submit(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    write(&st, &ctx, id, f, true).await
}

async fn write(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    f: BTreeMap<String, String>,
    submit: bool,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let all_codes = codes::all(&st.app.db, ctx.org_id()).await?;
    let input = SheetForm::from_fields(&f);
    match sheets::save(&st.app, ctx.org_id(), p, id, &input, &all_codes, submit).await {
        Ok(()) => {
            let notice = if !submit {
                "eval.saved"
            } else if crate::accounts::approval::required(&st.app.db, ctx.org_id()).await? {
                "eval.submitted_to_manager"
            } else {
                "eval.submitted"
            };
            Ok(see_other(st, &sheet_path(id), notice))
        }
        Err(AppError::Invalid(errs)) => page(st, ctx, id, Mode::Staff, Some(f), errs, None).await,
        Err(e) => Err(e),
    }
}

fn sheet_path(id: i64) -> String {
    format!("/staff/evaluation/sheets/{id}")
}

/// What every HQ and 所属長 operation on a sheet ends with: back to the sheet page with the notice
/// of what was done, or the form again with each message beside its field.
async fn after(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    result: AppResult<&'static str>,
    form: BTreeMap<String, String>,
) -> AppResult<Response> {
    match result {
        Ok(notice) => Ok(see_other(st, &sheet_path(id), notice)),
        Err(AppError::Invalid(errs)) => {
            page(st, ctx, id, Mode::Staff, Some(form), errs, None).await
        }
        Err(e) => Err(e),
    }
}

/// 所属長: approves the sheet for the HQ's 二次評価.
pub async fn manager_approve(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let result = manager_approval::approve(&st.app, ctx.org_id(), p, id).await;
    after(
        &st,
        &ctx,
        id,
        result.map(|_| "eval.manager_approved"),
        BTreeMap::new(),
    )
    .await
}

/// 所属長: returns the sheet to the department.
pub async fn manager_return(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let result = manager_approval::return_to_department(&st.app, ctx.org_id(), p, id).await;
    after(
        &st,
        &ctx,
        id,
        result.map(|_| "eval.returned"),
        BTreeMap::new(),
    )
    .await
}

/// HQ: 二次評価 or the final decision, whichever the sheet awaits.
pub async fn hq_verdict(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let org = ctx.org_id();
    let all_codes = codes::all(&st.app.db, org).await?;
    let input = VerdictForm::from_fields(&f);
    let result = stages::decide(&st.app, org, p, id, &input, &all_codes).await;
    after(&st, &ctx, id, result.map(|_| "eval.verdict_saved"), f).await
}

/// HQ: returns a submitted sheet to its department.
pub async fn hq_return(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let result = stages::return_to_department(&st.app, ctx.org_id(), p.user_id, id).await;
    after(
        &st,
        &ctx,
        id,
        result.map(|_| "eval.returned"),
        BTreeMap::new(),
    )
    .await
}

/// HQ: chooses the sheet for 外部評価 (`on`) or takes it off the list.
async fn external(st: WebState, ctx: Ctx, id: i64, on: bool) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let result = stages::set_external(&st.app, ctx.org_id(), p.user_id, id, on).await;
    let notice = if on {
        "eval.external_chosen"
    } else {
        "eval.external_removed"
    };
    after(&st, &ctx, id, result.map(|_| notice), BTreeMap::new()).await
}

pub async fn hq_external_on(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    external(st, ctx, id, true).await
}

pub async fn hq_external_off(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    external(st, ctx, id, false).await
}

/// HQ: links the sheet to a plan item (`plan_item`).
pub async fn hq_link(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let node = f
        .get("plan_item")
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or(AppError::BadRequest("error.bad_form"))?;
    let result = stages::link_plan_item(&st.app, ctx.org_id(), p.user_id, id, node).await;
    after(&st, &ctx, id, result.map(|_| "eval.linked"), f).await
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
    let input = VerdictForm::from_fields(&f);
    match stages::decide(&st.app, ctx.org_id(), p, id, &input, &all_codes).await {
        Ok(_) => Ok(see_other(
            &st,
            "/committee/evaluation",
            "eval.verdict_saved",
        )),
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
    let input = IndicatorForm::from_fields(&f);
    match sheets::add_indicator(&st.app, ctx.org_id(), p, id, &input).await {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/staff/evaluation/sheets/{id}#indicators"),
            "notice.added",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Mode::Staff, Some(f), errs, None).await,
        Err(e) => Err(e),
    }
}
