//! Change requests (変更・中止): the responsible division proposes a change to an item's content or
//! schedule, or its discontinuation; the reform HQ approves or rejects on the dashboard.

use crate::codes;
use crate::error::{AppError, AppResult};
use crate::plans::changes::{self, Proposal, Request};
use crate::plans::view::PlanData;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::format::fy;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn status_key(status: &str) -> &'static str {
    match status {
        "approved" => "change.approved",
        "rejected" => "change.rejected",
        _ => "change.pending",
    }
}

pub fn kind_key(kind: &str) -> &'static str {
    if kind == "cancel" {
        "change.kind_cancel"
    } else {
        "change.kind_change"
    }
}

/// A request as listed: (request, summary of what changes).
pub fn summary(t: crate::i18n::Tr, d: &PlanData, r: &Request) -> String {
    let p = r.proposal();
    let prev = r.previous();
    let mut parts = Vec::new();
    if !p.title.is_empty() {
        parts.push(format!(
            "{}: {} → {}",
            t.t("plan_edit.node_title"),
            prev.title,
            p.title
        ));
    }
    if !p.body.is_empty() {
        parts.push(format!("{}: {}", t.t("plan.body"), p.body));
    }
    for (y, step) in &p.schedule {
        let label = |c: &str| {
            if c.is_empty() {
                "—".to_string()
            } else {
                d.label(codes::SCHEDULE_STEP, c, t.lang).to_string()
            }
        };
        parts.push(format!(
            "{}: {} → {}",
            fy(t, *y),
            label(prev.schedule.get(y).map(String::as_str).unwrap_or("")),
            label(step)
        ));
    }
    parts.join(" / ")
}

#[derive(Template)]
#[template(path = "plans/change.html")]
struct ChangePage<'a> {
    s: Shell<'a>,
    node_id: i64,
    node_title: String,
    steps: Vec<(String, String)>,
    years: Vec<(i64, String, String)>,
    requests: Vec<(Request, String)>,
    form: BTreeMap<String, String>,
}

impl ChangePage<'_> {
    fn value(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    fn when(&self, stored: &str) -> String {
        self.s.t.datetime(stored)
    }
    fn status_key(&self, s: &str) -> &'static str {
        status_key(s)
    }
    fn kind_key(&self, s: &str) -> &'static str {
        kind_key(s)
    }
}

/// The item, its plan data, after checking the principal writes its reports.
async fn load(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<PlanData> {
    let plan = crate::plans::store::plan_of_node(&st.app.db, ctx.org_id(), id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = PlanData::load(&st.app.db, ctx.org_id(), plan)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::policy::can_write_report(
        ctx.require_user()?,
        &d.department_ids(id).collect::<Vec<_>>(),
    ) {
        return Err(AppError::Forbidden);
    }
    Ok(d)
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    d: PlanData,
    form: BTreeMap<String, String>,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let requests = changes::of_node(&st.app.db, ctx.org_id(), id, false)
        .await?
        .into_iter()
        .map(|r| {
            let s = summary(t, &d, &r);
            (r, s)
        });
    let n = d.node(id).ok_or(AppError::NotFound)?;
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "change.title").with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    let p = ChangePage {
        s,
        node_id: id,
        node_title: format!("{} {}", n.number, n.title),
        steps: codes::of_list(&d.codes, codes::SCHEDULE_STEP)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect(),
        years: d
            .years()
            .map(|y| (y, fy(t, y), d.step(id, y).unwrap_or("").to_string()))
            .collect(),
        requests: requests.collect(),
        form,
    };
    Ok((status, render(&p)?).into_response())
}

pub async fn form(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    let d = load(&st, &ctx, id).await?;
    page(
        &st,
        &ctx,
        id,
        d,
        BTreeMap::new(),
        FieldErrors::default(),
        None,
    )
    .await
}

/// Fields: kind (change | cancel), reason, new_title, new_body, new_step_<year> (only years that differ
/// from the current schedule are proposed).
pub async fn submit(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let d = load(&st, &ctx, id).await?;
    let p = ctx.require_user()?;
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut proposal = Proposal {
        title: get("new_title"),
        body: get("new_body"),
        schedule: BTreeMap::new(),
    };
    for y in d.years() {
        if let Some(v) = f.get(&format!("new_step_{y}"))
            && v != d.step(id, y).unwrap_or("")
        {
            proposal.schedule.insert(y, v.clone());
        }
    }
    let step_codes: Vec<String> = codes::of_list(&d.codes, codes::SCHEDULE_STEP)
        .map(|c| c.code.clone())
        .collect();
    let (kind, reason) = (get("kind"), get("reason"));
    let request = changes::NewRequest {
        node: id,
        kind: &kind,
        reason: &reason,
        proposal,
    };
    match changes::submit(&st.app, ctx.org_id(), p.user_id, request, &step_codes).await {
        Ok(_) => Ok(see_other(
            &st,
            &format!("/plans/items/{id}/change"),
            "change.submitted",
        )),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, d, f, errs, None).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    comment: String,
    plan: String,
}

/// The HQ approves a change request (it is applied to the plan).
pub async fn approve(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<DecisionForm>,
) -> AppResult<Response> {
    decide(st, ctx, id, f, true).await
}

/// The HQ rejects a change request, with the reason.
pub async fn reject(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<DecisionForm>,
) -> AppResult<Response> {
    decide(st, ctx, id, f, false).await
}

async fn decide(
    st: WebState,
    ctx: Ctx,
    id: i64,
    f: DecisionForm,
    approve: bool,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    match changes::decide(&st.app, ctx.org_id(), p.user_id, id, approve, &f.comment).await {
        Ok(_) => Ok(Redirect::to(
            &f.plan
                .trim()
                .parse::<i64>()
                .map(|p| format!("/hq/plans/{p}#changes-title"))
                .unwrap_or_else(|_| "/hq".into()),
        )
        .into_response()),
        Err(AppError::Invalid(mut errs)) => {
            for e in &mut errs.0 {
                e.field = format!("{}-{id}", e.field);
            }
            Err(AppError::Invalid(errs))
        }
        Err(e) => Err(e),
    }
}
