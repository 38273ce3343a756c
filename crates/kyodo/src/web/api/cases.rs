//! 窓口 in the API: the published 市民の声 and the city's answers (as `/cases/voices`, every
//! year, with a cursor), a year's counts; and a case's status and internal notes written by a
//! department's own case system (`write:cases`), checked as the case page's forms check them.

use super::paging::{self, PageQuery};
use crate::cases::{public, work};
use crate::error::{AppError, AppResult};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{JsonBody, PathId, QueryData};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VoicesQuery {
    /// A fiscal year (2025); every year when left out.
    fiscal_year: Option<i64>,
    cursor: Option<String>,
    limit: Option<usize>,
}

/// Published cases with the city's answers, oldest first; the cursor is a case's number.
pub async fn voices(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<VoicesQuery>,
) -> AppResult<Json<Value>> {
    let mut all = public::all_published(st.reader(&ctx), ctx.org_id()).await?;
    if let Some(fy) = q.fiscal_year {
        all.retain(|(y, _)| *y == fy);
    }
    let total = all.len();
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let (cases, next) = paging::page(all, |(_, c)| c.number.clone(), &page)?;
    let items: Vec<Value> = cases
        .into_iter()
        .map(|(fy, c)| {
            json!({"number": c.number, "fiscal_year": fy, "received_on": c.received_at.get(..10),
                   "type": c.type_name, "category": c.category, "department": c.department,
                   "text": c.public_text, "answer": c.public_answer})
        })
        .collect();
    Ok(Json(
        json!({"total": total, "cases": items, "next_cursor": next}),
    ))
}

#[derive(Deserialize)]
pub struct StatsQuery {
    fiscal_year: i64,
}

/// A fiscal year's counts, as on `/cases/voices`: received, answered, by month, category and
/// department, and the median days to an answer.
pub async fn stats(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<StatsQuery>,
) -> AppResult<Json<Value>> {
    if !(1989..=2200).contains(&q.fiscal_year) {
        return Err(AppError::BadRequest("error.bad_query"));
    }
    let s = public::stats(st.reader(&ctx), ctx.org_id(), q.fiscal_year).await?;
    let pairs = |v: &[(String, i64)]| -> Vec<Value> {
        v.iter()
            .map(|(k, n)| json!({"name": k, "count": n}))
            .collect()
    };
    Ok(Json(json!({
        "fiscal_year": q.fiscal_year, "received": s.total, "answered": s.answered,
        "by_month": pairs(&s.by_month), "by_category": pairs(&s.by_category),
        "by_department": pairs(&s.by_department), "median_days_to_answer": s.median_days,
    })))
}

#[derive(Deserialize)]
pub struct StatusBody {
    status: String,
    #[serde(default)]
    comment: String,
}

/// A case's status (受付確認中, 対応中, 完了, 不受理 — the codes of `cases::STAFF_SETS`).
pub async fn set_status(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    JsonBody(b): JsonBody<StatusBody>,
) -> AppResult<Json<Value>> {
    let p = ctx.require_user()?;
    work::change_status(
        &st.app,
        ctx.org_id(),
        p,
        &ctx.actor()?,
        id,
        &b.status,
        &b.comment,
    )
    .await?;
    Ok(Json(json!({"case_id": id, "status": b.status})))
}

#[derive(Deserialize)]
pub struct NoteBody {
    note: String,
}

/// An internal note on a case (never shown to the submitter).
pub async fn add_note(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    JsonBody(b): JsonBody<NoteBody>,
) -> AppResult<Json<Value>> {
    let p = ctx.require_user()?;
    work::note(&st.app, ctx.org_id(), p, &ctx.actor()?, id, &b.note).await?;
    Ok(Json(json!({"case_id": id, "noted": true})))
}

/// 手続一覧: every procedure with who may apply, documents, fee, way to apply, department and forms.
pub async fn procedures(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    use crate::web::pages::cases::catalogue;
    let rows = catalogue::procedure_rows(&st, &ctx).await?;
    Ok(Json(
        json!({ "procedures": super::objects(&catalogue::PROCEDURES_HEADER, &rows) }),
    ))
}

/// 民間提案の採否: decisions on private-sector proposals with their reasons.
pub async fn proposals(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    use crate::web::pages::cases::catalogue;
    let rows = catalogue::proposal_rows(&st, &ctx).await?;
    Ok(Json(
        json!({ "proposals": super::objects(&catalogue::PROPOSALS_HEADER, &rows) }),
    ))
}
