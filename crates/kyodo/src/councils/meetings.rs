//! A council's meetings: announced with date, place and agenda; public or closed (with the
//! reason); 傍聴 registration in order of arrival — a seat within the capacity, the waiting list
//! beyond it (`observers.rs`); and the minutes in the published layout.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Meeting {
    pub id: i64,
    pub body_id: i64,
    pub held_on: String,
    pub starts_at: String,
    pub place: String,
    pub agenda: String,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub is_public: bool,
    pub closed_reason: String,
    pub capacity: i64,
    pub observers: i64,
    /// 傍聴 registrations cancelled (each frees a seat or a place on the waiting list).
    pub cancellations: i64,
    pub attendees: String,
    pub absentees: String,
    pub documents: String,
    pub result: String,
    pub observer_count: Option<i64>,
}

impl Meeting {
    /// Whether the minutes were recorded (the result is what a published record always has).
    pub fn has_minutes(&self) -> bool {
        !self.result.is_empty()
    }
    pub fn seats_left(&self) -> i64 {
        (self.capacity - (self.observers - self.cancellations)).max(0)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MeetingForm {
    pub held_on: String,
    pub starts_at: String,
    pub place: String,
    pub agenda: String,
    /// "1": the meeting is public.
    pub is_public: String,
    pub closed_reason: String,
    pub capacity: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MinutesForm {
    pub attendees: String,
    pub absentees: String,
    pub documents: String,
    pub result: String,
    pub observer_count: String,
}

const COLUMNS: &str = "id, body_id, held_on, starts_at, place, agenda, is_public, closed_reason, capacity, observers, \
     cancellations, attendees, absentees, documents, result, observer_count";

pub async fn of_body(db: &Db, org: i64, body: i64) -> sqlx::Result<Vec<Meeting>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cn_meetings WHERE organization_id = $1 AND body_id = $2 ORDER BY held_on DESC, starts_at DESC"
    )))
    .bind(org)
    .bind(body)
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Meeting>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cn_meetings WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

pub(super) fn record(action: &str, id: i64, after: serde_json::Value) -> Change<'_> {
    Change {
        action,
        target_type: "council_meeting",
        target_id: id.to_string(),
        before: None,
        after: Some(after),
    }
}

/// Announces a meeting (会議の事前公表).
pub async fn announce(
    app: &App,
    org: i64,
    actor: i64,
    body: i64,
    f: &MeetingForm,
) -> AppResult<i64> {
    super::bodies::get(&app.db, org, body)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let held_on = match kyodo_jp::wareki::parse_date(&f.held_on) {
        Ok(d) => d.format("%Y-%m-%d").to_string(),
        Err(_) => {
            errs.add(
                "held_on",
                if f.held_on.trim().is_empty() {
                    "field.required"
                } else {
                    "field.bad_date"
                },
            );
            String::new()
        }
    };
    let starts_at = match chrono::NaiveTime::parse_from_str(f.starts_at.trim(), "%H:%M") {
        Ok(t) => t.format("%H:%M").to_string(),
        Err(_) => {
            errs.add("starts_at", "cn.bad_time");
            String::new()
        }
    };
    let place = errs.text("place", &f.place, 200);
    let agenda = errs.long_text("agenda", &f.agenda, 4000);
    if agenda.is_empty() {
        errs.add("agenda", "field.required");
    }
    let is_public = f.is_public == "1";
    let closed_reason = errs.optional_text("closed_reason", &f.closed_reason, 500);
    if !is_public && closed_reason.is_empty() {
        errs.add("closed_reason", "cn.closed_reason_needed");
    }
    let capacity = match kyodo_jp::numbers::parse_amount(&f.capacity) {
        Ok(None) => 0,
        Ok(Some(n)) if (0..=1000).contains(&n) => n,
        _ => {
            errs.add("capacity", "cn.bad_capacity");
            0
        }
    };
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO cn_meetings (organization_id, id, body_id, held_on, starts_at, place, agenda, is_public, closed_reason, capacity) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(org)
    .bind(id)
    .bind(body)
    .bind(&held_on)
    .bind(&starts_at)
    .bind(&place)
    .bind(&agenda)
    .bind(i64::from(is_public))
    .bind(if is_public { "" } else { closed_reason.as_str() })
    .bind(if is_public { capacity } else { 0 })
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "body": body, "held_on": held_on, "public": is_public, "capacity": capacity });
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        record("councils.announce", id, after),
    )
    .await?;
    Ok(id)
}

/// The minutes in the published layout.
pub async fn record_minutes(
    app: &App,
    org: i64,
    actor: i64,
    id: i64,
    f: &MinutesForm,
) -> AppResult<i64> {
    let m = get(&app.db, org, id).await?.ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let attendees = errs.long_text("attendees", &f.attendees, 4000);
    if attendees.is_empty() {
        errs.add("attendees", "field.required");
    }
    let absentees = errs.long_text("absentees", &f.absentees, 2000);
    let documents = errs.long_text("documents", &f.documents, 4000);
    let result = errs.long_text("result", &f.result, 20_000);
    if result.is_empty() {
        errs.add("result", "field.required");
    }
    let observer_count = match kyodo_jp::numbers::parse_amount(&f.observer_count) {
        Ok(None) => None,
        Ok(Some(n)) if n >= 0 => Some(n),
        _ => {
            errs.add("observer_count", "cn.bad_capacity");
            None
        }
    };
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "UPDATE cn_meetings SET attendees = $1, absentees = $2, documents = $3, result = $4, observer_count = $5 \
         WHERE organization_id = $6 AND id = $7",
    )
    .bind(&attendees)
    .bind(&absentees)
    .bind(&documents)
    .bind(&result)
    .bind(observer_count)
    .bind(org)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    // The minutes archive keeps (and searches) the record too; recording again replaces it.
    let body = super::bodies::get(&app.db, org, m.body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let part = |label: &str, text: &str| crate::minutes::store::NewSpeech {
        speaker_raw: label.to_string(),
        speaker: label.to_string(),
        text: text.to_string(),
        ..Default::default()
    };
    let mut speeches = vec![part("出席者", &attendees)];
    if !absentees.is_empty() {
        speeches.push(part("欠席者", &absentees));
    }
    if !documents.is_empty() {
        speeches.push(part("配布資料", &documents));
    }
    speeches.push(part("会議の結果", &result));
    let archived = crate::minutes::store::NewMeeting {
        source_key: format!("council-meeting:{id}"),
        body: body.name.clone(),
        kind: "審議会".into(),
        held_on: m.held_on.clone(),
        title: format!(
            "{} {}",
            body.name,
            m.agenda.lines().next().unwrap_or_default()
        ),
        place: m.place.clone(),
        attendance: attendees.clone(),
        speeches,
        ..Default::default()
    };
    crate::minutes::store::replace(&mut tx, org, &archived, body.is_demo).await?;
    let after = serde_json::json!({ "observer_count": observer_count });
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        record("councils.minutes", id, after),
    )
    .await?;
    Ok(m.body_id)
}
