//! 外部有識者 in the API: the register and the published comments, exactly as the public page
//! shows them (a name the adviser did not agree to publish stays 匿名; accounts never appear).

use crate::error::AppResult;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::pages::advisers::hq::register_rows;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub async fn register(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let t = ctx.tr();
    let (advisers, comments) = register_rows(st.reader(&ctx), t, ctx.org_id(), true).await?;
    let advisers: Vec<Value> = advisers
        .iter()
        .map(|r| {
            json!({"name": r.a.publish_name.then_some(&r.a.name), "field": r.a.field,
                   "affiliation": r.a.affiliation, "term_start": r.a.term_start, "term_end": r.a.term_end,
                   "assigned": r.assigned, "is_demo": r.a.is_demo})
        })
        .collect();
    let comments: Vec<Value> = comments
        .iter()
        .map(|c| {
            json!({"adviser": c.adviser, "target": c.target, "body": c.c.body,
                   "published_at": c.c.published_at})
        })
        .collect();
    Ok(Json(json!({"advisers": advisers, "comments": comments})))
}
