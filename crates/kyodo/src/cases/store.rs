//! Case types and cases as stored. Every query is scoped by organization.

use super::audience;
use crate::db::Db;
use crate::db::flag::Flag;
use crate::policy::Principal;

/// A kind of case the HQ set up (市民の声, 電子申請 …).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseType {
    pub id: i64,
    /// Short name used in the case number (e.g. 市民の声).
    pub code: String,
    pub name: String,
    pub description: String,
    pub audience: String,
    pub form_survey_id: Option<i64>,
    pub department_id: Option<i64>,
    pub deadline_days: i64,
    #[sqlx(try_from = "Flag")]
    pub publishable: bool,
    #[sqlx(try_from = "Flag")]
    pub is_demo: bool,
    /// Which kind of case (see [`super::kind`]): decides the panels its cases have.
    pub kind: String,
    /// 対象者 — who may apply (電子申請's catalogue).
    pub eligibility: String,
    /// 必要書類 — what to bring or attach.
    pub documents_needed: String,
    /// 手数料 in yen; 0 = free.
    pub fee_yen: i64,
    /// Applied for online through its form; else the catalogue shows how to apply and the forms.
    #[sqlx(try_from = "Flag")]
    pub online: bool,
}

impl CaseType {
    /// May this visitor send a case of this type (and see it on the desk)?
    /// A procedure taken at the counter only (not online) is sent by nobody through Kyodo.
    pub fn open_to(&self, p: Option<&Principal>) -> bool {
        if !self.online {
            return false;
        }
        match self.audience.as_str() {
            audience::PUBLIC => true,
            audience::SIGNED_IN => p.is_some(),
            audience::STAFF => p.is_some_and(|p| p.is_staff()),
            _ => p.is_some_and(|p| p.keeps_restricted_records()),
        }
    }
    /// May staff member `p` see the cases of this type? Restricted types: the HQ and the
    /// compliance officer only.
    pub fn visible_to_staff(&self, p: &Principal) -> bool {
        self.audience != audience::RESTRICTED || p.keeps_restricted_records()
    }
}

const TYPE_COLUMNS: &str = "id, code, name, description, audience, form_survey_id, department_id, \
     deadline_days, publishable, is_demo, kind, eligibility, documents_needed, fee_yen, online";

pub async fn types(db: &Db, org: i64) -> sqlx::Result<Vec<CaseType>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TYPE_COLUMNS} FROM case_types WHERE organization_id = $1 ORDER BY position, id"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

pub async fn case_type(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<CaseType>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TYPE_COLUMNS} FROM case_types WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A case as staff see it (the submitter sees a part of it: see `lookup`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Case {
    pub id: i64,
    pub type_id: i64,
    /// 年度 of arrival (its number's year).
    pub fiscal_year: i64,
    pub number: String,
    pub submitter_id: Option<i64>,
    pub guest_name: String,
    pub email: String,
    pub subject: String,
    /// JSON `[[question, answer], …]` as asked and answered.
    pub answers: String,
    pub category: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub department_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub status: String,
    pub received_at: String,
    pub due_on: String,
    pub answered_at: Option<String>,
    pub answer: String,
    #[sqlx(try_from = "Flag")]
    pub publish_consent: bool,
    pub public_text: Option<String>,
    pub public_answer: Option<String>,
    pub published_at: Option<String>,
    pub merged_into: Option<i64>,
    /// The public facility (施設) the case is about, as staff linked it.
    pub facility_id: Option<i64>,
    /// The programme (事務事業) the case shows a problem of, as staff linked it.
    pub programme_id: Option<i64>,
    /// The plan item (取組項目) the case concerns, as staff linked it.
    pub plan_node_id: Option<i64>,
    #[sqlx(try_from = "Flag")]
    pub is_demo: bool,
    /// The fee owed (the procedure's when the case arrived) and its payment (code list
    /// `case_payment`; '' = nothing owed).
    pub fee_yen: i64,
    pub payment_status: String,
    /// 民間提案・職員提案: the decision (code list `case_decision`; '' = none yet) and its reason.
    pub decision: String,
    pub decision_reason: String,
    pub decided_at: Option<String>,
    /// How far an adopted proposal is carried out (code list `case_implementation`).
    pub implementation: String,
}

impl Case {
    /// The answers as (question, answer) pairs.
    pub fn answer_pairs(&self) -> Vec<(String, String)> {
        serde_json::from_str(&self.answers).unwrap_or_default()
    }
}

pub const CASE_COLUMNS: &str = "id, type_id, fiscal_year, number, submitter_id, guest_name, email, subject, \
     answers, category, address, latitude, longitude, department_id, assignee_id, status, \
     received_at, due_on, answered_at, answer, publish_consent, public_text, public_answer, \
     published_at, merged_into, facility_id, programme_id, plan_node_id, is_demo, fee_yen, payment_status, \
     decision, decision_reason, decided_at, implementation";

pub async fn case(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Case>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// One step in a case's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Event {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    /// Who did it, for staff pages (empty for the submitter or the system).
    pub actor_name: Option<String>,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub department_id: Option<i64>,
    pub body: String,
}

impl Event {
    /// Shown to the submitter: status changes, messages both ways and the answer — never
    /// internal notes, transfers or who on the staff did what.
    pub fn for_submitter(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "status" | "to_submitter" | "from_submitter" | "answer"
        )
    }
}

pub async fn events(db: &Db, org: i64, case: i64) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as(
        "SELECT e.seq, e.at, e.actor_id, u.display_name AS actor_name, e.kind, e.from_status, \
         e.to_status, e.department_id, e.body FROM case_events e \
         LEFT JOIN users u ON u.organization_id = e.organization_id AND u.id = e.actor_id \
         WHERE e.organization_id = $1 AND e.case_id = $2 ORDER BY e.seq",
    )
    .bind(org)
    .bind(case)
    .fetch_all(db)
    .await
}

/// Appends an event to a case's history inside the caller's transaction.
#[allow(
    clippy::too_many_arguments,
    reason = "one column each; a struct would only rename them"
)]
pub async fn add_event(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    case: i64,
    actor: Option<i64>,
    kind: &str,
    status: Option<(&str, &str)>,
    department: Option<i64>,
    body: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO case_events (organization_id, case_id, seq, at, actor_id, kind, from_status, \
         to_status, department_id, body) \
         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9 FROM case_events \
         WHERE organization_id = $1 AND case_id = $2",
    )
    .bind(org)
    .bind(case)
    .bind(crate::db::now())
    .bind(actor)
    .bind(kind)
    .bind(status.map(|s| s.0))
    .bind(status.map(|s| s.1))
    .bind(department)
    .bind(body)
    .execute(conn)
    .await?;
    Ok(())
}
