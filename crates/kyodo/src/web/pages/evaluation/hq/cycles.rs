//! The reform HQ's evaluation pages: evaluation years (create, schedule, publish), the progress of
//! every department with reminders, personnel unit costs, and the 施策 rollup with its direction.

use crate::charts::fmt_num;
use crate::codes;
use crate::error::{AppError, AppResult};
use crate::evaluation::cycles::{self, NewCycle};
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{self, Cycle};
use crate::evaluation::year::YearData;
use crate::evaluation::{rollup, settings, stages};
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
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

type Form = BTreeMap<String, String>;

#[derive(Template)]
#[template(path = "evaluation/hq.html")]
struct HqPage<'a> {
    s: Shell<'a>,
    cycles: Vec<(Cycle, String)>,
    committees: Vec<(i64, String)>,
    units: Vec<(String, String, String)>,
    categories: Vec<(String, String)>,
    form: Form,
}

impl HqPage<'_> {
    fn value(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
}

async fn hq_page(
    st: &WebState,
    ctx: &Ctx,
    form: Form,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let all_codes = codes::all(&st.app.db, org).await?;
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "eval.hq_title").with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    let page = HqPage {
        s,
        cycles: store::cycles(&st.app.db, org)
            .await?
            .into_iter()
            .map(|c| {
                let l = fy(t, c.fiscal_year);
                (c, l)
            })
            .collect(),
        committees: crate::accounts::organizations::committees(&st.app.db, org).await?,
        units: store::unit_costs(&st.app.db, org)
            .await?
            .into_iter()
            .map(|u| {
                (
                    fy(t, u.fiscal_year),
                    codes::label(&all_codes, codes::STAFF_CATEGORY, &u.category, t.lang)
                        .to_string(),
                    fmt_num(u.unit_cost as f64),
                )
            })
            .collect(),
        categories: codes::of_list(&all_codes, codes::STAFF_CATEGORY)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect(),
        form,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn index(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    hq_page(&st, &ctx, Form::new(), FieldErrors::default(), None).await
}

pub async fn create_cycle(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Form>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let committee = get("committee_id").parse::<i64>().ok();
    if let Some(c) = committee
        && !crate::accounts::organizations::committees(&st.app.db, ctx.org_id())
            .await?
            .iter()
            .any(|(id, _)| *id == c)
    {
        return Err(AppError::BadRequest("error.bad_form"));
    }
    let new = NewCycle {
        fiscal_year: get("fiscal_year"),
        committee_id: committee,
        sheets_due: get("sheets_due"),
        hearings_from: get("hearings_from"),
        hearings_to: get("hearings_to"),
        publish_on: get("publish_on"),
    };
    match cycles::create(
        &st.app,
        ctx.org_id(),
        &crate::audit::Actor::user(p.user_id),
        new,
    )
    .await
    {
        Ok(id) => Ok(see_other(
            &st,
            &format!("/hq/evaluation/cycles/{id}"),
            "notice.created",
        )),
        Err(AppError::Invalid(errs)) => hq_page(&st, &ctx, f, errs, None).await,
        Err(e) => Err(e),
    }
}

pub async fn unit_cost(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Form>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let all_codes = codes::all(&st.app.db, ctx.org_id()).await?;
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    match settings::set_unit_cost(
        &st.app,
        ctx.org_id(),
        p.user_id,
        &all_codes,
        get("year"),
        get("category"),
        get("unit_cost"),
    )
    .await
    {
        Ok(()) => Ok(see_other(&st, "/hq/evaluation", "eval.unit_cost_saved")),
        Err(AppError::Invalid(errs)) => hq_page(&st, &ctx, f, errs, None).await,
        Err(e) => Err(e),
    }
}

/// One sheet as listed on the cycle page: (sheet, code, name, department, stage, awaiting).
type SheetLine = (i64, String, String, String, String, String);

#[derive(Template)]
#[template(path = "evaluation/cycle.html")]
struct CyclePage<'a> {
    s: Shell<'a>,
    cycle: Cycle,
    year_label: String,
    schedule: Vec<(String, String)>,
    /// (department, total, drafts, submitted, at 二次, at 外部, final)
    progress: Vec<(String, [usize; 6])>,
    sheets: Vec<SheetLine>,
    measures: Vec<(i64, String, String, String, String, String)>,
    directions: Vec<(String, String)>,
    /// Set when publishing waits for the HQ to confirm that drafts go out without verdicts.
    confirm_drafts: Option<String>,
}

pub async fn cycle(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    cycle_page(&st, &ctx, id, FieldErrors::default(), None, None).await
}

pub(super) async fn cycle_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    errs: FieldErrors,
    notice: Option<&str>,
    confirm_drafts: Option<String>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let cycle = store::cycle(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let y = YearData::load(&st.app.db, org, cycle.clone(), false).await?;
    let manager_step = crate::accounts::approval::required(&st.app.db, org).await?;
    let date = |d: &str| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|d| t.date(d))
            .unwrap_or_else(|_| "—".into())
    };
    let schedule = vec![
        (t.t("eval.sheets_due").to_string(), date(&cycle.sheets_due)),
        (
            t.t("eval.hearings").to_string(),
            format!(
                "{} 〜 {}",
                date(&cycle.hearings_from),
                date(&cycle.hearings_to)
            ),
        ),
        (t.t("eval.publish_on").to_string(), date(&cycle.publish_on)),
    ];
    let progress = cycles::progress(&y.data.sheets, &y.programmes)
        .into_iter()
        .map(|d| {
            (
                y.department_name(d.department_id, t.lang),
                [
                    d.total,
                    d.at(Stage::Draft),
                    d.at(Stage::First),
                    d.at(Stage::Second),
                    d.at(Stage::External),
                    d.at(Stage::Final),
                ],
            )
        })
        .collect();
    let mut sheets: Vec<SheetLine> = y
        .data
        .sheets
        .iter()
        .filter_map(|s| {
            let p = y.programme(s.programme_id)?;
            let awaiting = stages::awaiting(s, manager_step)
                .map(|a| t.t(a.key()).to_string())
                .unwrap_or_default();
            Some((
                s.id,
                p.code.clone(),
                p.name.clone(),
                y.department_name(p.department_id, t.lang),
                t.t(s.stage.sheet_key()).to_string(),
                awaiting,
            ))
        })
        .collect();
    sheets.sort_by(|a, b| a.1.cmp(&b.1));
    let (inds, values) = store::indicators(&st.app.db, org, "policy", None).await?;
    let directions =
        crate::evaluation::settings::policy_directions(&st.app.db, org, cycle.fiscal_year).await?;
    let measures = rollup::measures(&rollup::Inputs {
        fiscal_year: cycle.fiscal_year,
        nodes: &y.nodes,
        programmes: &y.programmes,
        data: &y.data,
        indicators: &inds,
        values: &values,
        units: &y.units,
        codes: &y.codes,
        directions: &directions,
    })
    .into_iter()
    .map(|m| {
        (
            m.node.id,
            format!("{} {}", m.node.number, m.node.title),
            m.score
                .map(|s| format!("{s:.1}%"))
                .unwrap_or_else(|| "—".into()),
            m.band
                .as_ref()
                .map(|b| b.label(t.lang).to_string())
                .unwrap_or_else(|| "—".into()),
            fmt_num(m.total_cost as f64),
            m.direction.map(|(d, _)| d).unwrap_or_default(),
        )
    })
    .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "eval.cycle_title").with_errors(errs);
    if let Some(k) = notice {
        s = s.with_notice(k);
    }
    let page = CyclePage {
        s,
        year_label: fy(t, cycle.fiscal_year),
        schedule,
        progress,
        sheets,
        measures,
        directions: codes::of_list(&y.codes, codes::EVAL_DIRECTION)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect(),
        cycle,
        confirm_drafts,
    };
    Ok((status, render(&page)?).into_response())
}
