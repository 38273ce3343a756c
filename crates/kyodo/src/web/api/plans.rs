//! Plans in the JSON API: the same open data as the CSV files, for programs; and an indicator's
//! yearly figures written by a system with a `write:indicators` token.

use crate::error::{AppError, AppResult};
use crate::plans::{figures, store};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{JsonBody, PathId};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

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

#[derive(Deserialize)]
pub struct IndicatorValuesBody {
    values: Vec<YearValues>,
}

/// One year's figures. A field left out keeps what is stored; `null` or `""` clears it.
#[derive(Deserialize)]
pub struct YearValues {
    fiscal_year: i64,
    #[serde(default, deserialize_with = "super::present")]
    target: Option<Value>,
    #[serde(default, deserialize_with = "super::present")]
    actual: Option<Value>,
}

/// An indicator's targets and actuals for the years sent (a statistics system's yearly push),
/// checked as the HQ's form checks them: fields `target_<year>` / `actual_<year>`.
pub async fn indicator_values(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    JsonBody(b): JsonBody<IndicatorValuesBody>,
) -> AppResult<Json<Value>> {
    let org = ctx.org_id();
    let (_, first, last) = store::indicator_scope(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let mut values = BTreeMap::new();
    let mut keep = figures::Kept::new();
    for v in &b.values {
        let y = v.fiscal_year;
        if !(first..=last).contains(&y) {
            errs.add(&format!("fiscal_year_{y}"), "import.year_outside_plan");
            continue;
        }
        let text = |x: &Option<Value>| x.as_ref().map(super::form_text).unwrap_or_default();
        values.insert(y, (text(&v.target), text(&v.actual)));
        keep.insert(y, (v.target.is_none(), v.actual.is_none()));
    }
    if b.values.is_empty() {
        errs.add("values", "field.required");
    }
    // Every problem at once: the form's own checks too, before anything is written.
    figures::check_indicator_values(&mut errs, &values);
    errs.into_result()?;
    figures::set_indicator_values(&st.app, org, &ctx.actor()?, id, &values, &keep).await?;
    let now = figures::values_of(&st.app.db, org, id).await?;
    Ok(Json(json!({ "indicator_id": id, "values": now })))
}
