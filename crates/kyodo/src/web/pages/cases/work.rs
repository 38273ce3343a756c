//! The staff's work list (/staff/cases): filters by department (own by default), assignee, status,
//! type and deadline; due and overdue counts; a bulk status change and the CSV of the list.

use crate::cases::store::{self, CaseType};
use crate::cases::worklist::{self, Filter, Row};
use crate::cases::{STAFF_SETS, work};
use crate::error::{AppError, AppResult};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, QueryData};
use crate::web::notice::{see_other, see_other_counted};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct WorkQuery {
    /// A department id, `all`, or empty for the reader's own.
    department: String,
    /// `me` for the reader's own cases.
    assignee: String,
    status: String,
    #[serde(rename = "type")]
    type_id: String,
    due: String,
    page: String,
}

#[derive(Template)]
#[template(path = "cases/work.html")]
struct WorkPage<'a> {
    s: Shell<'a>,
    q: WorkQuery,
    rows: Vec<(Row, String, bool)>,
    total: i64,
    departments: Vec<(i64, String)>,
    types: Vec<CaseType>,
    statuses: Vec<(String, String)>,
    staff_sets: Vec<(String, String)>,
    page: i64,
    has_next: bool,
    query: String,
}

fn parse_filter(ctx: &Ctx, q: &WorkQuery) -> AppResult<(Filter, i64)> {
    let p = ctx.require_user()?;
    let bad = || AppError::BadRequest("error.bad_query");
    let id = |raw: &str| -> AppResult<Option<i64>> {
        match raw.trim() {
            "" | "all" => Ok(None),
            v => v.parse().map(Some).map_err(|_| bad()),
        }
    };
    let department = match q.department.trim() {
        "" => p.department_id,
        v => id(v)?,
    };
    let status = q.status.trim();
    if !(status.is_empty() || status == "open" || is_status(status)) {
        return Err(bad());
    }
    if !matches!(q.due.as_str(), "" | "overdue" | "soon") {
        return Err(bad());
    }
    let page = match q.page.trim() {
        "" => 0,
        v => v
            .parse::<i64>()
            .ok()
            .filter(|p| (0..100_000).contains(p))
            .ok_or_else(bad)?,
    };
    Ok((
        Filter {
            department,
            assignee: (q.assignee == "me").then_some(p.user_id),
            status: status.to_string(),
            type_id: id(&q.type_id)?,
            due: q.due.clone(),
            include_restricted: p.keeps_restricted_records(),
        },
        page,
    ))
}

fn is_status(s: &str) -> bool {
    crate::cases::OPEN.contains(&s) || ["answered", "closed", "withdrawn", "rejected"].contains(&s)
}

pub async fn list(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(mut q): QueryData<WorkQuery>,
) -> AppResult<Response> {
    let (filter, page) = parse_filter(&ctx, &q)?;
    if q.department.is_empty() {
        q.department = filter
            .department
            .map(|d| d.to_string())
            .unwrap_or_else(|| "all".into());
    }
    let org = ctx.org_id();
    let today = crate::surveys::store::today();
    let ((rows, total), depts, types, codes) = tokio::try_join!(
        worklist::list(&st.app.db, org, &filter, &today, page),
        crate::accounts::departments::list(&st.app.db, org),
        store::types(&st.app.db, org),
        crate::codes::all(&st.app.db, org),
    )?;
    let p = ctx.require_user()?;
    let label = |s: &str| super::status_label(&ctx, &codes, s);
    let all_statuses = crate::cases::OPEN
        .iter()
        .chain(["answered", "closed", "withdrawn", "rejected"].iter());
    // Every part was checked above (numbers or known words), so the link needs no encoding.
    let query = format!(
        "department={}&assignee={}&status={}&type={}&due={}",
        q.department,
        if filter.assignee.is_some() { "me" } else { "" },
        filter.status,
        filter.type_id.map(|t| t.to_string()).unwrap_or_default(),
        filter.due
    );
    let page_view = WorkPage {
        s: Shell::new(&ctx, "case.work_title"),
        has_next: (page + 1) * worklist::PAGE < total,
        rows: rows
            .into_iter()
            .map(|r| {
                let overdue = crate::cases::is_open(&r.status) && r.due_on < today;
                let status = label(&r.status);
                (r, status, overdue)
            })
            .collect(),
        total,
        departments: depts.into_iter().map(|d| (d.id, d.name)).collect(),
        types: types
            .into_iter()
            .filter(|t| t.visible_to_staff(p))
            .collect(),
        statuses: all_statuses.map(|s| (s.to_string(), label(s))).collect(),
        staff_sets: STAFF_SETS
            .iter()
            .map(|s| (s.to_string(), label(s)))
            .collect(),
        page,
        query,
        q,
    };
    Ok(render(&page_view)?.into_response())
}

/// 一括変更: a status for every chosen case.
pub async fn bulk(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    // The chosen cases come as repeated `id` check boxes.
    let (mut status, mut ids) = (String::new(), Vec::new());
    for (k, v) in f {
        match k.as_str() {
            "status" => status = v,
            "id" => ids.push(
                v.parse()
                    .map_err(|_| AppError::BadRequest("error.bad_query"))?,
            ),
            _ => {}
        }
    }
    match work::change_many(&st.app, ctx.org_id(), p, &ids, &status).await {
        Ok(n) => Ok(see_other_counted(&st, "/staff/cases", "case.bulk_done", n)),
        Err(AppError::Invalid(_)) => Ok(see_other(&st, "/staff/cases", "case.bulk_none")),
        Err(e) => Err(e),
    }
}

/// The list as filtered, every row, as CSV through the one writer (status words as the city
/// words them).
pub async fn csv(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<WorkQuery>,
) -> AppResult<Response> {
    let (filter, _) = parse_filter(&ctx, &q)?;
    let org = ctx.org_id();
    let today = crate::surveys::store::today();
    let codes = crate::codes::all(&st.app.db, org).await?;
    // Status words in the reader's language, looked up once for the whole export.
    let labels: std::collections::HashMap<String, String> = crate::cases::STATUSES
        .iter()
        .map(|s| (s.to_string(), super::status_label(&ctx, &codes, s)))
        .collect();
    let header = [
        "整理番号",
        "種類",
        "件名",
        "種別",
        "状況",
        "担当課",
        "担当者",
        "受付日時",
        "回答期限",
    ];
    let mut first = crate::csv_writer::BOM.to_vec();
    first.extend(crate::csv_writer::line(&header));
    let head = futures_util::stream::once(async move { Ok(axum::body::Bytes::from(first)) });
    // Batches of 500 rows, each written as it arrives: memory stays flat however long the list.
    let rows = worklist::batches(st.app.db.clone(), org, filter, today, 500).map(move |batch| {
        let batch = batch.map_err(std::io::Error::other)?;
        let mut w = crate::csv_writer::Writer::plain();
        for r in batch {
            let status = labels.get(&r.status).cloned().unwrap_or(r.status);
            w.record(&[
                r.number,
                r.type_name,
                r.subject,
                r.category,
                status,
                r.department.unwrap_or_default(),
                r.assignee.unwrap_or_default(),
                r.received_at,
                r.due_on,
            ]);
        }
        Ok(axum::body::Bytes::from(w.into_bytes()))
    });
    Ok(crate::web::download::download(
        crate::web::download::streamed(head.chain(rows)),
        "text/csv; charset=utf-8",
        format!("{}_cases.csv", ctx.org.lg_code),
    ))
}
