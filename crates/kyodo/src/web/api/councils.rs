//! 審議会等 in the API: the register (each body with its members, women's share, 公募 members and
//! the department), a body with its current members as the public page shows them (a name the
//! body withheld stays withheld; gender, kana and people ids never appear), and a meeting with its
//! announcement and, once recorded, its minutes.

use crate::codes;
use crate::councils::recruitment::{self, Call};
use crate::councils::{bodies, meetings, members, register};
use crate::error::{AppError, AppResult};
use crate::participation::today;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::PathId;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub async fn list(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let reg = register::load(st.reader(&ctx), ctx.org_id(), today()).await?;
    let items: Vec<Value> = reg
        .bodies
        .iter()
        .map(|(b, f)| {
            json!({"id": b.id, "name": b.name, "kind": b.kind, "basis": b.basis, "purpose": b.purpose,
                   "department_id": b.department_id, "term_years": b.term_years,
                   "max_members": b.max_members, "meetings_public": b.meetings_public,
                   "members": f.members, "women": f.women, "women_rate_percent": f.women_rate,
                   "public_members": f.public_members, "no_public_reason": b.no_public_reason,
                   "is_demo": b.is_demo})
        })
        .collect();
    Ok(Json(json!({
        "bodies": items,
        "overall": {"members": reg.overall.members, "women": reg.overall.women,
                    "women_rate_percent": reg.overall.women_rate},
        "women_target_percent": {"overall": reg.rules.women_target_overall, "per_body": reg.rules.women_target_body},
    })))
}

pub async fn body(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let b = bodies::get(db, org, id).await?.ok_or(AppError::NotFound)?;
    let day = today().format("%Y-%m-%d").to_string();
    let (rows, all_codes, held, calls) = tokio::try_join!(
        members::current(db, org, id, &day),
        codes::all(db, org),
        meetings::of_body(db, org, id),
        recruitment::of_body(db, org, id),
    )?;
    let t = ctx.tr();
    let members: Vec<Value> = rows
        .iter()
        .map(|m| {
            json!({
                "name": m.name_public.then_some(&m.name),
                "occupation": m.name_public.then_some(&m.occupation),
                "category": codes::label(&all_codes, codes::COUNCIL_CATEGORY, &m.category, t.lang),
                "role": m.role, "appointed_on": m.appointed_on, "term_ends_on": m.term_ends_on,
            })
        })
        .collect();
    let meetings: Vec<Value> = held
        .iter()
        .map(|m| {
            json!({"id": m.id, "held_on": m.held_on, "starts_at": m.starts_at, "place": m.place,
                        "meeting": format!("/api/v1/councils/meetings/{}", m.id)})
        })
        .collect();
    Ok(Json(json!({
        "id": b.id, "name": b.name, "kind": b.kind, "basis": b.basis, "purpose": b.purpose,
        "department_id": b.department_id, "term_years": b.term_years, "max_members": b.max_members,
        "meetings_public": b.meetings_public, "is_demo": b.is_demo,
        "members": members, "meetings": meetings,
        "calls": calls.iter().map(|c| call_json(c, &day)).collect::<Vec<_>>(),
    })))
}

/// A 委員公募 call as its page shows it (applications are never listed).
fn call_json(c: &Call, today: &str) -> Value {
    json!({"id": c.id, "body_id": c.body_id, "conditions": c.conditions, "seats": c.seats,
           "opens_on": c.opens_on, "closes_on": c.closes_on, "open": c.is_open(today),
           "result": (!c.result.is_empty()).then_some(&c.result)})
}

pub async fn call(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let c = recruitment::get(st.reader(&ctx), ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(call_json(&c, &today().format("%Y-%m-%d").to_string())))
}

pub async fn meeting(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Json<Value>> {
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let m = meetings::get(db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let minutes = m.has_minutes().then(|| {
        json!({"attendees": m.attendees, "absentees": m.absentees, "observer_count": m.observer_count,
               "documents": m.documents, "result": m.result})
    });
    Ok(Json(json!({
        "id": m.id, "body_id": m.body_id, "held_on": m.held_on, "starts_at": m.starts_at,
        "place": m.place, "agenda": m.agenda, "is_public": m.is_public,
        "closed_reason": (!m.is_public).then_some(&m.closed_reason),
        "observer_capacity": m.capacity, "seats_left": m.seats_left(),
        "minutes": minutes,
    })))
}
