//! Open311 GeoReport v2 at `/api/open311/v2/…`, in JSON and XML: `services`, `services/{code}`,
//! `requests` (GET with its filters, POST with the client's `api_key`), `requests/{id}` and
//! `tokens/{id}`. Errors are Open311's list of `{code, description}`. A POST is authenticated by
//! its `api_key` alone (no cookies are read), which is why these paths skip the CSRF check.

use crate::cases::open311::{self, Attribute, Filter, Request};
use crate::cases::store::CaseType;
use crate::error::{AppError, AppResult};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathName, QueryData};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

type Params = Vec<(String, String)>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// `foo.json` → (`foo`, JSON); `foo.xml` → XML; no extension → JSON.
fn split(name: &str) -> (&str, Format) {
    if let Some(n) = name.strip_suffix(".xml") {
        (n, Format::Xml)
    } else {
        (name.strip_suffix(".json").unwrap_or(name), Format::Json)
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A JSON value as Open311's XML: arrays of objects become repeated `item` elements.
fn xml_of(name: &str, v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            out.push_str(&format!("<{name}>"));
            let item = match name {
                "services" => "service",
                "service_requests" => "request",
                "errors" => "error",
                "attributes" => "attribute",
                "values" => "value",
                _ => "item",
            };
            for i in items {
                xml_of(item, i, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Object(map) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in map {
                xml_of(k, v, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", esc(s))),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

fn answer(status: StatusCode, format: Format, root: &str, v: Value) -> Response {
    match format {
        Format::Json => (status, axum::Json(v)).into_response(),
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            xml_of(root, &v, &mut out);
            (
                status,
                [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                out,
            )
                .into_response()
        }
    }
}

fn error(status: StatusCode, format: Format, description: &str) -> Response {
    answer(
        status,
        format,
        "errors",
        json!([{ "code": status.as_u16(), "description": description }]),
    )
}

fn service_json(t: &CaseType) -> Value {
    json!({
        "service_code": t.id.to_string(),
        "service_name": t.name,
        "description": t.description,
        "metadata": t.form_survey_id.is_some(),
        "type": "realtime",
        "keywords": "",
        "group": t.code,
    })
}

async fn services(st: WebState, ctx: Ctx, format: Format) -> AppResult<Response> {
    let list = open311::services(st.reader(&ctx), ctx.org_id()).await?;
    Ok(answer(
        StatusCode::OK,
        format,
        "services",
        Value::Array(list.iter().map(service_json).collect()),
    ))
}

pub async fn services_json(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    services(st, ctx, Format::Json).await
}

pub async fn services_xml(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    services(st, ctx, Format::Xml).await
}

fn attribute_json(a: &Attribute) -> Value {
    json!({
        "variable": true,
        "code": a.code,
        "datatype": a.datatype,
        "required": a.required,
        "datatype_description": "",
        "order": a.order,
        "description": a.description,
        "values": a.values.iter().map(|(k, n)| json!({ "key": k, "name": n })).collect::<Vec<_>>(),
    })
}

/// A service's definition: its form's questions as attributes.
pub async fn service(
    State(st): State<WebState>,
    ctx: Ctx,
    PathName(name): PathName,
) -> AppResult<Response> {
    let (code, format) = split(&name);
    let Some(ty) = open311::service(&st.app.db, ctx.org_id(), code).await? else {
        return Ok(error(
            StatusCode::NOT_FOUND,
            format,
            "service_code not found",
        ));
    };
    let form = crate::cases::submit::form_of(&st.app, ctx.org_id(), &ty).await?;
    let attrs: Vec<Value> = open311::attributes(&form)
        .iter()
        .map(attribute_json)
        .collect();
    Ok(answer(
        StatusCode::OK,
        format,
        "service_definition",
        json!({ "service_code": code, "attributes": attrs }),
    ))
}

fn request_json(r: &Request) -> Value {
    let expected = format!("{}T17:15:00+09:00", r.due_on);
    json!({
        "service_request_id": r.number,
        "status": r.state(),
        "status_notes": r.public_answer.clone().unwrap_or_default(),
        "service_name": r.type_name,
        "service_code": r.type_id.to_string(),
        "description": r.public_text.clone().unwrap_or_default(),
        "agency_responsible": r.department.clone().unwrap_or_default(),
        "service_notice": "",
        "requested_datetime": r.received_at,
        "updated_datetime": r.answered_at.clone().unwrap_or_else(|| r.received_at.clone()),
        "expected_datetime": expected,
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": Value::Null,
        "long": Value::Null,
        "media_url": "",
    })
}

fn param<'a>(p: &'a Params, name: &str) -> Option<&'a str> {
    p.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// An ISO 8601 time from a client, as the stored timestamps compare (UTC).
fn when(raw: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(raw.trim())
        .ok()
        .map(|t| crate::db::timestamp(t.with_timezone(&chrono::Utc)))
}

async fn list(st: WebState, ctx: Ctx, format: Format, p: Params) -> AppResult<Response> {
    let bad = |what: &str| Ok(error(StatusCode::BAD_REQUEST, format, what));
    let mut f = Filter {
        numbers: param(&p, "service_request_id")
            .map(|ids| {
                ids.split(',')
                    .map(open311::number)
                    .filter(|n| !n.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        ..Filter::default()
    };
    if let Some(code) = param(&p, "service_code") {
        match code.parse() {
            Ok(id) => f.type_id = Some(id),
            Err(_) => return bad("service_code"),
        }
    }
    for (name, slot) in [("start_date", &mut f.from), ("end_date", &mut f.to)] {
        if let Some(raw) = param(&p, name) {
            match when(raw) {
                Some(t) => *slot = Some(t),
                None => return bad(name),
            }
        }
    }
    f.open = match param(&p, "status") {
        None => None,
        Some("open") => Some(true),
        Some("closed") => Some(false),
        Some(_) => return bad("status"),
    };
    let found = open311::requests(st.reader(&ctx), ctx.org_id(), &f).await?;
    Ok(answer(
        StatusCode::OK,
        format,
        "service_requests",
        Value::Array(found.iter().map(request_json).collect()),
    ))
}

pub async fn requests_json(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(p): QueryData<Params>,
) -> AppResult<Response> {
    list(st, ctx, Format::Json, p).await
}

pub async fn requests_xml(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(p): QueryData<Params>,
) -> AppResult<Response> {
    list(st, ctx, Format::Xml, p).await
}

async fn create(st: WebState, ctx: Ctx, format: Format, p: Params) -> AppResult<Response> {
    let org = ctx.org_id();
    if open311::client(&st.app.db, org, param(&p, "api_key").unwrap_or_default())
        .await?
        .is_none()
    {
        return Ok(error(StatusCode::FORBIDDEN, format, "api_key"));
    }
    let Some(ty) = open311::service(
        &st.app.db,
        org,
        param(&p, "service_code").unwrap_or_default(),
    )
    .await?
    else {
        return Ok(error(
            StatusCode::BAD_REQUEST,
            format,
            "service_code not found",
        ));
    };
    match open311::send(&st.app, &ctx.org, &ty, &p).await {
        Ok(r) => Ok(answer(
            StatusCode::CREATED,
            format,
            "service_requests",
            json!([{ "service_request_id": r.number, "service_notice": "", "account_id": Value::Null }]),
        )),
        Err(AppError::Invalid(errs)) => {
            // Each refused field with its message, in Japanese as the form would show it.
            let t = crate::i18n::Tr::new(crate::i18n::Lang::Ja);
            let list: Vec<Value> = errs
                .0
                .iter()
                .map(|e| json!({ "code": 400, "description": format!("{}: {}", e.field, t.t(e.message)) }))
                .collect();
            Ok(answer(
                StatusCode::BAD_REQUEST,
                format,
                "errors",
                Value::Array(list),
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn create_json(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(p): FormData<Params>,
) -> AppResult<Response> {
    create(st, ctx, Format::Json, p).await
}

pub async fn create_xml(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(p): FormData<Params>,
) -> AppResult<Response> {
    create(st, ctx, Format::Xml, p).await
}

/// The request a `requests/{id}` or `tokens/{id}` path names (a number, `.json` or `.xml`).
async fn by_number(st: &WebState, ctx: &Ctx, name: &str) -> AppResult<(Option<Request>, Format)> {
    let (id, format) = split(name);
    let f = Filter {
        numbers: vec![open311::number(id)],
        ..Filter::default()
    };
    let found = open311::requests(st.reader(ctx), ctx.org_id(), &f).await?;
    Ok((found.into_iter().next(), format))
}

/// One request by its number.
pub async fn request(
    State(st): State<WebState>,
    ctx: Ctx,
    PathName(name): PathName,
) -> AppResult<Response> {
    Ok(match by_number(&st, &ctx, &name).await? {
        (Some(r), format) => answer(
            StatusCode::OK,
            format,
            "service_requests",
            json!([request_json(&r)]),
        ),
        (None, format) => error(
            StatusCode::NOT_FOUND,
            format,
            "service_request_id not found",
        ),
    })
}

/// A token is the request's number itself (requests are numbered when they arrive).
pub async fn token(
    State(st): State<WebState>,
    ctx: Ctx,
    PathName(name): PathName,
) -> AppResult<Response> {
    Ok(match by_number(&st, &ctx, &name).await? {
        (Some(r), format) => answer(
            StatusCode::OK,
            format,
            "service_requests",
            json!([{ "service_request_id": r.number, "token": r.number }]),
        ),
        (None, format) => error(StatusCode::NOT_FOUND, format, "token not found"),
    })
}
