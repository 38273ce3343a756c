//! Open311 GeoReport v2 over the case engine: the public kinds of case as *services* (their form's
//! questions as *attributes*), a request sent by a client app with its API key as a case (checked,
//! numbered, routed and stored exactly as the desk's form does), and requests read back. What a
//! request shows is what the public may see: its status, kind, department and times — and its
//! text, answer and place only once staff have published the redacted version.

use super::store::{self, CaseType};
use super::submit::{self, Contact, Receipt};
use super::{audience, is_open};
use crate::accounts::tokens;
use crate::app::App;
use crate::db::Db;
use crate::error::AppResult;
use crate::surveys::store::{Form, Kind};

/// Issues an API key for a client app; returns it (shown once, only its digest kept).
pub async fn issue_key(app: &App, org: i64, name: &str) -> AppResult<String> {
    let key: String = tokens::random_secret()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(32)
        .collect();
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO open311_clients (organization_id, id, name, key_digest, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(org)
        .bind(crate::db::new_id())
        .bind(name.trim())
        .bind(tokens::digest(&key))
        .bind(crate::db::now())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(key)
}

/// The client whose key this is.
pub async fn client(db: &Db, org: i64, key: &str) -> sqlx::Result<Option<i64>> {
    if key.trim().is_empty() {
        return Ok(None);
    }
    sqlx::query_scalar(
        "SELECT id FROM open311_clients WHERE organization_id = $1 AND key_digest = $2",
    )
    .bind(org)
    .bind(tokens::digest(key.trim()))
    .fetch_optional(db)
    .await
}

/// Open311's services: the 市民の声 kinds anyone may send online. Applications (電子申請) and
/// proposals are not service requests: their cases stay off Open311's public request list.
pub async fn services(db: &Db, org: i64) -> sqlx::Result<Vec<CaseType>> {
    Ok(store::types(db, org)
        .await?
        .into_iter()
        .filter(|t| t.audience == audience::PUBLIC && t.kind == super::kind::VOICE && t.online)
        .collect())
}

pub async fn service(db: &Db, org: i64, code: &str) -> sqlx::Result<Option<CaseType>> {
    Ok(services(db, org)
        .await?
        .into_iter()
        .find(|t| t.id.to_string() == code))
}

/// One attribute of a service: a question of its form.
pub struct Attribute {
    pub code: String,
    pub datatype: &'static str,
    pub required: bool,
    pub description: String,
    pub order: usize,
    pub values: Vec<(String, String)>,
}

/// Every question but file questions: GeoReport v2 carries no files (a type whose form requires
/// one is answered with the field's message, as any other missing attribute).
pub fn attributes(form: &Form) -> Vec<Attribute> {
    form.questions
        .iter()
        .filter(|q| q.kind != Kind::File)
        .enumerate()
        .map(|(i, q)| Attribute {
            code: crate::surveys::answers::field(q.id()),
            datatype: match q.kind {
                Kind::Single | Kind::Scale => "singlevaluelist",
                Kind::Multi
                | Kind::Ranking
                | Kind::MatrixSingle
                | Kind::MatrixMulti
                | Kind::Pair => "multivaluelist",
                Kind::Number => "number",
                Kind::Date => "datetime",
                Kind::LongText => "text",
                Kind::Text | Kind::File => "string",
            },
            required: q.required(),
            description: q.row.label.clone(),
            order: i + 1,
            values: q
                .options
                .iter()
                .map(|o| (o.id.to_string(), o.label.clone()))
                .collect(),
        })
        .collect()
}

/// A request as a client sends it (`attribute[q12]=…`, `description`, place and contact).
pub async fn send(
    app: &App,
    organization: &crate::accounts::organizations::Organization,
    ty: &CaseType,
    params: &[(String, String)],
) -> AppResult<Receipt> {
    let org = organization.id;
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let form = submit::form_of(app, org, ty).await?;
    let mut fields: Vec<(String, String)> = params
        .iter()
        .filter_map(|(k, v)| {
            let code = k.strip_prefix("attribute[")?.strip_suffix(']')?;
            Some((code.trim_end_matches("[]").to_string(), v.clone()))
        })
        .collect();
    // `description` answers the form's first long text, unless an attribute already did.
    let description = get("description");
    if let Some(q) = form.questions.iter().find(|q| q.kind == Kind::LongText) {
        let name = crate::surveys::answers::field(q.id());
        if !description.trim().is_empty() && !fields.iter().any(|(k, _)| *k == name) {
            fields.push((name, description));
        }
    }
    let contact = Contact {
        name: format!("{} {}", get("last_name"), get("first_name"))
            .trim()
            .to_string(),
        email: get("email"),
        address: get("address_string"),
        latitude: get("lat"),
        longitude: get("long"),
        consent: String::new(),
        facility: String::new(),
    };
    submit::submit(app, organization, ty, None, &fields, &contact, Vec::new()).await
}

/// A request as the public may read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Request {
    pub number: String,
    pub status: String,
    pub type_id: i64,
    pub type_name: String,
    pub department: Option<String>,
    pub received_at: String,
    pub answered_at: Option<String>,
    pub due_on: String,
    pub public_text: Option<String>,
    pub public_answer: Option<String>,
}

impl Request {
    /// Open311's two states.
    pub fn state(&self) -> &'static str {
        if is_open(&self.status) {
            "open"
        } else {
            "closed"
        }
    }
}

/// What a client may ask for (all optional).
#[derive(Debug, Default)]
pub struct Filter {
    pub numbers: Vec<String>,
    pub type_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub open: Option<bool>,
}

/// Requests of the public kinds, newest first, at most 1,000 (Open311's default window: 90 days).
pub async fn requests(db: &Db, org: i64, f: &Filter) -> sqlx::Result<Vec<Request>> {
    use crate::db::{Filters, Param};
    let mut w = Filters::default();
    w.push("c.organization_id = ?", [Param::Int(org)]);
    w.push(
        "t.audience = 'public' AND t.kind = 'voice' AND c.merged_into IS NULL",
        [],
    );
    if !f.numbers.is_empty() {
        let marks = vec!["?"; f.numbers.len()].join(", ");
        w.push(
            &format!("c.number IN ({marks})"),
            f.numbers.iter().map(|n| Param::Text(n.clone())),
        );
    } else {
        let from = f.from.clone().unwrap_or_else(|| {
            crate::db::timestamp(chrono::Utc::now() - chrono::Duration::days(90))
        });
        w.push("c.received_at >= ?", [Param::Text(from)]);
    }
    if let Some(t) = f.type_id {
        w.push("c.type_id = ?", [Param::Int(t)]);
    }
    if let Some(to) = &f.to {
        w.push("c.received_at <= ?", [Param::Text(to.clone())]);
    }
    let open = super::OPEN.map(|s| format!("'{s}'")).join(", ");
    match f.open {
        Some(true) => w.push(&format!("c.status IN ({open})"), []),
        Some(false) => w.push(&format!("c.status NOT IN ({open})"), []),
        None => {}
    }
    let sql = format!(
        "SELECT c.number, c.status, c.type_id, t.name AS type_name, d.name AS department, c.received_at, \
         c.answered_at, c.due_on, \
         CASE WHEN c.published_at IS NOT NULL AND c.publish_consent = 1 AND t.publishable = 1 THEN c.public_text END AS public_text, \
         CASE WHEN c.published_at IS NOT NULL AND c.publish_consent = 1 AND t.publishable = 1 THEN c.public_answer END AS public_answer \
         FROM cases c JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         LEFT JOIN departments d ON d.organization_id = c.organization_id AND d.id = c.department_id{} \
         ORDER BY c.received_at DESC, c.id DESC LIMIT 1000",
        w.where_sql()
    );
    w.bind(sqlx::query_as::<_, Request>(sqlx::AssertSqlSafe(sql)))
        .fetch_all(db)
        .await
}

/// A request's number from the API's path or parameter (as typed, full-width digits allowed).
pub fn number(raw: &str) -> String {
    super::lookup::normalise_number(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::fixtures::{form, question};

    #[test]
    fn file_questions_are_not_attributes() {
        let f = form(
            vec![
                question(1, Kind::Single, true, &[11, 12]),
                question(2, Kind::File, false, &[]),
                question(3, Kind::LongText, true, &[]),
            ],
            Vec::new(),
        );
        let attrs = attributes(&f);
        let codes: Vec<_> = attrs.iter().map(|a| (a.code.as_str(), a.order)).collect();
        assert_eq!(codes, [("q1", 1), ("q3", 2)]);
        assert_eq!(attrs[0].datatype, "singlevaluelist");
    }
}
