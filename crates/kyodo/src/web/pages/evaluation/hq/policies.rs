//! The HQ's page for the comprehensive plan (総合計画): plans, the policy hierarchy, and each 施策's
//! outcome indicators with their targets and actuals per year.

use crate::charts::fmt_num;
use crate::error::{AppError, AppResult};
use crate::evaluation::policies;
use crate::evaluation::store::{self, Indicator, PolicyNode, PolicyPlan};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::FormData;
use crate::web::format::fy;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

type Form = BTreeMap<String, String>;

/// (node, depth, indicators with their values as "年度: 目標 / 実績")
pub type NodeRow = (PolicyNode, usize, Vec<(Indicator, Vec<String>)>);

pub struct PlanView {
    pub plan: PolicyPlan,
    pub period: String,
    pub nodes: Vec<NodeRow>,
}

#[derive(Template)]
#[template(path = "evaluation/policies.html")]
struct PoliciesPage<'a> {
    s: Shell<'a>,
    plans: Vec<PlanView>,
    form: Form,
}

impl PoliciesPage<'_> {
    fn value(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    /// The year, target and actual fields of an indicator's form, with their label keys.
    fn value_fields(&self, id: &i64) -> Vec<(String, &'static str)> {
        vec![
            (format!("year-{id}"), "eval.fiscal_year"),
            (format!("target-{id}"), "eval.target"),
            (format!("actual-{id}"), "eval.actual"),
        ]
    }
    fn indent(&self, depth: &usize) -> String {
        format!("padding-left: {}em", depth * 2)
    }
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    form: Form,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let nodes = store::policy_nodes(&st.app.db, org).await?;
    let (inds, values) = store::indicators(&st.app.db, org, "policy", None).await?;
    let plans = store::policy_plans(&st.app.db, org)
        .await?
        .into_iter()
        .map(|plan| {
            let mut out = Vec::new();
            let mut stack: Vec<(&PolicyNode, usize)> = nodes
                .iter()
                .filter(|n| n.plan_id == plan.id && n.parent_id.is_none())
                .rev()
                .map(|n| (n, 0))
                .collect();
            while let Some((n, d)) = stack.pop() {
                let its = inds
                    .iter()
                    .filter(|i| i.owner_id == n.id)
                    .map(|i| {
                        let v = values
                            .iter()
                            .filter(|v| v.indicator_id == i.id)
                            .map(|v| {
                                let show =
                                    |x: Option<f64>| x.map(fmt_num).unwrap_or_else(|| "—".into());
                                format!(
                                    "{}: {} / {}",
                                    fy(t, v.fiscal_year),
                                    show(v.target),
                                    show(v.actual)
                                )
                            })
                            .collect();
                        (i.clone(), v)
                    })
                    .collect();
                out.push((n.clone(), d, its));
                stack.extend(
                    nodes
                        .iter()
                        .filter(|c| c.parent_id == Some(n.id))
                        .rev()
                        .map(|c| (c, d + 1)),
                );
            }
            PlanView {
                period: format!("{}〜{}", fy(t, plan.first_year), fy(t, plan.last_year)),
                plan,
                nodes: out,
            }
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "eval.policies_title").with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    Ok((status, render(&PoliciesPage { s, plans, form })?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    page(&st, &ctx, Form::new(), FieldErrors::default(), None).await
}

/// What each of the page's forms ends with: back to the page with its notice, or the form's messages.
async fn after(st: &WebState, ctx: &Ctx, result: AppResult<()>, f: Form) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(see_other(
            st,
            "/hq/evaluation/policies",
            "eval.policies_saved",
        )),
        Err(AppError::Invalid(errs)) => page(st, ctx, f, errs, None).await,
        Err(e) => Err(e),
    }
}

fn field<'a>(f: &'a Form, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or("")
}

fn id_field(f: &Form, k: &str) -> AppResult<i64> {
    field(f, k)
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("error.bad_form"))
}

/// Adds a comprehensive plan (総合計画).
pub async fn add_plan(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Form>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let get = |k| field(&f, k);
    let result = policies::create_plan(
        &st.app,
        ctx.org_id(),
        p.user_id,
        get("plan_title"),
        get("plan_first_year"),
        get("plan_last_year"),
    )
    .await
    .map(|_| ());
    after(&st, &ctx, result, f).await
}

/// Adds a node (政策・施策) to a plan.
pub async fn add_node(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Form>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let get = |k| field(&f, k);
    let node = policies::NewNode {
        plan: id_field(&f, "plan")?,
        parent: get("parent"),
        number: get("number"),
        title: get("title"),
        goal: get("goal"),
    };
    let result = policies::add_node(&st.app, ctx.org_id(), p.user_id, node)
        .await
        .map(|_| ());
    after(&st, &ctx, result, f).await
}

/// Adds an indicator to a 施策.
pub async fn add_indicator(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Form>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let node = id_field(&f, "node")?;
    let get = |k: &str| field(&f, k);
    let result = policies::add_indicator(
        &st.app,
        ctx.org_id(),
        p.user_id,
        node,
        get(&format!("ind_name-{node}")),
        get(&format!("ind_unit-{node}")),
        get("lower") != "1",
    )
    .await
    .map(|_| ());
    after(&st, &ctx, result, f).await
}

/// Sets an indicator's target and actual for a year.
pub async fn set_value(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Form>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let ind = id_field(&f, "indicator")?;
    let get = |k: &str| field(&f, k);
    let result = policies::set_value(
        &st.app,
        ctx.org_id(),
        p.user_id,
        ind,
        get(&format!("year-{ind}")),
        get(&format!("target-{ind}")),
        get(&format!("actual-{ind}")),
    )
    .await;
    after(&st, &ctx, result, f).await
}
