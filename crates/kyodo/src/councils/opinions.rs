//! 委員意見 — a committee's follow-up opinions after a plan is adopted (S-1.3.3), on a whole plan,
//! a plan item's report for a period, or a 施策 (a measure of the evaluation's policy tree), and
//! the city's response; both are published together once the city has answered. Members' names
//! are never published: the public sees the committee's name only.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::flag::{self, Flag};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Serialize;

/// What an opinion is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A whole plan (実施計画).
    Plan(i64),
    /// A plan item; an opinion on it is on its report for a reporting period.
    Item(i64),
    /// A 施策 (policy node of level `measure`).
    Policy(i64),
}

impl Subject {
    fn kind(self) -> &'static str {
        match self {
            Subject::Plan(_) => "plan",
            Subject::Item(_) => "item",
            Subject::Policy(_) => "policy",
        }
    }
    fn id(self) -> i64 {
        match self {
            Subject::Plan(id) | Subject::Item(id) | Subject::Policy(id) => id,
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Opinion {
    pub id: i64,
    /// `plan`, `item` or `policy`.
    pub subject: String,
    pub subject_id: i64,
    /// An item's reporting period.
    pub period_id: Option<i64>,
    /// What it is about, by name.
    pub title: String,
    pub committee: String,
    pub committee_en: String,
    pub opinion: String,
    pub response: String,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub published: bool,
    pub created_at: String,
}

impl Opinion {
    /// The public page of what it is about.
    pub fn subject_href(&self) -> String {
        page_of(&self.subject, self.subject_id)
    }
}

/// The public page of a subject stored as (`plan` | `item` | `policy`, id).
pub fn page_of(subject: &str, id: i64) -> String {
    match subject {
        "plan" => format!("/plans/{id}"),
        "policy" => format!("/evaluation/policies/{id}"),
        _ => format!("/plans/items/{id}"),
    }
}

/// With what each is about, by name (the plan's title, the item's or 施策's number and title).
const COLUMNS: &str = "o.id, o.subject, o.subject_id, o.period_id, \
     COALESCE(n.number || ' ' || n.title, p.title, pn.number || ' ' || pn.title, '') AS title, \
     c.name AS committee, c.name_en AS committee_en, o.opinion, o.response, o.published, o.created_at \
     FROM follow_up_opinions o JOIN committees c ON c.organization_id = o.organization_id AND c.id = o.committee_id \
     LEFT JOIN plan_nodes n ON o.subject = 'item' AND n.organization_id = o.organization_id AND n.id = o.subject_id \
     LEFT JOIN plans p ON o.subject = 'plan' AND p.organization_id = o.organization_id AND p.id = o.subject_id \
     LEFT JOIN policy_nodes pn ON o.subject = 'policy' AND pn.organization_id = o.organization_id AND pn.id = o.subject_id";

/// Opinions on one subject (an item's of every period), oldest first; `only_published` for the
/// public pages.
pub async fn on(
    db: &Db,
    org: i64,
    subject: Subject,
    only_published: bool,
) -> sqlx::Result<Vec<Opinion>> {
    let extra = if only_published {
        " AND o.published = 1"
    } else {
        ""
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} WHERE o.organization_id = $1 AND o.subject = $2 AND o.subject_id = $3{extra} ORDER BY o.created_at")))
        .bind(org)
        .bind(subject.kind())
        .bind(subject.id())
        .fetch_all(db)
        .await
}

/// Opinions still waiting for the city's response, oldest first, for the HQ.
pub async fn awaiting_response(db: &Db, org: i64) -> sqlx::Result<Vec<Opinion>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} WHERE o.organization_id = $1 AND o.published = 0 ORDER BY o.created_at LIMIT 500")))
        .bind(org)
        .fetch_all(db)
        .await
}

/// Does the subject exist in the organization? For an item, the period must have a published
/// report (that is what the opinion is on); a plan or 施策 takes none.
async fn subject_is_known(
    db: &Db,
    org: i64,
    subject: Subject,
    period: Option<i64>,
) -> sqlx::Result<bool> {
    let sql = match (subject, period) {
        (Subject::Item(node), Some(period)) => {
            return crate::plans::store::has_published_report(db, org, node, period).await;
        }
        (Subject::Plan(_), None) => {
            "SELECT COUNT(*) FROM plans WHERE organization_id = $1 AND id = $2"
        }
        (Subject::Policy(_), None) => {
            "SELECT COUNT(*) FROM policy_nodes WHERE organization_id = $1 AND id = $2 AND level = 'measure'"
        }
        _ => return Ok(false),
    };
    let n: i64 = sqlx::query_scalar(sql)
        .bind(org)
        .bind(subject.id())
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

/// Who writes an opinion: the member and the committee they sit on.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    pub user: i64,
    pub committee: i64,
}

/// A committee member writes an opinion. An item's period without a published report is refused
/// beside `period`; a plan or 施策 that is not there is not found.
pub async fn write(
    app: &App,
    org: i64,
    by: Member,
    subject: Subject,
    period: Option<i64>,
    text: &str,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let text = errs.long_text("opinion", text, 4000);
    if text.is_empty() {
        errs.add("opinion", "field.required");
    }
    if !subject_is_known(&app.db, org, subject, period).await? {
        match subject {
            Subject::Item(_) => errs.add("period", "field.bad_choice"),
            _ => return Err(AppError::NotFound),
        }
    }
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO follow_up_opinions (organization_id, id, subject, subject_id, period_id, committee_id, author_id, opinion, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(org)
    .bind(id)
    .bind(subject.kind())
    .bind(subject.id())
    .bind(period)
    .bind(by.committee)
    .bind(by.user)
    .bind(&text)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(by.user),
        Change {
            action: "opinion.create",
            target_type: "committee_opinion",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "subject": subject.kind(), "id": subject.id(), "period": period,
                "committee": by.committee,
            })),
        },
    )
    .await?;
    Ok(id)
}

/// The HQ records the city's response; opinion and response are then published together.
pub async fn respond(
    app: &App,
    org: i64,
    actor: i64,
    opinion: i64,
    response: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let response = errs.long_text("response", response, 4000);
    if response.is_empty() {
        errs.add("response", "field.required");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    let n = sqlx::query("UPDATE follow_up_opinions SET response = $1, published = 1 WHERE organization_id = $2 AND id = $3")
        .bind(&response)
        .bind(org)
        .bind(opinion)
        .execute(&mut *tx)
        .await?;
    if n.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "opinion.respond",
            target_type: "committee_opinion",
            target_id: opinion.to_string(),
            before: None,
            after: Some(serde_json::json!({ "response": response, "published": true })),
        },
    )
    .await?;
    Ok(())
}
