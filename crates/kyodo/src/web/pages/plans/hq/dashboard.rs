//! The reform HQ's desk for plans: the progress dashboard (completion by department, ratings,
//! items behind schedule, fiscal effects by year and account, overdue and waiting reports),
//! comment moderation and responses to committee opinions.

use crate::charts::{self, Series};
use crate::codes::{self, RATING};
use crate::councils::opinions::{self, Opinion};
use crate::error::{AppError, AppResult};
use crate::plans::reports::ReportStatus::{self, Approved, Confirmed, Published, Submitted};
use crate::plans::store;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, QueryData};
use crate::web::format::{amount, fy, opt_amount};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeMap;

pub struct DeptRow {
    pub name: String,
    pub items: usize,
    pub submitted: usize,
    pub published: usize,
    pub percent: String,
}

/// A report needing attention: item, department, period, status key.
pub struct Pending {
    pub node_id: i64,
    pub period_id: i64,
    pub item: String,
    pub department: String,
    pub period: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "plans/dashboard.html")]
struct Dashboard<'a> {
    s: Shell<'a>,
    plan_id: i64,
    plan_title: String,
    periods: Vec<(i64, String)>,
    period_id: i64,
    period_label: String,
    depts: Vec<DeptRow>,
    completion_chart: String,
    ratings: Vec<(String, usize)>,
    rating_chart: String,
    behind: Vec<(i64, String, String, String)>,
    effect_accounts: Vec<String>,
    effect_rows: Vec<(String, Vec<(String, String)>)>,
    waiting: Vec<Pending>,
    overdue: Vec<Pending>,
    opinions: Vec<(String, String, Opinion)>,
    /// (request id, item, kind key, reason, what changes)
    changes: Vec<(i64, String, &'static str, String, String)>,
}

impl Dashboard<'_> {
    fn selected(&self, a: &i64) -> bool {
        *a == self.period_id
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DashQuery {
    period: String,
}

pub async fn dashboard(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<DashQuery>,
) -> AppResult<Response> {
    dashboard_page(&st, &ctx, id, &q.period, FieldErrors::default(), None).await
}

async fn dashboard_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    period: &str,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let data = st
        .snapshots
        .plan(&st.cache, &st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (statuses, opinions) = tokio::try_join!(
        store::report_statuses(&st.app.db, org, None),
        opinions::awaiting_response(&st.app.db, org)
    )?;
    let status_of = |node: i64, period: i64| {
        statuses
            .iter()
            .find(|s| s.0 == node && s.1 == period)
            .map(|s| s.2)
    };
    let items: Vec<&store::Node> = data
        .preorder()
        .into_iter()
        .filter(|n| n.trackable)
        .collect();
    let period = match period.trim() {
        "" => data
            .periods
            .iter()
            .find(|p| {
                items
                    .iter()
                    .any(|n| status_of(n.id, p.id) != Some(ReportStatus::Published))
            })
            .or(data.periods.last()),
        s => data
            .periods
            .iter()
            .find(|p| s.parse::<i64>().ok() == Some(p.id)),
    }
    .cloned()
    .ok_or(AppError::NotFound)?;
    // Completion by department.
    let mut depts: Vec<DeptRow> = Vec::new();
    for (dept_id, name) in data.all_departments(t.lang) {
        let mine: Vec<&&store::Node> = items
            .iter()
            .filter(|n| data.department_ids(n.id).any(|d| d == dept_id))
            .collect();
        let submitted = mine
            .iter()
            .filter(|n| {
                matches!(
                    status_of(n.id, period.id),
                    Some(Submitted | Confirmed | Approved | Published)
                )
            })
            .count();
        let published = mine
            .iter()
            .filter(|n| status_of(n.id, period.id) == Some(ReportStatus::Published))
            .count();
        let percent = if mine.is_empty() {
            0.0
        } else {
            submitted as f64 * 100.0 / mine.len() as f64
        };
        depts.push(DeptRow {
            name,
            items: mine.len(),
            submitted,
            published,
            percent: format!("{percent:.0}%"),
        });
    }
    let completion_chart = charts::bars(
        "completion",
        t.t("hq.completion_chart"),
        &depts.iter().map(|d| d.name.clone()).collect::<Vec<_>>(),
        &[
            Series {
                name: t.t("hq.items"),
                values: depts.iter().map(|d| Some(d.items as f64)).collect(),
            },
            Series {
                name: t.t("hq.submitted"),
                values: depts.iter().map(|d| Some(d.submitted as f64)).collect(),
            },
        ],
        t.t("hq.count_unit"),
    );
    // Ratings of the period's published reports.
    let period_reports: Vec<&store::PublishedReport> = data
        .reports
        .iter()
        .filter(|r| r.fiscal_year == period.fiscal_year)
        .collect();
    let ratings: Vec<(String, usize)> = codes::of_list(&data.codes, RATING)
        .map(|c| {
            (
                c.label(t.lang).to_string(),
                period_reports.iter().filter(|r| r.rating == c.code).count(),
            )
        })
        .collect();
    let rating_chart = charts::bars(
        "ratings",
        t.t("hq.rating_chart"),
        &ratings.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        &[Series {
            name: t.t("hq.reports"),
            values: ratings.iter().map(|r| Some(r.1 as f64)).collect(),
        }],
        t.t("hq.count_unit"),
    );
    let behind = items
        .iter()
        .filter_map(|n| {
            let r = data.latest_report(n.id, Some(period.fiscal_year))?;
            codes::is_behind(&data.codes, &r.rating).then(|| {
                (
                    n.id,
                    format!("{} {}", n.number, n.title),
                    data.department_names(n.id, t.lang),
                    format!(
                        "{}({})",
                        data.label(RATING, &r.rating, t.lang),
                        fy(t, r.fiscal_year)
                    ),
                )
            })
        })
        .collect();
    // Fiscal effects (single-year basis) by year and account.
    let accounts: Vec<&codes::Code> = codes::of_list(&data.codes, codes::ACCOUNT).collect();
    let mut sums: BTreeMap<(i64, &str), (i64, Option<i64>)> = BTreeMap::new();
    for e in &data.effects {
        let s = sums.entry((e.fiscal_year, e.account.as_str())).or_default();
        s.0 += e.planned;
        if let Some(a) = e.actual {
            s.1 = Some(s.1.unwrap_or(0) + a);
        }
    }
    let effect_rows = data
        .years()
        .map(|y| {
            (
                fy(t, y),
                accounts
                    .iter()
                    .map(|a| {
                        sums.get(&(y, a.code.as_str()))
                            .map(|(p, ac)| (amount(*p), opt_amount(*ac)))
                            .unwrap_or(("0".into(), "—".into()))
                    })
                    .collect(),
            )
        })
        .collect();
    let today = chrono::Utc::now().date_naive().to_string();
    let pending = |node: &store::Node, p: &store::Period, status: Option<ReportStatus>| Pending {
        node_id: node.id,
        period_id: p.id,
        item: format!("{} {}", node.number, node.title),
        department: data.department_names(node.id, t.lang),
        period: p.label.clone(),
        status: ReportStatus::key(status),
    };
    let mut waiting = Vec::new();
    let mut overdue = Vec::new();
    for p in &data.periods {
        for n in &items {
            let s = status_of(n.id, p.id);
            if matches!(s, Some(Submitted | Confirmed | Approved)) {
                waiting.push(pending(n, p, s));
            } else if p.due_on < today && s != Some(ReportStatus::Published) {
                overdue.push(pending(n, p, s));
            }
        }
    }
    let period_label = |pid: i64| {
        data.periods
            .iter()
            .find(|p| p.id == pid)
            .map(|p| p.label.clone())
            .unwrap_or_default()
    };
    // This plan's opinions: on the plan itself and on its items (the rest: `/hq/opinions`).
    let opinions = opinions
        .into_iter()
        .filter_map(|o| match o.subject.as_str() {
            "plan" if o.subject_id == data.plan.id => {
                Some((data.plan.title.clone(), String::new(), o))
            }
            "item" => data.node(o.subject_id).map(|n| {
                (
                    format!("{} {}", n.number, n.title),
                    period_label(o.period_id.unwrap_or_default()),
                    o,
                )
            }),
            _ => None,
        })
        .collect();
    let changes = crate::plans::changes::pending(&st.app.db, org)
        .await?
        .into_iter()
        .filter_map(|r| {
            let n = data.node(r.node_id)?;
            let what = crate::web::pages::plans::changes::summary(t, &data, &r);
            Some((
                r.id,
                format!("{} {}", n.number, n.title),
                crate::web::pages::plans::changes::kind_key(&r.kind),
                r.reason.clone(),
                what,
            ))
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut s = Shell::new(ctx, "hq.dashboard").with_errors(errs);
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    let page = Dashboard {
        s,
        plan_id: id,
        plan_title: data.plan.title.clone(),
        periods: data
            .periods
            .iter()
            .map(|p| (p.id, p.label.clone()))
            .collect(),
        period_id: period.id,
        period_label: period.label.clone(),
        depts,
        completion_chart,
        ratings,
        rating_chart,
        behind,
        effect_accounts: accounts
            .iter()
            .map(|a| a.label(t.lang).to_string())
            .collect(),
        effect_rows,
        waiting,
        overdue,
        opinions,
        changes,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResponseForm {
    response: String,
    plan: String,
}

/// The city's response to a committee opinion; both are then published.
pub async fn respond(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ResponseForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let plan: Option<i64> = f.plan.trim().parse().ok();
    match opinions::respond(&st.app, ctx.org_id(), p.user_id, id, &f.response).await {
        Ok(()) => Ok(see_other(
            &st,
            &plan.map_or_else(|| "/hq/opinions".into(), |p| format!("/hq/plans/{p}")),
            "notice.saved",
        )),
        Err(AppError::Invalid(errs)) => match plan {
            Some(plan) => dashboard_page(&st, &ctx, plan, "", errs, None).await,
            // The list of every subject names each response field by its opinion.
            None => {
                let mut errs = errs;
                for e in &mut errs.0 {
                    e.field = format!("response-{id}");
                }
                crate::web::pages::councils::opinions::hq_list(&st, &ctx, errs).await
            }
        },
        Err(e) => Err(e),
    }
}
