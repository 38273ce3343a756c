//! 意見公募 in the API: consultations by phase, one with its draft by section and documents, and
//! a published result (意見の概要と市の考え方 — the same document as `/consultations/{id}/result.json`).
//! Opinions themselves are never listed: the result carries them as the city summarised them.

use crate::error::{AppError, AppResult};
use crate::files::documents::{self, Document, Owner};
use crate::participation::consultations::{self as store, Consultation};
use crate::participation::{result, today};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

fn phase_code(c: &Consultation) -> &'static str {
    match c.phase(today()) {
        store::Phase::Upcoming => "upcoming",
        store::Phase::Open => "open",
        store::Phase::Closed => "closed",
        store::Phase::Published => "published",
    }
}

fn summary(c: &Consultation) -> Value {
    let published = c.result_state == "published";
    json!({"id": c.id, "title": c.title, "summary": c.summary, "phase": phase_code(c),
           "department_id": c.department_id, "basis": c.basis,
           "starts_on": c.starts_on, "ends_on": c.ends_on, "opinions_received": c.opinions,
           "plan_item_id": c.plan_item_id, "policy_node_id": c.policy_node_id, "is_demo": c.is_demo,
           "result": published.then(|| format!("/api/v1/consultations/{}/result", c.id)),
           "result_published_at": c.result_published_at})
}

fn document(d: &Document) -> Value {
    json!({"id": d.id, "title": d.title, "filename": d.filename, "content_type": d.content_type,
           "size_bytes": d.size_bytes, "path": format!("/documents/{}", d.id)})
}

/// Every consultation, newest period first, with its phase.
pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let all = store::list(st.reader(&ctx), ctx.org_id()).await?;
    let items: Vec<Value> = all.iter().map(summary).collect();
    Ok(Json(json!({ "consultations": items })))
}

/// A consultation with its draft by section (the revised text once the result is published) and
/// its documents.
pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let c = store::get(db, org, id).await?.ok_or(AppError::NotFound)?;
    let (sections, docs) = tokio::try_join!(
        store::sections(db, org, id),
        documents::of_owner(db, org, Owner::Consultation(id)),
    )?;
    let published = c.result_state == "published";
    let sections: Vec<Value> = sections
        .iter()
        .map(|s| {
            json!({"number": s.number, "heading": s.heading, "body": s.body,
                   "revised_body": if published { s.revised_body.clone() } else { None }})
        })
        .collect();
    let mut out = summary(&c);
    out["sections"] = json!(sections);
    out["documents"] = json!(docs.iter().map(document).collect::<Vec<_>>());
    Ok(Json(out))
}

/// A published result.
pub async fn result(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let db = st.reader(&ctx);
    let c = store::get(db, ctx.org_id(), id)
        .await?
        .filter(|c| c.result_state == "published")
        .ok_or(AppError::NotFound)?;
    let doc = result::load(db, ctx.org_id(), c).await?;
    Ok(Json(
        serde_json::to_value(doc).map_err(|e| AppError::Internal(e.into()))?,
    ))
}
