//! What the OpenAPI document says of each operation beyond the route table: its query parameters,
//! the top-level fields of its answer (a schema schemathesis checks every answer against, and an
//! example built from it), and the request body of each write with an example.

use serde_json::{Value, json};

/// (name, JSON type, required, description, example) of a query parameter.
pub type Param = (&'static str, &'static str, bool, &'static str, Value);

fn cursor() -> [Param; 2] {
    [
        (
            "cursor",
            "string",
            false,
            "The next_cursor of the previous page",
            json!(""),
        ),
        (
            "limit",
            "integer",
            false,
            "Items per page, 1–500 (100)",
            json!(100),
        ),
    ]
}

/// The query parameters of a read (the minutes API's are listed in `openapi.rs`).
pub fn query(path: &str) -> Vec<Param> {
    let mut out: Vec<Param> = match path {
        "/api/v1/evaluation/years/{id}/programmes" => vec![
            (
                "code",
                "string",
                false,
                "A programme's code, exactly",
                json!("0301"),
            ),
            (
                "department",
                "string",
                false,
                "The department's name, exactly",
                json!("企画調整課"),
            ),
            (
                "policy",
                "string",
                false,
                "A 施策's number and everything under it",
                json!("1-2"),
            ),
            (
                "direction",
                "string",
                false,
                "A direction given at any stage (as the CSV writes it)",
                json!("改善"),
            ),
        ],
        "/api/v1/cases/voices" => vec![(
            "fiscal_year",
            "integer",
            false,
            "Only this fiscal year",
            json!(2025),
        )],
        "/api/v1/cases/stats" => vec![(
            "fiscal_year",
            "integer",
            true,
            "The fiscal year (1989–2200)",
            json!(2025),
        )],
        "/api/v1/facilities/rooms/{id}/availability" => {
            vec![(
                "month",
                "string",
                false,
                "YYYY-MM (this month when left out)",
                json!("2026-04"),
            )]
        }
        _ => Vec::new(),
    };
    if matches!(
        path,
        "/api/v1/evaluation/years/{id}/programmes"
            | "/api/v1/cases/voices"
            | "/api/v1/finance/editions/{id}/lines"
            | "/api/v1/finance/bids"
    ) {
        out.extend(cursor());
    }
    out
}

/// The top-level fields every answer of a read or write has: (name, JSON type).
fn fields(method: &str, path: &str) -> &'static [(&'static str, &'static str)] {
    match (method, path) {
        ("get", "/api/v1/openapi.json") => &[("openapi", "string"), ("paths", "object")],
        ("get", "/api/v1/organization") => &[("lg_code", "string"), ("name", "string")],
        ("get", "/api/v1/departments") => &[("departments", "array")],
        ("get", "/api/v1/plans") => &[("plans", "array")],
        ("get", "/api/v1/plans/{id}") => &[
            ("plan", "object"),
            ("nodes", "array"),
            ("indicators", "array"),
            ("reports", "array"),
        ],
        ("get", "/api/v1/evaluation/years") => &[("years", "array")],
        ("get", "/api/v1/evaluation/years/{id}/programmes") => &[
            ("fiscal_year", "integer"),
            ("total", "integer"),
            ("programmes", "array"),
            ("next_cursor", "string?"),
        ],
        ("get", "/api/v1/evaluation/programmes/{id}") => &[
            ("id", "integer"),
            ("code", "string"),
            ("name", "string"),
            ("years", "array"),
        ],
        ("get", "/api/v1/evaluation/policies/{id}") => &[
            ("id", "integer"),
            ("number", "string"),
            ("fiscal_year", "integer"),
            ("indicators", "array"),
            ("programmes", "array"),
        ],
        ("get", "/api/v1/minutes/meetings/{id}") => &[
            ("id", "integer"),
            ("body", "string"),
            ("held_on", "string"),
            ("speeches", "array"),
        ],
        ("get", "/api/v1/facilities/lotteries/{id}") => &[
            ("id", "integer"),
            ("month", "string"),
            ("status", "string"),
            ("seed_sha256", "string"),
        ],
        ("get", "/api/v1/councils/calls/{id}") => &[
            ("id", "integer"),
            ("body_id", "integer"),
            ("seats", "integer"),
            ("open", "boolean"),
        ],
        ("get", "/api/v1/me") => &[("id", "integer"), ("roles", "array")],
        ("get", "/api/v1/admin/users") => &[("users", "array")],
        ("get", "/api/v1/admin/audit") => &[("entries", "array")],
        ("post", "/api/v1/admin/departments") => &[("department", "object")],
        ("get", "/api/v1/surveys") => &[("surveys", "array")],
        ("get", "/api/v1/surveys/{id}/results") => &[
            ("survey", "object"),
            ("respondents", "integer"),
            ("questions", "array"),
            ("portfolio", "array"),
            ("waves", "array"),
        ],
        ("get", "/api/v1/consultations") => &[("consultations", "array")],
        ("get", "/api/v1/consultations/{id}") => &[
            ("id", "integer"),
            ("title", "string"),
            ("phase", "string"),
            ("sections", "array"),
            ("documents", "array"),
        ],
        ("get", "/api/v1/consultations/{id}/result") => &[
            ("consultation", "object"),
            ("opinions", "integer"),
            ("groups", "array"),
            ("sections", "array"),
        ],
        ("get", "/api/v1/councils") => &[("bodies", "array"), ("overall", "object")],
        ("get", "/api/v1/councils/{id}") => &[
            ("id", "integer"),
            ("name", "string"),
            ("members", "array"),
            ("meetings", "array"),
        ],
        ("get", "/api/v1/councils/meetings/{id}") => &[
            ("id", "integer"),
            ("body_id", "integer"),
            ("held_on", "string"),
            ("minutes", "object?"),
        ],
        ("get", "/api/v1/advisers") => &[("advisers", "array"), ("comments", "array")],
        ("get", "/api/v1/facilities") => &[("facilities", "array")],
        ("get", "/api/v1/facilities/{id}") => &[
            ("id", "integer"),
            ("name", "string"),
            ("rooms", "array"),
            ("use_this_fiscal_year", "object"),
        ],
        ("get", "/api/v1/facilities/rooms/{id}/availability") => &[
            ("room_id", "integer"),
            ("month", "string"),
            ("slots", "array"),
            ("days", "array"),
        ],
        ("get", "/api/v1/finance/editions") => &[("editions", "array")],
        ("get", "/api/v1/finance/editions/{id}/lines") => &[
            ("edition", "object"),
            ("total", "integer"),
            ("lines", "array"),
            ("next_cursor", "string?"),
        ],
        ("get", "/api/v1/finance/statements") => &[("sets", "array")],
        ("get", "/api/v1/finance/statements/{id}") => &[
            ("id", "integer"),
            ("fiscal_year", "integer"),
            ("lines", "array"),
        ],
        ("get", "/api/v1/finance/indicators") => &[("values", "array")],
        ("get", "/api/v1/finance/outlook") => &[("editions", "array")],
        ("get", "/api/v1/finance/outlook/{id}") => {
            &[("id", "integer"), ("made_in", "integer"), ("rows", "array")]
        }
        ("get", "/api/v1/finance/bids") => &[
            ("total", "integer"),
            ("tenders", "array"),
            ("next_cursor", "string?"),
        ],
        ("get", "/api/v1/finance/bids/{id}") => &[("id", "integer"), ("bids", "array")],
        ("get", "/api/v1/procedures") => &[("procedures", "array")],
        ("get", "/api/v1/cases/proposals") => &[("proposals", "array")],
        ("get", "/api/v1/cases/voices") => &[
            ("total", "integer"),
            ("cases", "array"),
            ("next_cursor", "string?"),
        ],
        ("get", "/api/v1/cases/stats") => &[
            ("fiscal_year", "integer"),
            ("received", "integer"),
            ("answered", "integer"),
            ("by_month", "array"),
        ],
        ("post", "/api/v1/plans/indicators/{id}/values") => {
            &[("indicator_id", "integer"), ("values", "array")]
        }
        ("post", "/api/v1/evaluation/sheets/{id}/costs") => &[
            ("sheet_id", "integer"),
            ("columns", "array"),
            ("costs", "array"),
            ("staff_years", "array"),
        ],
        ("post", "/api/v1/minutes/import") => &[
            ("imported", "integer"),
            ("meetings", "array"),
            ("pages", "array"),
        ],
        ("post", "/api/v1/cases/{id}/status") => &[("case_id", "integer"), ("status", "string")],
        ("post", "/api/v1/cases/{id}/note") => &[("case_id", "integer"), ("noted", "boolean")],
        _ => &[],
    }
}

fn example_of(kind: &str) -> Value {
    match kind {
        "integer" => json!(1),
        "string" => json!("…"),
        "boolean" => json!(true),
        "array" => json!([]),
        "object" => json!({}),
        _ => Value::Null,
    }
}

/// The answer's schema (its fields, required, typed; others allowed) and an example.
pub fn answer(method: &str, path: &str) -> (Value, Option<Value>) {
    let f = fields(method, path);
    if f.is_empty() {
        return (json!({"type": "object"}), None);
    }
    let mut props = serde_json::Map::new();
    let mut example = serde_json::Map::new();
    for (name, kind) in f {
        let schema = match kind.strip_suffix('?') {
            Some(k) => json!({"type": [k, "null"]}),
            None => json!({"type": kind}),
        };
        props.insert(name.to_string(), schema);
        example.insert(name.to_string(), example_of(kind.trim_end_matches('?')));
    }
    let required: Vec<&str> = f.iter().map(|(n, _)| *n).collect();
    (
        json!({"type": "object", "required": required, "properties": props}),
        Some(Value::Object(example)),
    )
}

/// The status of a successful write.
pub fn created(path: &str) -> bool {
    matches!(path, "/api/v1/admin/departments" | "/api/v1/minutes/import")
}

/// The request body of a write: its schema and an example.
pub fn body(path: &str) -> (Value, Value) {
    let any = json!({});
    let num_or_text = json!({"type": ["number", "string", "null"]});
    match path {
        "/api/v1/admin/departments" => (
            json!({"type": "object", "required": ["code", "name", "level"], "properties": {
                "code": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": "string"},
                "level": {"type": "string", "description": "bu (部) or ka (課)"}, "parent_id": {"type": ["integer", "null"]}}}),
            json!({"code": "0399", "name": "デジタル推進課", "name_en": "Digital Promotion", "level": "ka", "parent_id": null}),
        ),
        "/api/v1/plans/indicators/{id}/values" => (
            json!({"type": "object", "required": ["values"], "properties": {"values": {"type": "array", "items": {
                "type": "object", "required": ["fiscal_year"], "properties": {
                    "fiscal_year": {"type": "integer"}, "target": num_or_text, "actual": num_or_text}}}}}),
            json!({"values": [{"fiscal_year": 2025, "actual": 87.5}]}),
        ),
        "/api/v1/evaluation/sheets/{id}/costs" => (
            json!({"type": "object", "required": ["columns"], "properties": {"columns": {"type": "object",
                "description": "prev_settled | budget | settled | next_budget → figures",
                "additionalProperties": {"type": "object", "properties": {
                    "costs": {"type": "object", "description": "funding source code → 千円", "additionalProperties": num_or_text},
                    "staff_years": {"type": "object", "description": "staff category code → 人工", "additionalProperties": num_or_text}}}}}}),
            json!({"columns": {"settled": {"costs": {"general": 12000, "national": 3000}, "staff_years": {"regular": 1.5}}}}),
        ),
        "/api/v1/minutes/import" => (
            json!({"type": "object", "required": ["file_name"], "properties": {
                "file_name": {"type": "string", "description": ".txt, .csv or .json (NDL records)"},
                "content": {"type": "string"}, "content_base64": {"type": "string"},
                "body": {"type": "string"}, "kind": {"type": "string"}, "session": {"type": "string"}, "issue": {"type": "string"}}}),
            json!({"file_name": "speeches.csv", "content": "会議名,開催日,発言者,発言\n本会議,令和7年9月1日,議長,ただいまから会議を開きます。\n"}),
        ),
        "/api/v1/cases/{id}/status" => (
            json!({"type": "object", "required": ["status"], "properties": {
                "status": {"type": "string", "enum": crate::cases::STAFF_SETS}, "comment": {"type": "string"}}}),
            json!({"status": "in_progress", "comment": "現地を確認します"}),
        ),
        "/api/v1/cases/{id}/note" => (
            json!({"type": "object", "required": ["note"], "properties": {"note": {"type": "string"}}}),
            json!({"note": "財務会計システム: 支払済"}),
        ),
        _ => (json!({"type": "object"}), any),
    }
}

#[cfg(test)]
mod tests {
    use crate::web::routes::ROUTES;

    /// Every operation declares its answer's fields and an example (the minutes API answers as
    /// the NDL API does, in JSON or XML, and is described in `openapi.rs`); every write its body.
    #[test]
    fn every_operation_has_its_answer_and_every_write_its_body() {
        for r in ROUTES.iter().filter(|r| r.path.starts_with("/api/v1/")) {
            if r.method == "get"
                && r.path.starts_with("/api/v1/minutes/")
                && !r.path.contains("{id}")
            {
                continue;
            }
            let (schema, example) = super::answer(r.method, r.path);
            assert!(
                schema["required"].is_array(),
                "{} {}: no answer fields",
                r.method,
                r.path
            );
            assert!(example.is_some(), "{} {}", r.method, r.path);
            if r.method != "get" {
                let (body, example) = super::body(r.path);
                assert!(body["required"].is_array(), "{}: no body schema", r.path);
                assert!(
                    example.as_object().is_some_and(|o| !o.is_empty()),
                    "{}",
                    r.path
                );
            }
        }
    }
}
