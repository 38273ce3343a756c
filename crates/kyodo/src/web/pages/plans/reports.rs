//! Writing and reviewing progress reports (進捗状況報告): the department's editor with its version
//! history, the reform HQ's review actions, and the staff work list of reports by period.

use crate::codes::{self, PROGRESS, RATING};
use crate::error::{AppError, AppResult};
use crate::plans::reports::{self, Event, Report, ReportStatus, Step, Version};
use crate::plans::store;
use crate::plans::view::PlanData;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::format::fy;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub fn step_key(action: &str) -> &'static str {
    match action {
        "save" => "report.step_save",
        "submit" => "report.step_submit",
        "confirm" => "report.step_confirm",
        "return" => "report.step_return",
        "approve" => "report.step_approve",
        _ => "report.step_publish",
    }
}

/// An actual-value field: form name, label, current value.
pub struct ActualField {
    pub name: String,
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "plans/report.html")]
struct EditorPage<'a> {
    s: Shell<'a>,
    node: store::Node,
    periods: Vec<(i64, String, &'static str)>,
    period_id: i64,
    period_label: String,
    due: String,
    status: &'static str,
    progress: Vec<(String, String)>,
    ratings: Vec<(String, String)>,
    content: Version,
    actual_fields: Vec<ActualField>,
    versions: Vec<Version>,
    events: Vec<Event>,
    /// Older versions or events exist beyond those shown.
    older_history: bool,
    /// The review steps the viewer can take now: (action, button label).
    review_steps: Vec<(&'static str, &'static str)>,
    /// Submitted and waiting for the department's 所属長, who is not the viewer.
    awaiting_manager: bool,
    /// The review section's heading: the 所属長's or the HQ's.
    review_title: &'static str,
    editable: bool,
    attachments: Vec<crate::plans::attachments::Attachment>,
}

impl EditorPage<'_> {
    fn when(&self, stored: &str) -> String {
        self.s.t.datetime(stored)
    }
    fn step_key(&self, s: &str) -> &'static str {
        step_key(s)
    }
    fn selected(&self, a: &i64, b: &i64) -> bool {
        a == b
    }
    /// The Do / Check / Act fields: (name, label, value).
    fn texts(&self) -> [(&'static str, &str, &str); 3] {
        let t = self.s.t;
        [
            ("did", t.t("report.did"), self.content.did.as_str()),
            (
                "evaluation",
                t.t("report.evaluation"),
                self.content.evaluation.as_str(),
            ),
            (
                "next_steps",
                t.t("report.next_steps"),
                self.content.next_steps.as_str(),
            ),
        ]
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PeriodQuery {
    period: String,
    /// `all`: the whole history of versions and events.
    history: String,
}

/// The button label of a review step.
fn review_label(step: Step) -> &'static str {
    match step {
        Step::Confirm => "report.confirm",
        Step::Return => "report.return",
        Step::Approve => "report.approve",
        _ => "report.publish",
    }
}

pub(super) struct Loaded {
    pub(super) data: std::sync::Arc<PlanData>,
    pub(super) node: store::Node,
    pub(super) period: store::Period,
    /// Show every version and event, not only the newest [`HISTORY_ROWS`].
    pub(super) whole_history: bool,
}

/// Versions and events the editor shows unless asked for the whole history.
const HISTORY_ROWS: i64 = 30;

/// Loads the item and period and checks that the principal may write its reports.
pub(super) async fn load(st: &WebState, ctx: &Ctx, id: i64, period: &str) -> AppResult<Loaded> {
    let org = ctx.org_id();
    let p = ctx.require_user()?;
    let plan_id = crate::plans::store::plan_of_node(&st.app.db, org, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let data = st
        .snapshots
        .plan(&st.cache, &st.app.db, org, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let node = data.node(id).cloned().ok_or(AppError::NotFound)?;
    let depts: Vec<i64> = data.department_ids(id).collect();
    if !crate::policy::can_write_report(p, &depts) {
        return Err(AppError::Forbidden);
    }
    let period = if period.trim().is_empty() {
        // The first period whose report is not published yet, else the last one.
        data.periods
            .iter()
            .find(|p| {
                !data
                    .reports
                    .iter()
                    .any(|r| r.node_id == id && r.fiscal_year == p.fiscal_year)
            })
            .or(data.periods.last())
    } else {
        let pid: i64 = period
            .trim()
            .parse()
            .map_err(|_| AppError::BadRequest("error.bad_query"))?;
        data.periods.iter().find(|p| p.id == pid)
    };
    let period = period.cloned().ok_or(AppError::NotFound)?;
    Ok(Loaded {
        data,
        node,
        period,
        whole_history: false,
    })
}

pub(super) async fn editor(
    st: &WebState,
    ctx: &Ctx,
    l: Loaded,
    entered: Option<Version>,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    // Two rounds of concurrent queries: what the report is, then its history and files.
    let (report, all_reports, manager_step): (Option<Report>, _, _) = tokio::try_join!(
        reports::find(db, org, l.node.id, l.period.id),
        store::report_statuses(db, org, Some(l.node.id)),
        crate::accounts::approval::required(db, org),
    )?;
    // One row more than shown tells whether there is older history.
    let limit = (!l.whole_history).then_some(HISTORY_ROWS + 1);
    let (mut versions, mut events, attachments) = match &report {
        Some(r) => tokio::try_join!(
            reports::versions(db, org, r.id, limit),
            reports::events(db, org, r.id, limit),
            crate::plans::attachments::of_report(db, org, r.id),
        )?,
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let older_history = !l.whole_history
        && (versions.len() as i64 > HISTORY_ROWS || events.len() as i64 > HISTORY_ROWS);
    if !l.whole_history {
        versions.truncate(HISTORY_ROWS as usize);
        events.truncate(HISTORY_ROWS as usize);
    }
    let content = entered.unwrap_or_else(|| versions.first().cloned().unwrap_or_default());
    let actuals = content.actuals();
    let year = l.period.fiscal_year;
    let mut actual_fields = Vec::new();
    for ind in l.data.indicators_of(l.node.id) {
        let key = format!("indicator:{}", ind.id);
        let stored = l
            .data
            .values_of(ind.id)
            .find(|v| v.fiscal_year == year)
            .and_then(|v| v.actual);
        let value = actuals.get(&key).copied().or(stored);
        actual_fields.push(ActualField {
            name: format!("ind_{}", ind.id),
            label: format!("{}({}・{})", ind.name, ind.unit, t.t("report.actual_value")),
            value: value.map(crate::charts::fmt_num).unwrap_or_default(),
        });
    }
    for e in l
        .data
        .effects_of(l.node.id)
        .into_iter()
        .filter(|e| e.fiscal_year == year)
    {
        let key = format!("effect:{}", e.id);
        let value = actuals.get(&key).map(|v| *v as i64).or(e.actual);
        actual_fields.push(ActualField {
            name: format!("eff_{}", e.id),
            label: t.f(
                "report.effect_actual",
                &[
                    &l.data.label(codes::EFFECT_KIND, &e.kind, t.lang),
                    &l.data.label(codes::ACCOUNT, &e.account, t.lang),
                    &crate::charts::fmt_num(e.planned as f64),
                ],
            ),
            value: value.map(|v| v.to_string()).unwrap_or_default(),
        });
    }
    let raw_status = report.as_ref().map(|r| r.status);
    let editable = reports::next_status(raw_status, Step::Save, false).is_some();
    let departments: Vec<i64> = l.data.department_ids(l.node.id).collect();
    let steps = match ctx.principal.as_deref() {
        Some(p) => raw_status
            .map(|r| reports::review_steps(p, &departments, r, manager_step))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let awaiting_manager = manager_step
        && raw_status == Some(ReportStatus::Submitted)
        && !steps.contains(&Step::Confirm);
    let review_title = if steps.contains(&Step::Confirm) {
        "report.review_manager"
    } else {
        "report.review"
    };
    let review_steps = steps
        .into_iter()
        .map(|s| (s.name(), review_label(s)))
        .collect();
    let periods = l
        .data
        .periods
        .iter()
        .map(|p| {
            (
                p.id,
                p.label.clone(),
                ReportStatus::key(all_reports.iter().find(|r| r.1 == p.id).map(|r| r.2)),
            )
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "report.title").with_errors(errs);
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    let page = EditorPage {
        review_steps,
        review_title,
        awaiting_manager,
        periods,
        period_id: l.period.id,
        period_label: format!("{}({})", l.period.label, fy(t, l.period.fiscal_year)),
        due: chrono::NaiveDate::parse_from_str(&l.period.due_on, "%Y-%m-%d")
            .map(|d| t.date(d))
            .unwrap_or(l.period.due_on.clone()),
        status: ReportStatus::key(raw_status),
        progress: codes::of_list(&l.data.codes, PROGRESS)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect(),
        ratings: codes::of_list(&l.data.codes, RATING)
            .map(|c| (c.code.clone(), c.label(t.lang).to_string()))
            .collect(),
        content,
        actual_fields,
        versions,
        events,
        older_history,
        editable,
        attachments,
        node: l.node,
        s,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn edit(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<PeriodQuery>,
) -> AppResult<Response> {
    let mut l = load(&st, &ctx, id, &q.period).await?;
    l.whole_history = q.history == "all";
    editor(&st, &ctx, l, None, FieldErrors::default(), None).await
}
