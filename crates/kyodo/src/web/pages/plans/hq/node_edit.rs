//! Editing one node (reform HQ): its fields, departments and schedule, its indicators with targets
//! and actuals per year, and its fiscal effects.

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::plans::editing;
use crate::plans::figures::{self, EffectInput, IndicatorInput};
use crate::plans::view::PlanData;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::format::fy;
use crate::web::notice::see_other;
use crate::web::pages::plans::hq::edit::node_input;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

pub struct IndicatorForm {
    pub id: i64,
    pub name: String,
    pub unit: String,
    /// (year, label, target, actual)
    pub years: Vec<(i64, String, String, String)>,
}

#[derive(Template)]
#[template(path = "plans/node.html")]
struct NodePage<'a> {
    s: Shell<'a>,
    plan_id: i64,
    node_id: i64,
    form: BTreeMap<String, String>,
    selected_departments: Vec<i64>,
    departments: Vec<(i64, String)>,
    steps: Vec<(String, String)>,
    years: Vec<(i64, String)>,
    indicators: Vec<IndicatorForm>,
    effects: Vec<(i64, String, String, String, String, &'static str)>,
    kinds: Vec<(String, String)>,
    accounts: Vec<(String, String)>,
}

impl NodePage<'_> {
    fn value(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    fn is(&self, k: &str, v: &str) -> bool {
        self.value(k) == v
    }
    fn has_department(&self, id: &i64) -> bool {
        self.selected_departments.contains(id)
    }
}

async fn plan_of(st: &WebState, org: i64, node: i64) -> AppResult<i64> {
    crate::plans::store::plan_of_node(&st.app.db, org, node, false)
        .await?
        .ok_or(AppError::NotFound)
}

async fn node_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    entered: Option<Vec<(String, String)>>,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let plan_id = plan_of(st, org, id).await?;
    let d = PlanData::load(&st.app.db, org, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let n = d.node(id).ok_or(AppError::NotFound)?;
    let (form, selected_departments) = match entered {
        Some(f) => {
            let deps = f
                .iter()
                .filter(|(k, _)| k == "departments")
                .filter_map(|(_, v)| v.parse().ok())
                .collect();
            (f.into_iter().collect(), deps)
        }
        None => {
            let mut m: BTreeMap<String, String> = [
                ("number", &n.number),
                ("title", &n.title),
                ("seed_ref", &n.seed_ref),
                ("body", &n.body),
                ("issues", &n.issues),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
            if n.trackable {
                m.insert("trackable".into(), "1".into());
            }
            for y in d.years() {
                m.insert(format!("step_{y}"), d.step(id, y).unwrap_or("").to_string());
            }
            (m, d.department_ids(id).collect())
        }
    };
    let num = |v: Option<f64>| v.map(crate::charts::fmt_num).unwrap_or_default();
    let indicators = d
        .indicators_of(id)
        .map(|i| IndicatorForm {
            id: i.id,
            name: i.name.clone(),
            unit: i.unit.clone(),
            years: d
                .years()
                .map(|y| {
                    let v = d.values_of(i.id).find(|v| v.fiscal_year == y);
                    (
                        y,
                        fy(t, y),
                        num(v.and_then(|v| v.target)),
                        num(v.and_then(|v| v.actual)),
                    )
                })
                .collect(),
        })
        .collect();
    let effects = d
        .effects_of(id)
        .into_iter()
        .map(|e| {
            (
                e.id,
                fy(t, e.fiscal_year),
                d.label(codes::EFFECT_KIND, &e.kind, t.lang).to_string(),
                d.label(codes::ACCOUNT, &e.account, t.lang).to_string(),
                crate::charts::fmt_num(e.planned as f64),
                if e.recurring {
                    "plan.recurring_yes"
                } else {
                    "plan.recurring_no"
                },
            )
        })
        .collect();
    let list = |l: &str| {
        codes::of_list(&d.codes, l)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect::<Vec<_>>()
    };
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "plan_edit.node_page").with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    let page = NodePage {
        s,
        plan_id,
        node_id: id,
        form,
        selected_departments,
        departments: crate::accounts::departments::list(&st.app.db, org)
            .await?
            .into_iter()
            .map(|x| (x.id, format!("{} {}", x.code, x.name)))
            .collect(),
        steps: list(codes::SCHEDULE_STEP),
        years: d.years().map(|y| (y, fy(t, y))).collect(),
        indicators,
        effects,
        kinds: list(codes::EFFECT_KIND),
        accounts: list(codes::ACCOUNT),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    node_page(&st, &ctx, id, None, FieldErrors::default(), None).await
}

/// Re-shows the page with errors, or with a confirmation after success.
async fn done(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    result: AppResult<()>,
    entered: Option<Vec<(String, String)>>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(see_other(st, &format!("/hq/nodes/{id}"), "notice.saved")),
        Err(AppError::Invalid(errs)) => node_page(st, ctx, id, entered, errs, None).await,
        Err(e) => Err(e),
    }
}

pub async fn update(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(form): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let plan = plan_of(&st, ctx.org_id(), id).await?;
    let mut errs = FieldErrors::default();
    let input = node_input(&form, &mut errs);
    let result = match errs.into_result() {
        Ok(()) => editing::update_node(&st.app, ctx.org_id(), p.user_id, plan, id, &input).await,
        Err(e) => Err(e),
    };
    done(&st, &ctx, id, result, Some(form)).await
}

pub async fn add_indicator(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(form): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    plan_of(&st, ctx.org_id(), id).await?;
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let input = IndicatorInput {
        name: get("name"),
        unit: get("unit"),
        baseline_year: get("baseline_year"),
        baseline_value: get("baseline_value"),
        higher_is_better: get("direction") != "lower",
    };
    let result = figures::add_indicator(&st.app, ctx.org_id(), p.user_id, id, input)
        .await
        .map(|_| ());
    done(&st, &ctx, id, result, None).await
}

/// Targets and actuals of one indicator: fields target_<year>, actual_<year>.
pub async fn indicator_values(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(form): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let (node, first, last) = crate::plans::store::indicator_scope(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let values = (first..=last)
        .map(|y| {
            let get = |k: String| form.get(&k).cloned().unwrap_or_default();
            (y, (get(format!("target_{y}")), get(format!("actual_{y}"))))
        })
        .collect();
    let result = figures::set_indicator_values(
        &st.app,
        org,
        &ctx.actor()?,
        id,
        &values,
        &Default::default(),
    )
    .await
    .map_err(|e| match e {
        // Several indicators share the page: name the fields after this one.
        AppError::Invalid(mut errs) => {
            for e in &mut errs.0 {
                e.field = format!("{}_{id}", e.field);
            }
            AppError::Invalid(errs)
        }
        e => e,
    });
    done(&st, &ctx, node, result, None).await
}

pub async fn add_effect(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(form): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let plan = plan_of(&st, ctx.org_id(), id).await?;
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let input = EffectInput {
        fiscal_year: get("fiscal_year"),
        kind: get("kind"),
        account: get("account"),
        planned: get("planned"),
        recurring: get("recurring") == "1",
    };
    let result = figures::add_effect(&st.app, ctx.org_id(), p.user_id, plan, id, input)
        .await
        .map(|_| ());
    done(&st, &ctx, id, result, None).await
}

pub async fn delete_effect(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let node = crate::plans::store::node_of_effect(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    figures::delete_effect(&st.app, ctx.org_id(), p.user_id, node, id).await?;
    Ok(see_other(
        &st,
        &format!("/hq/nodes/{node}"),
        "notice.removed",
    ))
}
