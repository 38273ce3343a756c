//! 行政評価 in the API: the published years and each year's programmes — the same rows as the
//! year's open-data CSV (built from the public sheet read, so no internal field can appear), as
//! objects keyed by the CSV's column names, in code order, a page at a time with a cursor.

use crate::error::{AppError, AppResult};
use crate::evaluation::year::YearData;
use crate::evaluation::{opendata, store};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The published evaluation years, newest first.
pub async fn years(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let mut cycles = store::cycles(st.reader(&ctx), ctx.org_id()).await?;
    cycles.retain(|c| c.published);
    cycles.sort_by_key(|c| std::cmp::Reverse(c.fiscal_year));
    let years: Vec<Value> = cycles
        .iter()
        .map(|c| {
            json!({"id": c.id, "fiscal_year": c.fiscal_year,
                   "programmes": format!("/api/v1/evaluation/years/{}/programmes", c.id),
                   "csv": format!("/evaluation/cycles/{}/programmes.csv", c.id)})
        })
        .collect();
    Ok(Json(json!({ "years": years })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    /// The code of the last programme of the previous page.
    cursor: Option<String>,
    /// Programmes per page, 1–500 (100).
    limit: Option<usize>,
}

/// A published year's programmes: costs, staff-years and verdicts, as in the CSV.
pub async fn programmes(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<PageQuery>,
) -> AppResult<Json<Value>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::BadRequest("error.bad_query"));
    }
    let cycle = store::cycle(st.reader(&ctx), ctx.org_id(), id)
        .await?
        .filter(|c| c.published)
        .ok_or(AppError::NotFound)?;
    let y = YearData::load(st.reader(&ctx), ctx.org_id(), cycle, true).await?;
    let header = opendata::header();
    let rows = y.open_data_rows();
    // Column 1 is the programme's code; rows come in code order.
    let after = q.cursor.unwrap_or_default();
    let page: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| after.is_empty() || r.get(1).is_some_and(|c| c.as_str() > after.as_str()))
        .take(limit + 1)
        .collect();
    let more = page.len() > limit;
    let items: Vec<Value> = page
        .iter()
        .take(limit)
        .map(|r| {
            let obj: Map<String, Value> = header
                .iter()
                .zip(r.iter())
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            Value::Object(obj)
        })
        .collect();
    let next = more
        .then(|| page.get(limit - 1).and_then(|r| r.get(1)).cloned())
        .flatten();
    Ok(Json(json!({
        "fiscal_year": y.cycle.fiscal_year,
        "total": rows.len(),
        "programmes": items,
        "next_cursor": next,
    })))
}
