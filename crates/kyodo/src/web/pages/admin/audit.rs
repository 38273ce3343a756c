//! The audit log for administrators: filter, page through, export as CSV (streamed).

use crate::audit::{self, AuditFilter};
use crate::error::AppResult;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::QueryData;
use crate::web::shell::{Shell, render};
use askama::Template;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub struct Row {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    target: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage<'a> {
    s: Shell<'a>,
    rows: Vec<Row>,
    filter_action: String,
    filter_actor: String,
    filter_from: String,
    filter_to: String,
    query: String,
    next_page: Option<String>,
}

/// Dates must be `YYYY-MM-DD` (what `<input type=date>` sends); anything else is a field error.
fn check_dates(f: &mut AuditFilter) -> FieldErrors {
    let mut errs = FieldErrors::default();
    for (name, slot) in [("from", &mut f.from), ("to", &mut f.to)] {
        if let Some(v) = slot.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            match kyodo_jp::wareki::parse_date(v) {
                Ok(d) => *slot = Some(d.to_string()),
                Err(_) => {
                    errs.add(name, "field.bad_date");
                    *slot = None;
                }
            }
        }
    }
    errs
}

fn query_of(f: &AuditFilter) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("action", &f.action),
        ("actor", &f.actor),
        ("target_type", &f.target_type),
        ("from", &f.from),
        ("to", &f.to),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            q.append_pair(k, v);
        }
    }
    q.finish()
}

pub async fn list(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(mut f): QueryData<AuditFilter>,
) -> AppResult<Response> {
    let raw_from = f.from.clone().unwrap_or_default();
    let raw_to = f.to.clone().unwrap_or_default();
    let errs = check_dates(&mut f);
    let page_size = 50;
    // Entries written in the last second are shown too.
    audit::seal(&st.app.db, &st.app.writes, ctx.org_id()).await?;
    let entries = audit::list(&st.app.db, ctx.org_id(), &f, page_size).await?;
    let t = ctx.tr();
    let query = query_of(&f);
    let next_page = (entries.len() as i64 == page_size)
        .then(|| {
            entries
                .last()
                .map(|e| format!("/admin/audit?{query}&before={}", e.seq))
        })
        .flatten();
    let rows = entries
        .into_iter()
        .map(|e| Row {
            seq: e.seq,
            at: t.datetime(&e.at),
            actor: e.actor_label,
            action: e.action,
            target: format!("{} {}", e.target_type, e.target_id),
            before: e.before_json.unwrap_or_default(),
            after: e.after_json.unwrap_or_default(),
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AuditPage {
        s: Shell::new(&ctx, "admin.audit").with_errors(errs),
        rows,
        filter_action: f.action.clone().unwrap_or_default(),
        filter_actor: f.actor.clone().unwrap_or_default(),
        filter_from: f.from.clone().unwrap_or(raw_from),
        filter_to: f.to.clone().unwrap_or(raw_to),
        query,
        next_page,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn csv(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(mut f): QueryData<AuditFilter>,
) -> AppResult<Response> {
    check_dates(&mut f).into_result()?;
    f.before = None;
    // Entries written in the last second are shown too.
    audit::seal(&st.app.db, &st.app.writes, ctx.org_id()).await?;
    let stream = audit::stream_csv(st.app.db.clone(), ctx.org_id(), f);
    Ok(crate::web::download::download(
        crate::web::download::streamed(stream),
        "text/csv; charset=utf-8",
        "audit-log.csv".into(),
    ))
}
