//! The staff work list: every item the principal reports on, with each period's report status.

use crate::error::{AppError, AppResult};
use crate::plans::reports::ReportStatus;
use crate::plans::store;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::format::fy;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

/// A row of the staff work list.
pub struct WorkRow {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub departments: String,
    /// (period id, status key) per period
    pub cells: Vec<(i64, &'static str)>,
}

#[derive(Template)]
#[template(path = "plans/work.html")]
struct WorkPage<'a> {
    s: Shell<'a>,
    plans: Vec<(String, Vec<String>, Vec<WorkRow>)>,
}

/// Items the principal reports on, with each period's report status.
pub async fn work_list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Html<String>> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let p = ctx.require_user()?;
    let statuses = store::report_statuses(&st.app.db, org, None).await?;
    let mut plans = Vec::new();
    for plan in store::plans(&st.app.db, org).await? {
        let data = st
            .snapshots
            .plan(&st.cache, &st.app.db, org, plan.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let rows: Vec<WorkRow> = data
            .preorder()
            .into_iter()
            .filter(|n| n.trackable)
            .filter(|n| {
                crate::policy::can_write_report(p, &data.department_ids(n.id).collect::<Vec<_>>())
            })
            .map(|n| WorkRow {
                id: n.id,
                number: n.number.clone(),
                title: n.title.clone(),
                departments: data.department_names(n.id, t.lang),
                cells: data
                    .periods
                    .iter()
                    .map(|per| {
                        (
                            per.id,
                            ReportStatus::key(
                                statuses
                                    .iter()
                                    .find(|s| s.0 == n.id && s.1 == per.id)
                                    .map(|s| s.2),
                            ),
                        )
                    })
                    .collect(),
            })
            .collect();
        if !rows.is_empty() {
            plans.push((
                plan.title.clone(),
                data.periods.iter().map(|p| fy(t, p.fiscal_year)).collect(),
                rows,
            ));
        }
    }
    render(&WorkPage {
        s: Shell::new(&ctx, "report.work_title"),
        plans,
    })
}
