//! 予算・決算 and the other finance pages in the API. Each answer carries the same rows as the
//! page's open-data CSV (built by the same function), as objects keyed by the CSV's column names,
//! so the API, the CSV and the catalogue never disagree: editions and their lines (with a cursor),
//! the 財務書類 sets, the 財政指標, the 中期財政見通し, and the 入札・契約 results with every bid.

use super::paging::{self, PageQuery};
use crate::error::{AppError, AppResult};
use crate::finance::{bids, outlook, statements, store};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::pages::finance as pages;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

/// Budget and settlement editions, newest year first.
pub async fn editions(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let list: Vec<Value> = store::editions(st.reader(&ctx), ctx.org_id())
        .await?
        .into_iter()
        .map(|e| {
            json!({"id": e.id, "fiscal_year": e.fiscal_year, "account": e.account, "edition": e.edition,
                   "is_settlement": e.is_settlement, "is_demo": e.is_demo,
                   "lines": format!("/api/v1/finance/editions/{}/lines", e.id)})
        })
        .collect();
    Ok(Json(json!({ "editions": list })))
}

/// An edition's lines (款・項・目・節, 性質, 円), in the CSV's order; the cursor is a line's
/// position.
pub async fn lines(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<PageQuery>,
) -> AppResult<Json<Value>> {
    let (e, rows) = pages::public::lines_rows(st.reader(&ctx), ctx.org_id(), id).await?;
    let total = rows.len();
    let numbered: Vec<(usize, Vec<String>)> = rows.into_iter().enumerate().collect();
    let (page, next) = paging::page(numbered, |(i, _)| i.to_string(), &q)?;
    let rows: Vec<Vec<String>> = page.into_iter().map(|(_, r)| r).collect();
    Ok(Json(json!({
        "edition": {"id": e.id, "fiscal_year": e.fiscal_year, "account": e.account, "edition": e.edition},
        "total": total, "lines": super::objects(&pages::public::LINES_HEADER, &rows), "next_cursor": next,
    })))
}

/// The 財務書類 sets, each with its lines in the import layout.
pub async fn statement_sets(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let list: Vec<Value> = statements::store::sets(st.reader(&ctx), ctx.org_id())
        .await?
        .into_iter()
        .map(|s| {
            json!({"id": s.id, "fiscal_year": s.fiscal_year, "scope": s.scope, "is_demo": s.is_demo,
                   "lines": format!("/api/v1/finance/statements/{}", s.id)})
        })
        .collect();
    Ok(Json(json!({ "sets": list })))
}

pub async fn statement_set(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let set = statements::store::sets(db, org)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    let lines = statements::store::lines(db, org, id).await?;
    let rows = statements::file::rows(set.fiscal_year, &set.scope, &lines);
    Ok(Json(json!({
        "id": set.id, "fiscal_year": set.fiscal_year, "scope": set.scope,
        "lines": super::objects(&statements::file::LAYOUT, &rows),
    })))
}

/// Every year's 財政指標, computed or entered.
pub async fn indicators(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let rows = pages::indicators::rows(st.reader(&ctx), ctx.org_id(), ctx.tr()).await?;
    Ok(Json(
        json!({ "values": super::objects(&pages::indicators::HEADER, &rows) }),
    ))
}

/// The 中期財政見通し editions.
pub async fn outlooks(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let list: Vec<Value> = outlook::store::editions(st.reader(&ctx), ctx.org_id())
        .await?
        .into_iter()
        .map(|e| {
            json!({"id": e.id, "made_in": e.made_in, "title": e.title, "is_demo": e.is_demo,
                   "table": format!("/api/v1/finance/outlook/{}", e.id)})
        })
        .collect();
    Ok(Json(json!({ "editions": list })))
}

pub async fn outlook(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let (e, rows) = pages::outlook::rows(st.reader(&ctx), ctx.org_id(), id).await?;
    Ok(Json(json!({
        "id": e.id, "made_in": e.made_in, "title": e.title,
        "rows": super::objects(&pages::outlook::HEADER, &rows),
    })))
}

/// The tender list's filters (as on `/finance/bids`) and the page.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TendersQuery {
    year: String,
    kind: String,
    method: String,
    q: String,
    cursor: Option<String>,
    limit: Option<usize>,
}

/// Tender results in the CSV's order, filtered as the page filters; the cursor is a tender's id.
pub async fn tenders(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<TendersQuery>,
) -> AppResult<Json<Value>> {
    let filter = pages::bids::filter(&q.year, &q.kind, &q.method, &q.q)?;
    let all = bids::store::matching(st.reader(&ctx), ctx.org_id(), &filter).await?;
    let total = all.len();
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let (page, next) = paging::page(all, |b| b.id.to_string(), &page)?;
    let items: Vec<Value> = page
        .into_iter()
        .map(|b| {
            let id = b.id;
            let mut v = super::objects(&pages::bids::HEADER, &[pages::bids::row(b)])
                .pop()
                .unwrap_or_default();
            v["id"] = json!(id);
            v
        })
        .collect();
    Ok(Json(
        json!({"total": total, "tenders": items, "next_cursor": next}),
    ))
}

/// A tender with every bid (bidder, amount or 辞退, result).
pub async fn tender(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let (bid, entries) = bids::store::one(st.reader(&ctx), ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut v = super::objects(&pages::bids::HEADER, &[pages::bids::row(bid)])
        .pop()
        .unwrap_or_default();
    v["id"] = json!(id);
    v["bids"] = json!(entries
        .into_iter()
        .map(|(bidder, amount, result)| json!({"bidder": bidder, "amount_yen": amount, "result": result}))
        .collect::<Vec<_>>());
    Ok(Json(v))
}
