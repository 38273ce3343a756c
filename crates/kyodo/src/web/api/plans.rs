//! Plans in the JSON API: the same open data as the CSV files, for programs.

use crate::error::AppResult;
use crate::plans::store;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let mut plans = store::plans(&st.app.db, ctx.org_id()).await?;
    plans.retain(|p| crate::policy::can_see_plan(ctx.principal.as_deref(), &p.status));
    Ok(Json(json!({ "plans": plans })))
}

/// The whole plan: nodes with departments and schedules, indicators with values, fiscal effects,
/// published reports and citizens' rating counts. Unpublished drafts never appear here.
pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let d = crate::web::pages::plans::tree::load_visible(&st, &ctx, id).await?;
    let nodes: Vec<Value> = d
        .preorder()
        .into_iter()
        .map(|n| {
            json!({
                "id": n.id, "parent_id": n.parent_id, "depth": n.depth, "number": n.number, "seed_ref": n.seed_ref,
                "title": n.title, "body": n.body, "issues": n.issues, "trackable": n.trackable,
                "departments": d.departments.iter().filter(|x| x.0 == n.id).map(|x| json!({"id": x.1, "name": x.2, "name_en": x.3})).collect::<Vec<_>>(),
                "schedule": d.schedule.iter().filter(|s| s.0 == n.id).map(|s| json!({"fiscal_year": s.1, "step": s.2})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let indicators: Vec<Value> = d
        .indicators
        .iter()
        .map(|i| json!({ "indicator": i, "values": d.values_of(i.id).collect::<Vec<_>>() }))
        .collect();
    let ratings: Vec<Value> = d
        .ratings
        .iter()
        .map(|r| json!({"node_id": r.0, "fiscal_year": r.1, "score": r.2, "count": r.3}))
        .collect();
    Ok(Json(json!({
        "plan": d.plan,
        "codes": d.codes,
        "nodes": nodes,
        "indicators": indicators,
        "fiscal_effects": d.effects,
        "periods": d.periods,
        "reports": d.reports,
        "citizen_ratings": ratings,
    })))
}
