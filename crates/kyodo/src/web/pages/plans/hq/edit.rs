//! Editing plans in the UI (reform HQ): a new plan, its tree, and adding nodes of any depth.

use crate::accounts::departments;
use crate::error::{AppError, AppResult};
use crate::plans::editing::{self, NewPlan, NodeInput};
use crate::plans::view::PlanData;
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
use std::collections::BTreeMap;

fn status(errs: &FieldErrors) -> StatusCode {
    if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlanForm {
    title: String,
    goal: String,
    first_year: String,
    last_year: String,
}

#[derive(Template)]
#[template(path = "plans/new.html")]
struct NewPage<'a> {
    s: Shell<'a>,
    form: PlanForm,
}

pub async fn new_form(ctx: Ctx) -> AppResult<Response> {
    Ok(render(&NewPage {
        s: Shell::new(&ctx, "plan_edit.new_title"),
        form: PlanForm::default(),
    })?
    .into_response())
}

pub async fn create(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<PlanForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let input = NewPlan {
        title: &f.title,
        goal: &f.goal,
        first_year: &f.first_year,
        last_year: &f.last_year,
    };
    match editing::create_plan(&st.app, ctx.org_id(), p.user_id, input).await {
        Ok(id) => Ok(see_other(
            &st,
            &format!("/hq/plans/{id}/edit"),
            "notice.created",
        )),
        Err(AppError::Invalid(errs)) => {
            let code = status(&errs);
            Ok((
                code,
                render(&NewPage {
                    s: Shell::new(&ctx, "plan_edit.new_title").with_errors(errs),
                    form: f,
                })?,
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

/// A row of the tree being edited.
pub struct TreeRow {
    pub id: i64,
    pub depth: i64,
    pub number: String,
    pub title: String,
    pub trackable: bool,
    pub cancelled: bool,
    pub departments: String,
}

#[derive(Template)]
#[template(path = "plans/edit.html")]
struct EditPage<'a> {
    s: Shell<'a>,
    plan_id: i64,
    plan_title: String,
    plan_goal: String,
    rows: Vec<TreeRow>,
    departments: Vec<(i64, String)>,
    steps: Vec<(String, String)>,
    years: Vec<(i64, String)>,
    form: BTreeMap<String, String>,
}

impl EditPage<'_> {
    fn value(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    fn is(&self, k: &str, v: &str) -> bool {
        self.value(k) == v
    }
}

async fn edit_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: BTreeMap<String, String>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let d = PlanData::load(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = d
        .preorder()
        .into_iter()
        .map(|n| TreeRow {
            id: n.id,
            depth: n.depth.min(4),
            number: n.number.clone(),
            title: n.title.clone(),
            trackable: n.trackable,
            cancelled: n.cancelled,
            departments: d.department_names(n.id, t.lang),
        })
        .collect();
    let departments = departments::list(&st.app.db, ctx.org_id())
        .await?
        .into_iter()
        .map(|x| (x.id, format!("{} {}", x.code, x.name)))
        .collect();
    let code = status(&errs);
    let page = EditPage {
        s: Shell::new(ctx, "plan_edit.title").with_errors(errs),
        plan_id: id,
        plan_title: d.plan.title.clone(),
        plan_goal: d.plan.goal.clone(),
        rows,
        departments,
        steps: crate::codes::of_list(&d.codes, crate::codes::SCHEDULE_STEP)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect(),
        years: d
            .years()
            .map(|y| (y, crate::web::format::fy(t, y)))
            .collect(),
        form,
    };
    Ok((code, render(&page)?).into_response())
}

pub async fn edit(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    edit_page(&st, &ctx, id, BTreeMap::new(), FieldErrors::default()).await
}

/// Reads the node fields shared by the add and edit forms: number, title, seed_ref, body, issues,
/// trackable, departments (repeated), step_<year>.
pub fn node_input(form: &[(String, String)], errs: &mut FieldErrors) -> NodeInput {
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut n = NodeInput {
        number: get("number"),
        title: get("title"),
        seed_ref: get("seed_ref"),
        body: get("body"),
        issues: get("issues"),
        trackable: get("trackable") == "1",
        ..Default::default()
    };
    for (k, v) in form {
        if k == "departments" {
            match v.parse::<i64>() {
                Ok(d) => n.departments.push(d),
                Err(_) => errs.add("departments", "field.bad_choice"),
            }
        } else if let Some(y) = k.strip_prefix("step_") {
            match y.parse::<i64>() {
                Ok(y) => {
                    n.schedule.insert(y, v.clone());
                }
                Err(_) => errs.add("schedule", "field.bad_choice"),
            }
        }
    }
    n
}

pub async fn add_node(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(form): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let mut errs = FieldErrors::default();
    let input = node_input(&form, &mut errs);
    let parent = crate::web::extract::optional_id(
        &mut errs,
        "parent_id",
        form.iter()
            .find(|(k, _)| k == "parent_id")
            .map(|(_, v)| v.as_str())
            .unwrap_or(""),
    );
    let result = match errs.into_result() {
        Ok(()) => editing::add_node(&st.app, ctx.org_id(), p.user_id, id, parent, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(node) => Ok(see_other(&st, &format!("/hq/nodes/{node}"), "notice.added")),
        Err(AppError::Invalid(errs)) => {
            let mut values = BTreeMap::new();
            for (k, v) in form {
                values.entry(k).or_insert(v);
            }
            edit_page(&st, &ctx, id, values, errs).await
        }
        Err(e) => Err(e),
    }
}

impl EditPage<'_> {
    fn has_department(&self, id: &i64) -> bool {
        self.form
            .get("departments")
            .is_some_and(|v| v == &id.to_string())
    }
}

/// Saves the plan's title and goal (fields plan_title, plan_goal).
pub async fn update_plan(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    match editing::update_plan(
        &st.app,
        ctx.org_id(),
        p.user_id,
        id,
        get("plan_title"),
        get("plan_goal"),
    )
    .await
    {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/hq/plans/{id}/edit"),
            "notice.saved",
        )),
        Err(AppError::Invalid(errs)) => edit_page(&st, &ctx, id, f, errs).await,
        Err(e) => Err(e),
    }
}

/// Deletes an unused node; one with history answers 400 (discontinue it through a change request).
pub async fn delete_node(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let plan =
        crate::plans::node_removal::delete_node(&st.app, ctx.org_id(), p.user_id, id).await?;
    Ok(see_other(
        &st,
        &format!("/hq/plans/{plan}/edit"),
        "notice.removed",
    ))
}
