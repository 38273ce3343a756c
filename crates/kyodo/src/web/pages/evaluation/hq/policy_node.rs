//! The HQ's page for one node of the comprehensive plan: correct its number, title and goal, or
//! remove it while nothing refers to it (the refusal says what still does).

use crate::error::{AppError, AppResult};
use crate::evaluation::policy_nodes;
use crate::evaluation::store::PolicyNode;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NodeForm {
    number: String,
    title: String,
    goal: String,
}

#[derive(Template)]
#[template(path = "evaluation/policy_node.html")]
struct NodePage<'a> {
    s: Shell<'a>,
    node: PolicyNode,
    level: &'static str,
    form: NodeForm,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: Option<NodeForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let node = policy_nodes::get(&st.app, ctx.org_id(), id).await?;
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = NodePage {
        s: Shell::new(ctx, "eval.node_edit_title").with_errors(errs),
        level: match node.level.as_str() {
            "policy" => "eval.level_policy",
            "measure" => "eval.level_measure",
            _ => "eval.level_basic",
        },
        form: form.unwrap_or_else(|| NodeForm {
            number: node.number.clone(),
            title: node.title.clone(),
            goal: node.goal.clone(),
        }),
        node,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    page(&st, &ctx, id, None, FieldErrors::default()).await
}

pub async fn save(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<NodeForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match policy_nodes::update(
        &st.app,
        ctx.org_id(),
        user,
        id,
        &f.number,
        &f.title,
        &f.goal,
    )
    .await
    {
        Ok(()) => Ok(see_other(&st, "/hq/evaluation/policies", "notice.saved")),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Some(f), errs).await,
        Err(e) => Err(e),
    }
}

pub async fn delete(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match policy_nodes::delete(&st.app, ctx.org_id(), user, id).await {
        Ok(plan) => Ok(see_other(
            &st,
            &format!("/hq/evaluation/policies#plan-{plan}"),
            "notice.removed",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, None, errs).await,
        Err(e) => Err(e),
    }
}
