//! The OpenAPI 3.1 document, generated from the route table so it cannot drift from the router.

use super::openapi_shapes as shapes;
use crate::policy::Access;
use crate::web::routes::ROUTES;
use axum::Json;
use serde_json::{Map, Value, json};

pub async fn openapi() -> Json<Value> {
    Json(document())
}

/// The query parameters of the minutes API (the NDL 会議録検索 API's names).
const MINUTES_QUERY: [(&str, &str, &str); 11] = [
    (
        "any",
        "string",
        "Terms, space = AND; OR, -term and \"phrase\" as on the search page",
    ),
    ("speaker", "string", "Part of a speaker's name, space = OR"),
    ("speakerGroup", "string", "会派, exactly"),
    ("speakerPosition", "string", "役職, exactly"),
    (
        "nameOfMeeting",
        "string",
        "Part of the meeting's name (会議名), space = OR",
    ),
    ("from", "string", "Held on or after (YYYY-MM-DD)"),
    ("until", "string", "Held on or before (YYYY-MM-DD)"),
    ("startRecord", "integer", "First record, from 1"),
    (
        "maximumRecords",
        "integer",
        "Records returned: speech and meeting_list 1–100 (30), meeting 1–10 (3)",
    ),
    ("recordPacking", "string", "json (default) or xml"),
    (
        "municipalityCode",
        "string",
        "全国地方公共団体コード (5 digits, or 6 with the check digit); another city's finds nothing",
    ),
];

/// The minutes endpoints in the NDL API's form (searches with its parameters and error shape).
fn ndl_search(method: &str, path: &str) -> bool {
    method == "get" && path.starts_with("/api/v1/minutes/") && !path.contains('{')
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES.iter().filter(|r| r.path.starts_with("/api/v1/")) {
        let mut params = Vec::new();
        for seg in r.path.split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                params.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer"}, "example": 1}));
            }
        }
        for (name, kind, required, description, example) in shapes::query(r.path) {
            let mut schema = json!({"type": kind});
            if name == "limit" {
                schema = json!({"type": "integer", "minimum": 1, "maximum": 500});
            }
            params.push(
                json!({"name": name, "in": "query", "required": required, "schema": schema,
                "description": description, "example": example}),
            );
        }
        if r.method != "get" {
            params.push(json!({"name": "Idempotency-Key", "in": "header", "required": false,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                "description": "Sent again with a retry, the first answer is replayed (24 h) instead of a second change; another request with the same key is 422",
                "example": "finance-2026-12-05-0001"}));
        }
        if ndl_search(r.method, r.path) {
            for (name, kind, description) in MINUTES_QUERY {
                params.push(json!({"name": name, "in": "query", "required": false, "schema": {"type": kind}, "description": description, "example": if kind == "integer" { json!(1) } else { json!("予算") }}));
            }
        }
        let mut op = json!({
            "summary": r.summary,
            "operationId": format!("{}_{}", r.method, r.path.trim_start_matches("/api/v1/").replace(['/', '.', '{', '}'], "_")),
            "x-kyodo-access": r.access,
            "parameters": params,
            "responses": {
                "4XX": {"description": "Client error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "503": {"description": "Temporarily unavailable", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        let (schema, example) = shapes::answer(r.method, r.path);
        let mut media = json!({"schema": schema});
        if let Some(e) = example {
            media["example"] = e;
        }
        let ok = if shapes::created(r.path) {
            "201"
        } else {
            "200"
        };
        op["responses"][ok] = json!({"description": "OK", "content": {"application/json": media}});
        // A session (with the CSRF header for writes), or an API token with the scope the
        // operation needs (accounts::api_tokens::required).
        let is_read = r.method == "get";
        let scope =
            crate::accounts::api_tokens::required(is_read, r.access == Access::Public, r.path)
                .map(|s| s.code());
        let session = if is_read {
            json!({"session": []})
        } else {
            json!({"session": [], "csrf": []})
        };
        op["security"] = match (r.access == Access::Public, scope) {
            (true, Some(s)) if is_read => json!([{}, {"apiToken": [s]}]),
            // The token first: a client (and schemathesis) given one uses it, not a cookie.
            (_, Some(s)) => json!([{"apiToken": [s]}, session]),
            (_, None) => json!([session]),
        };
        // The minutes API answers bad searches as the NDL API does: {message, details}.
        if ndl_search(r.method, r.path) {
            op["responses"]["400"] = json!({"description": "No search condition (the NDL API's error form), or a parameter that cannot be read (the envelope)",
                "content": {"application/json": {"schema": {"oneOf": [
                    {"$ref": "#/components/schemas/NdlError"}, {"$ref": "#/components/schemas/Error"}]}}}});
        }
        if is_read {
            op["responses"]["304"] =
                json!({"description": "Not modified: the ETag sent in If-None-Match still holds"});
        }
        if r.method == "post" {
            let (schema, example) = shapes::body(r.path);
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": schema, "example": example}}});
        }
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Kyodo API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Kyodo (協働) JSON API. Errors use one envelope: {\"error\": {\"code\", \"message\", \"fields\"}}."},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "kyodo_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
                "apiToken": {"type": "http", "scheme": "bearer",
                    "description": "An API token made at /account/tokens (`kyodo_…`), limited to its scopes (read:published, read:staff, write:admin) and its user's roles. 401 invalid_token when unknown, revoked or expired; 403 insufficient_scope naming the scope needed."}
            },
            "schemas": {
                "NdlError": {"type": "object", "required": ["message"], "properties": {
                    "message": {"type": "string"}, "details": {"type": "array", "items": {"type": "string"}}}},
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                        "fields": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}}}}
            }
        }
    })
}
