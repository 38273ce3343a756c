//! JSON API under `/api/v1`: the same route table, guard and policy as the pages; errors use the
//! envelope of `pages::errors::json`. State changes need the `X-CSRF-Token` header with a session,
//! or an API token (`Authorization: Bearer`, `accounts::api_tokens`) with the write's scope.

pub mod advisers;
pub mod cache;
pub mod cases;
pub mod ckan;
pub mod consultations;
pub mod councils;
pub mod dcat;
pub mod etag;
pub mod evaluation;
pub mod facilities;
pub mod finance;
pub mod idempotency;
pub mod minutes;
pub mod minutes_import;
pub mod minutes_meeting;
pub mod open311;
pub mod paging;
pub mod plans;
pub mod surveys;

use crate::accounts::{departments, roles, service, users};
use crate::audit::{self, AuditFilter};
use crate::error::{AppError, AppResult};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{JsonBody, QueryData};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

mod openapi;
mod openapi_shapes;
pub use openapi::{document, openapi};

/// A request refused because of its token (RFC 6750): 401 `invalid_token` or 403
/// `insufficient_scope` (naming the scope needed), in the API's error envelope.
pub fn token_refused(status: StatusCode, code: &str, message: &str) -> axum::response::Response {
    let challenge = format!("Bearer error=\"{code}\"");
    let mut res = (
        status,
        Json(json!({"error": {"code": code, "message": message, "fields": []}})),
    )
        .into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&challenge) {
        res.headers_mut()
            .insert(axum::http::header::WWW_AUTHENTICATE, v);
    }
    res
}

/// A JSON value as a form field would carry it: the API's writes go through the forms' checks,
/// so a number, a string and `null` (empty) are all read the way the form reads its text.
pub fn form_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Deserializes a field that is present (even as `null`) to `Some`, so "left out" and "cleared"
/// differ.
pub fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Open-data rows as objects keyed by their column names.
pub fn objects<H: AsRef<str>>(header: &[H], rows: &[Vec<String>]) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            Value::Object(
                header
                    .iter()
                    .zip(r)
                    .map(|(k, v)| (k.as_ref().to_string(), Value::String(v.clone())))
                    .collect(),
            )
        })
        .collect()
}

pub async fn organization(ctx: Ctx) -> Json<Value> {
    let o = &ctx.org;
    Json(json!({
        "lg_code": o.lg_code, "name": o.name, "name_en": o.name_en,
        "fiscal_year_start_month": o.fiscal_year_start_month,
    }))
}

pub async fn departments(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let tree = departments::tree(departments::list(&st.app.db, ctx.org_id()).await?);
    Ok(Json(json!({ "departments": tree })))
}

pub async fn me(ctx: Ctx) -> AppResult<Json<Value>> {
    let p = ctx.require_user()?;
    Ok(Json(json!({
        "id": p.user_id, "display_name": p.display_name, "kind": p.kind,
        "department_id": p.department_id, "roles": p.roles,
        "csrf_token": ctx.csrf_token(),
    })))
}

pub async fn users(State(st): State<WebState>, ctx: Ctx) -> AppResult<Json<Value>> {
    let org = ctx.org_id();
    let list = users::list(&st.app.db, org, None, 1000).await?;
    let grants = roles::all(&st.app.db, org).await?;
    let out: Vec<Value> = list
        .into_iter()
        .map(|u| {
            let r: Vec<_> = grants
                .iter()
                .filter(|(id, _)| *id == u.id)
                .map(|(_, r)| *r)
                .collect();
            json!({"id": u.id, "email": u.email, "display_name": u.display_name, "kind": u.kind,
                   "department_id": u.department_id, "email_verified": u.is_verified(),
                   "disabled": u.is_disabled(), "roles": r})
        })
        .collect();
    Ok(Json(json!({ "users": out })))
}

#[derive(Deserialize)]
pub struct NewDepartmentBody {
    code: String,
    name: String,
    #[serde(default)]
    name_en: String,
    level: String,
    parent_id: Option<i64>,
}

pub async fn create_department(
    State(st): State<WebState>,
    ctx: Ctx,
    JsonBody(b): JsonBody<NewDepartmentBody>,
) -> AppResult<impl IntoResponse> {
    let d = service::NewDepartment {
        parent_id: b.parent_id,
        code: &b.code,
        name: &b.name,
        name_en: &b.name_en,
        level: &b.level,
    };
    let id = service::create_department(&st.app, ctx.org_id(), &ctx.actor()?, d).await?;
    let created = departments::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(json!({ "department": created }))))
}

pub async fn audit(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(f): QueryData<AuditFilter>,
) -> AppResult<Json<Value>> {
    // Entries written in the last second are shown too.
    audit::seal(&st.app.db, &st.app.writes, ctx.org_id()).await?;
    let rows = audit::list(&st.app.db, ctx.org_id(), &f, 200).await?;
    Ok(Json(json!({ "entries": rows })))
}
