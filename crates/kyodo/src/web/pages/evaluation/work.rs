//! Work lists of the evaluation: a department's sheets (the HQ sees those awaiting its verdict),
//! the committee's sheets chosen for 外部評価, and the budget-frame view (枠配分): each
//! department's frame beside its programmes' requests and verdicts.

use crate::accounts::roles::Role;
use crate::charts::fmt_num;
use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::frames;
use crate::evaluation::stage::{Awaiting, Stage};
use crate::evaluation::stages;
use crate::evaluation::store;
use crate::evaluation::year::department_name;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, QueryData};
use crate::web::format::fy;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeMap;

/// (sheet link, year, code, name, department, stage, awaiting)
type Line = (String, String, String, String, String, String, String);

#[derive(Template)]
#[template(path = "evaluation/work.html")]
struct WorkPage<'a> {
    s: Shell<'a>,
    lead: &'static str,
    lines: Vec<Line>,
}

/// Sheets of unpublished years that `keep` selects, as lines linking to `base`/<id>.
async fn lines(
    st: &WebState,
    ctx: &Ctx,
    base: &str,
    keep: impl Fn(&store::Sheet, &store::Programme, &store::Cycle) -> bool,
) -> AppResult<Vec<Line>> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    let programmes = store::programmes(db, org).await?;
    let depts = crate::accounts::departments::list(db, org).await?;
    let cycles = store::cycles(db, org).await?;
    let manager_step = crate::accounts::approval::required(db, org).await?;
    let mut out = Vec::new();
    for s in &store::open_sheets(db, org).await? {
        let (Some(p), Some(c)) = (
            programmes.iter().find(|p| p.id == s.programme_id),
            cycles.iter().find(|c| c.id == s.cycle_id),
        ) else {
            continue;
        };
        if !keep(s, p, c) {
            continue;
        }
        let awaiting = stages::awaiting(s, manager_step)
            .map(|a| t.t(a.key()).to_string())
            .unwrap_or_default();
        out.push((
            format!("{base}/{}", s.id),
            fy(t, c.fiscal_year),
            p.code.clone(),
            p.name.clone(),
            department_name(&depts, p.department_id, t.lang),
            t.t(s.stage.sheet_key()).to_string(),
            awaiting,
        ));
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    Ok(out)
}

pub async fn staff(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let p = ctx.require_user()?.clone();
    let manager_step = crate::accounts::approval::required(&st.app.db, ctx.org_id()).await?;
    let lines = lines(&st, &ctx, "/staff/evaluation/sheets", |s, prog, _| {
        if p.is_reform_hq() {
            matches!(
                stages::awaiting(s, manager_step),
                Some(Awaiting::Verdict(Stage::Second | Stage::Final))
            ) || crate::policy::can_edit_department_data(&p, prog.department_id)
                && s.stage == Stage::Draft
        } else {
            crate::policy::can_edit_department_data(&p, prog.department_id)
        }
    })
    .await?;
    let page = WorkPage {
        s: Shell::new(&ctx, "eval.work_title"),
        lead: "eval.work_lead",
        lines,
    };
    Ok(render(&page)?.into_response())
}

pub async fn committee(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let p = ctx.require_user()?.clone();
    let lines = lines(&st, &ctx, "/committee/evaluation/sheets", |s, _, c| {
        s.external
            && (p.is_reform_hq()
                || c.committee_id
                    .is_some_and(|id| p.has(|r| *r == Role::CommitteeMember(id))))
    })
    .await?;
    let page = WorkPage {
        s: Shell::new(&ctx, "eval.committee_title"),
        lead: "eval.committee_lead",
        lines,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FrameQuery {
    year: String,
}

/// (programme id, code, name, current, request, change, direction, stage)
pub type RequestLine = (i64, String, String, String, String, String, String, String);

pub struct FrameView {
    pub department_id: i64,
    pub name: String,
    pub frame: String,
    pub frame_raw: String,
    pub requested: String,
    pub current: String,
    pub margin: String,
    pub over: bool,
    pub requests: Vec<RequestLine>,
}

/// The 中期財政見通し for the frames' year, if one covers it: (edition id, heading, [(label, 千円)]).
type OutlookForYear = (i64, String, Vec<(String, String)>);

#[derive(Template)]
#[template(path = "evaluation/frames.html")]
struct FramesPage<'a> {
    s: Shell<'a>,
    year: i64,
    year_label: String,
    years: Vec<(i64, String)>,
    frames: Vec<FrameView>,
    hq: bool,
    all_departments: Vec<(i64, String)>,
    form: BTreeMap<String, String>,
    outlook: Option<OutlookForYear>,
}

impl FramesPage<'_> {
    fn value(&self, k: &str) -> String {
        self.form.get(k).cloned().unwrap_or_default()
    }
}

async fn frames_page(
    st: &WebState,
    ctx: &Ctx,
    year: Option<i64>,
    form: BTreeMap<String, String>,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let p = ctx.require_user()?;
    let cycles = store::cycles(&st.app.db, org).await?;
    let year = year
        .or(cycles.first().map(|c| c.fiscal_year + 1))
        .unwrap_or(2026);
    let depts = crate::accounts::departments::list(&st.app.db, org).await?;
    let own: Vec<i64> = depts
        .iter()
        .filter(|d| crate::policy::can_edit_department_data(p, d.id))
        .map(|d| d.id)
        .collect();
    let hq = p.is_reform_hq();
    let all_codes = codes::all(&st.app.db, org).await?;
    let list = frames::for_year(&st.app.db, org, year, if hq { None } else { Some(&own) }).await?;
    let money = |v: i64| fmt_num(v as f64);
    let outlook = crate::finance::outlook::store::for_year(&st.app.db, org, year)
        .await?
        .map(|(id, made_in, rows)| {
            let heading = t.f("outlook.for_frames", &[&fy(t, made_in), &fy(t, year)]);
            let rows = rows
                .into_iter()
                .map(|(l, v)| (l, money(v / 1000)))
                .collect();
            (id, heading, rows)
        });
    let frames = list
        .iter()
        .map(|f| FrameView {
            department_id: f.department_id,
            name: department_name(&depts, f.department_id, t.lang),
            frame: f.frame.map(money).unwrap_or_else(|| "—".into()),
            frame_raw: f.frame.map(|v| v.to_string()).unwrap_or_default(),
            requested: money(f.requested()),
            current: money(f.current()),
            margin: f.margin().map(money).unwrap_or_else(|| "—".into()),
            over: f.margin().is_some_and(|m| m < 0),
            requests: f
                .requests
                .iter()
                .map(|r| {
                    (
                        r.programme_id,
                        r.code.clone(),
                        r.name.clone(),
                        money(r.current),
                        money(r.general),
                        money(r.general - r.current),
                        if r.direction.is_empty() {
                            "—".into()
                        } else {
                            codes::label(&all_codes, codes::EVAL_DIRECTION, &r.direction, t.lang)
                                .to_string()
                        },
                        t.t(r.stage.sheet_key()).to_string(),
                    )
                })
                .collect(),
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "eval.frames_title").with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    let page = FramesPage {
        s,
        year,
        year_label: fy(t, year),
        years: cycles
            .iter()
            .map(|c| (c.fiscal_year + 1, fy(t, c.fiscal_year + 1)))
            .collect(),
        frames,
        hq,
        all_departments: depts
            .iter()
            .map(|d| (d.id, department_name(&depts, d.id, t.lang)))
            .collect(),
        form,
        outlook,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn frames_view(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<FrameQuery>,
) -> AppResult<Response> {
    frames_page(
        &st,
        &ctx,
        q.year.parse().ok(),
        BTreeMap::new(),
        FieldErrors::default(),
        None,
    )
    .await
}

/// HQ: sets a department's frame (fields `year`, `department`, `frame-<department>`).
pub async fn set_frame(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let (Ok(year), Ok(dept)) = (get("year").parse::<i64>(), get("department").parse::<i64>())
    else {
        return Err(AppError::BadRequest("error.bad_form"));
    };
    match frames::set(
        &st.app,
        ctx.org_id(),
        p.user_id,
        dept,
        year,
        &get(&format!("frame-{dept}")),
    )
    .await
    {
        Ok(()) => Ok(see_other(
            &st,
            &format!("/staff/evaluation/frames?year={year}"),
            "eval.frame_saved",
        )),
        Err(AppError::Invalid(errs)) => frames_page(&st, &ctx, Some(year), f, errs, None).await,
        Err(e) => Err(e),
    }
}
