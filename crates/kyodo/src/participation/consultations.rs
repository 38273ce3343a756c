//! A consultation (意見公募): the draft in sections, the period, who may submit, the responsible
//! department and the basis (根拠), and where it stands (its phase).

use super::{Rules, draft};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Consultation {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub department_id: Option<i64>,
    pub basis: String,
    pub starts_on: String,
    pub ends_on: String,
    pub short_reason: String,
    /// Comma-separated codes of the `consultation_eligibility` code list.
    pub eligibility: String,
    pub plan_item_id: Option<i64>,
    /// The 施策 (a `measure` of the 総合計画) the consultation belongs to, if any.
    pub policy_node_id: Option<i64>,
    /// Receipt numbers given so far.
    pub opinions: i64,
    /// none | submitted | published
    pub result_state: String,
    pub result_published_at: Option<String>,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub is_demo: bool,
}

/// Where a consultation stands, as its public list groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Phase {
    /// 予告: announced, not yet open.
    Upcoming,
    /// 募集中
    Open,
    /// 結果公表待ち: closed, the result not yet published.
    Closed,
    /// 結果公表済
    Published,
}

impl Phase {
    pub fn key(self) -> &'static str {
        match self {
            Phase::Upcoming => "pc.phase_upcoming",
            Phase::Open => "pc.phase_open",
            Phase::Closed => "pc.phase_closed",
            Phase::Published => "pc.phase_published",
        }
    }
}

impl Consultation {
    pub fn phase(&self, today: NaiveDate) -> Phase {
        let day = today.format("%Y-%m-%d").to_string();
        if self.result_state == "published" {
            Phase::Published
        } else if day < self.starts_on {
            Phase::Upcoming
        } else if day <= self.ends_on {
            Phase::Open
        } else {
            Phase::Closed
        }
    }
    pub fn allows(&self, eligibility: &str) -> bool {
        self.eligibility.split(',').any(|e| e == eligibility)
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SectionRow {
    pub number: i64,
    pub heading: String,
    pub body: String,
    pub revised_body: Option<String>,
}

/// What the new-consultation form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConsultationForm {
    pub title: String,
    pub summary: String,
    pub department_id: String,
    pub basis: String,
    pub starts_on: String,
    pub ends_on: String,
    pub short_reason: String,
    /// The draft as text; its headings divide it into sections.
    pub draft: String,
    pub plan_item_id: String,
    pub policy_node_id: String,
    /// Who may submit, ticked as `elig_<code>=1` for codes of the organization's
    /// `consultation_eligibility` list (and whatever else the form sent, ignored).
    #[serde(flatten)]
    pub ticks: std::collections::BTreeMap<String, String>,
}

impl ConsultationForm {
    /// The form's field for eligibility code `code`.
    pub fn tick_name(code: &str) -> String {
        format!("elig_{code}")
    }
    pub fn ticked(&self, code: &str) -> bool {
        self.ticks
            .get(&Self::tick_name(code))
            .is_some_and(|v| v == "1")
    }
    /// Ticks every code of the list (a new consultation's default).
    pub fn tick_all<'a>(&mut self, codes: impl Iterator<Item = &'a str>) {
        for c in codes {
            self.ticks.insert(Self::tick_name(c), "1".into());
        }
    }
}

const COLUMNS: &str = "id, title, summary, department_id, basis, starts_on, ends_on, short_reason, eligibility, \
     plan_item_id, policy_node_id, opinions, result_state, result_published_at, is_demo";

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Consultation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM pc_consultations WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Every consultation, newest period first.
pub async fn list(db: &Db, org: i64) -> sqlx::Result<Vec<Consultation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM pc_consultations WHERE organization_id = $1 ORDER BY starts_on DESC, id DESC"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// The consultations linked to a plan item.
pub async fn for_plan_item(db: &Db, org: i64, item: i64) -> sqlx::Result<Vec<Consultation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM pc_consultations WHERE organization_id = $1 AND plan_item_id = $2 ORDER BY starts_on DESC"
    )))
    .bind(org)
    .bind(item)
    .fetch_all(db)
    .await
}

/// Consultations linked to a 施策, newest first (its page lists them).
pub async fn for_policy(db: &Db, org: i64, node: i64) -> sqlx::Result<Vec<Consultation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM pc_consultations WHERE organization_id = $1 AND policy_node_id = $2 ORDER BY starts_on DESC"
    )))
    .bind(org)
    .bind(node)
    .fetch_all(db)
    .await
}

/// One 施策 as (id, "1-1 title"), if it is one of the organization's measures.
pub async fn policy(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, number || ' ' || title FROM policy_nodes WHERE organization_id = $1 AND id = $2 AND level = 'measure'",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The 施策 a consultation can be linked to: (id, "1-1 title"), in number order.
pub async fn policies(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, number || ' ' || title FROM policy_nodes WHERE organization_id = $1 AND level = 'measure' ORDER BY number",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

pub async fn sections(db: &Db, org: i64, id: i64) -> sqlx::Result<Vec<SectionRow>> {
    sqlx::query_as(
        "SELECT number, heading, body, revised_body FROM pc_sections \
         WHERE organization_id = $1 AND consultation_id = $2 ORDER BY number",
    )
    .bind(org)
    .bind(id)
    .fetch_all(db)
    .await
}

/// Opens a consultation. The period counts from its first day (公示の日から起算して); shorter
/// than the organization's minimum only with a reason, and only the HQ may give one.
pub async fn create(
    app: &App,
    org: i64,
    actor: i64,
    actor_is_hq: bool,
    f: &ConsultationForm,
) -> AppResult<i64> {
    let rules = Rules::load(&app.db, org).await?;
    let mut errs = FieldErrors::default();
    let title = errs.text("title", &f.title, 200);
    let summary = errs.long_text("summary", &f.summary, 4000);
    let basis = errs.optional_text("basis", &f.basis, 200);
    let department_id = crate::accounts::departments::chosen(
        &app.db,
        org,
        &mut errs,
        "department_id",
        &f.department_id,
    )
    .await?;
    let plan_item_id = match f.plan_item_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(i)
                if crate::plans::store::is_trackable(&app.db, org, i)
                    .await?
                    .is_some() =>
            {
                Some(i)
            }
            _ => {
                errs.add("plan_item_id", "pc.bad_plan_item");
                None
            }
        },
    };
    let policy_node_id = match f.policy_node_id.trim() {
        "" => None,
        raw => {
            let id = raw.parse::<i64>().ok();
            let found = match id {
                Some(i) => policy(&app.db, org, i).await?.is_some(),
                None => false,
            };
            if !found {
                errs.add("policy_node_id", "field.bad_choice");
            }
            id.filter(|_| found)
        }
    };
    let starts = errs.date("starts_on", &f.starts_on);
    let ends = errs.date("ends_on", &f.ends_on);
    let short_reason = errs.optional_text("short_reason", &f.short_reason, 500);
    if let (Some(s), Some(e)) = (starts, ends) {
        let days = (e - s).num_days() + 1;
        if e < s {
            errs.add("ends_on", "pc.period_order");
        } else if days < rules.min_days {
            if short_reason.is_empty() {
                errs.add("ends_on", "pc.period_short");
            } else if !actor_is_hq {
                errs.add("short_reason", "pc.short_reason_hq");
            }
        }
    }
    let all_codes = crate::codes::all(&app.db, org).await?;
    let eligibility: Vec<&str> =
        crate::codes::of_list(&all_codes, crate::codes::CONSULTATION_ELIGIBILITY)
            .map(|c| c.code.as_str())
            .filter(|c| f.ticked(c))
            .collect();
    if eligibility.is_empty() {
        errs.add("eligibility", "pc.eligibility_none");
    }
    let draft_text = errs.long_text("draft", &f.draft, 100_000);
    let sections = draft::split(&draft_text);
    if sections.is_empty() && errs.get("draft").is_none() {
        errs.add("draft", "field.required");
    }
    errs.into_result()?;
    let (Some(starts), Some(ends)) = (starts, ends) else {
        return Err(AppError::Internal(anyhow::anyhow!("dates checked above")));
    };
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO pc_consultations (organization_id, id, title, summary, department_id, basis, starts_on, ends_on, \
         short_reason, eligibility, plan_item_id, policy_node_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(org)
    .bind(id)
    .bind(&title)
    .bind(&summary)
    .bind(department_id)
    .bind(&basis)
    .bind(starts.format("%Y-%m-%d").to_string())
    .bind(ends.format("%Y-%m-%d").to_string())
    .bind(&short_reason)
    .bind(eligibility.join(","))
    .bind(plan_item_id)
    .bind(policy_node_id)
    .bind(actor)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    insert_sections(&mut tx, org, id, &sections).await?;
    let base = crate::accounts::service::base_url(app, org).await?;
    let text = format!(
        "新しい意見公募「{title}」({starts} 〜 {ends})\n{base}/consultations/{id}\n\nA new consultation: \"{title}\"."
    );
    super::subscriptions::notify(
        app,
        &mut tx,
        org,
        "意見公募のお知らせ / New consultation",
        &text,
    )
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "consultations.create",
            target_type: "consultation",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "title": title, "starts_on": starts.to_string(), "ends_on": ends.to_string(),
                "short_reason": short_reason, "sections": sections.len(),
            })),
        },
    )
    .await?;
    app.mailer.wake();
    Ok(id)
}

pub(super) async fn insert_sections(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    id: i64,
    sections: &[draft::Section],
) -> sqlx::Result<()> {
    for (i, s) in sections.iter().enumerate() {
        sqlx::query(
            "INSERT INTO pc_sections (organization_id, consultation_id, number, heading, body) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org)
        .bind(id)
        .bind(i as i64 + 1)
        .bind(&s.heading)
        .bind(&s.body)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
