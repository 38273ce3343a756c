//! 進捗状況報告 — the progress-report workflow for one action item and reporting period.
//!
//! draft → submitted → [confirmed by the department's 所属長, when the organization asks for that
//! step] → approved by the reform HQ → published; any review stage may return it (with a comment).
//! Every save writes a new version; the published version stays what the public sees until a newer one is published.
//! On publication the report's indicator and fiscal-effect actuals are copied to the plan.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes;
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::policy::Principal;

mod actuals;
mod status;
mod workflow;
use actuals::apply_actuals;
use serde::Serialize;
pub use status::ReportStatus;
use std::collections::BTreeMap;
pub use workflow::{Step, may_review, next_status, review_steps};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub node_id: i64,
    pub period_id: i64,
    pub status: ReportStatus,
    pub current_version: i64,
    pub published_version: Option<i64>,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
pub struct Version {
    pub version: i64,
    pub progress: String,
    pub rating: String,
    pub did: String,
    pub evaluation: String,
    pub next_steps: String,
    pub actuals_json: String,
    pub author: Option<String>,
    pub created_at: String,
}

impl Version {
    /// `{"indicator:<id>": value, "effect:<id>": 千円}` as a map.
    pub fn actuals(&self) -> BTreeMap<String, f64> {
        serde_json::from_str(&self.actuals_json).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    pub version: i64,
    pub action: String,
    pub comment: String,
    pub actor: Option<String>,
    pub at: String,
}

/// The content a department writes.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub progress: String,
    pub rating: String,
    pub did: String,
    pub evaluation: String,
    pub next_steps: String,
    pub actuals: BTreeMap<String, f64>,
}

pub async fn find(db: &Db, org: i64, node: i64, period: i64) -> sqlx::Result<Option<Report>> {
    sqlx::query_as(
        "SELECT id, node_id, period_id, status, current_version, published_version, updated_at FROM progress_reports \
         WHERE organization_id = $1 AND node_id = $2 AND period_id = $3",
    )
    .bind(org)
    .bind(node)
    .bind(period)
    .fetch_optional(db)
    .await
}

/// The newest `limit` versions (all when `None`), newest first, with the author's display name
/// (staff only ever see this). Every version is kept; pages show the newest so that a report
/// saved thousands of times still opens quickly.
pub async fn versions(
    db: &Db,
    org: i64,
    report: i64,
    limit: Option<i64>,
) -> sqlx::Result<Vec<Version>> {
    sqlx::query_as(
        "SELECT v.version, v.progress, v.rating, v.did, v.evaluation, v.next_steps, v.actuals_json, \
         u.display_name AS author, v.created_at FROM progress_report_versions v \
         LEFT JOIN users u ON u.organization_id = v.organization_id AND u.id = v.author_id \
         WHERE v.organization_id = $1 AND v.report_id = $2 ORDER BY v.version DESC LIMIT $3",
    )
    .bind(org)
    .bind(report)
    .bind(limit.unwrap_or(i64::MAX))
    .fetch_all(db)
    .await
}

/// The newest `limit` workflow events (all when `None`), newest first.
pub async fn events(
    db: &Db,
    org: i64,
    report: i64,
    limit: Option<i64>,
) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as(
        "SELECT e.version, e.action, e.comment, u.display_name AS actor, e.at FROM report_events e \
         LEFT JOIN users u ON u.organization_id = e.organization_id AND u.id = e.actor_id \
         WHERE e.organization_id = $1 AND e.report_id = $2 ORDER BY e.at DESC, e.id DESC LIMIT $3",
    )
    .bind(org)
    .bind(report)
    .bind(limit.unwrap_or(i64::MAX))
    .fetch_all(db)
    .await
}

/// Departments responsible for a node.
pub async fn departments_of(db: &Db, org: i64, node: i64) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT department_id FROM plan_node_departments WHERE organization_id = $1 AND node_id = $2",
    )
    .bind(org)
    .bind(node)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}

/// Checks the content against the organization's vocabularies and limits.
pub fn validate(content: &Content, codes: &[codes::Code]) -> crate::validation::FieldErrors {
    let mut errs = crate::validation::FieldErrors::default();
    if !codes::of_list(codes, codes::PROGRESS).any(|c| c.code == content.progress) {
        errs.add("progress", "field.bad_choice");
    }
    if !codes::of_list(codes, codes::RATING).any(|c| c.code == content.rating) {
        errs.add("rating", "field.bad_choice");
    }
    for (field, v) in [
        ("did", &content.did),
        ("evaluation", &content.evaluation),
        ("next_steps", &content.next_steps),
    ] {
        if v.chars().count() > 4000 {
            errs.add(field, "field.too_long");
        }
    }
    errs
}

/// Saves a new version (and submits it when `submit`). The caller has checked [`can_write`].
pub async fn save(
    app: &App,
    org: i64,
    actor: &Principal,
    node: i64,
    period: i64,
    content: &Content,
    submit: bool,
) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let at = now();
    // The upsert takes the row lock first (and creates the report on its first save), so
    // concurrent saves queue instead of both passing the check; one round trip.
    let (id, status, version): (i64, ReportStatus, i64) = sqlx::query_as(
        "INSERT INTO progress_reports (organization_id, id, node_id, period_id, status, current_version, updated_at) \
         VALUES ($1, $2, $3, $4, 'draft', 0, $5) \
         ON CONFLICT (organization_id, node_id, period_id) DO UPDATE SET updated_at = excluded.updated_at \
         RETURNING id, status, current_version",
    )
    .bind(org)
    .bind(new_id())
    .bind(node)
    .bind(period)
    .bind(&at)
    .fetch_one(&mut *tx)
    .await?;
    let current = (version > 0).then_some(status);
    let mut new_status = next_status(current, Step::Save, false)
        .ok_or(AppError::BadRequest("report.bad_transition"))?;
    if submit {
        new_status = next_status(Some(new_status), Step::Submit, false)
            .ok_or(AppError::BadRequest("report.bad_transition"))?;
    }
    let version = version + 1;
    let actuals = serde_json::to_string(&content.actuals).map_err(anyhow::Error::from)?;
    let steps: &[Step] = if submit {
        &[Step::Save, Step::Submit]
    } else {
        &[Step::Save]
    };
    // The version, the report's new status and the step events in one round trip: the write
    // queue waits on this transaction, so each statement it saves is saved for every writer.
    let mut events = String::new();
    for (i, _) in steps.iter().enumerate() {
        let (id, action) = (13 + 2 * i, 14 + 2 * i);
        events.push_str(if i == 0 { "" } else { ", " });
        events.push_str(&format!("($1, ${id}, $2, $3, ${action}, '', $10, $11)"));
    }
    let version_row = "INSERT INTO progress_report_versions (organization_id, report_id, version, progress, rating, \
         did, evaluation, next_steps, actuals_json, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    let status = "UPDATE progress_reports SET status = $12, current_version = $3 WHERE organization_id = $1 AND id = $2";
    let event_rows = format!(
        "INSERT INTO report_events (organization_id, id, report_id, version, action, comment, actor_id, at) VALUES {events}"
    );
    let sql = if tx.backend_name() == "PostgreSQL" {
        format!("WITH v AS ({version_row}), s AS ({status}) {event_rows}")
    } else {
        format!("{version_row}; {status}; {event_rows}")
    };
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(org)
        .bind(id)
        .bind(version)
        .bind(&content.progress)
        .bind(&content.rating)
        .bind(&content.did)
        .bind(&content.evaluation)
        .bind(&content.next_steps)
        .bind(&actuals)
        .bind(actor.user_id)
        .bind(&at)
        .bind(new_status);
    for step in steps {
        q = q.bind(new_id()).bind(step.name());
    }
    q.execute(&mut *tx).await?;
    audit::append(&mut tx, org, &Actor::user(actor.user_id), Change {
        action: if submit { "report.submit" } else { "report.save" },
        target_type: "progress_report",
        target_id: id.to_string(),
        before: Some(serde_json::json!({"status": status})),
        after: Some(serde_json::json!({"status": new_status, "version": version, "rating": content.rating, "progress": content.progress})),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One step taken on a version of a report, by whom and when.
struct NewEvent<'a> {
    report: i64,
    version: i64,
    step: Step,
    comment: &'a str,
    actor: i64,
    at: &'a str,
}

/// Writes the event row of a workflow step (a report's history is these rows).
async fn event(conn: &mut sqlx::AnyConnection, org: i64, e: NewEvent<'_>) -> sqlx::Result<()> {
    let NewEvent {
        report,
        version,
        step,
        comment,
        actor,
        at,
    } = e;
    sqlx::query("INSERT INTO report_events (organization_id, id, report_id, version, action, comment, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(org)
        .bind(new_id())
        .bind(report)
        .bind(version)
        .bind(step.name())
        .bind(comment)
        .bind(actor)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The 所属長 confirms or returns, the reform HQ returns, approves or publishes the current version.
pub async fn review(
    app: &App,
    org: i64,
    actor: &Principal,
    node: i64,
    period: i64,
    step: Step,
    comment: &str,
) -> AppResult<()> {
    let departments = departments_of(&app.db, org, node).await?;
    let manager_step = crate::accounts::approval::required(&app.db, org).await?;
    let mut tx = app.begin_write().await?;
    let at = now();
    // Takes the row lock and reads the report in one round trip.
    let (id, status, version): (i64, ReportStatus, i64) = sqlx::query_as(
        "UPDATE progress_reports SET updated_at = $1 WHERE organization_id = $2 AND node_id = $3 AND period_id = $4 \
         RETURNING id, status, current_version",
    )
    .bind(&at)
    .bind(org)
    .bind(node)
    .bind(period)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if !may_review(actor, &departments, status, step) {
        return Err(AppError::Forbidden);
    }
    let new_status = next_status(Some(status), step, manager_step)
        .ok_or(AppError::BadRequest("report.bad_transition"))?;
    if step == Step::Publish {
        sqlx::query("UPDATE progress_reports SET status = $1, published_version = current_version WHERE organization_id = $2 AND id = $3")
            .bind(new_status)
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        apply_actuals(&mut tx, org, id, version, node, period).await?;
    } else {
        sqlx::query(
            "UPDATE progress_reports SET status = $1 WHERE organization_id = $2 AND id = $3",
        )
        .bind(new_status)
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    let e = NewEvent {
        report: id,
        version,
        step,
        comment,
        actor: actor.user_id,
        at: &at,
    };
    event(&mut tx, org, e).await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor.user_id),
        Change {
            action: match step {
                Step::Return => "report.return",
                Step::Confirm => "report.confirm",
                Step::Approve => "report.approve",
                _ => "report.publish",
            },
            target_type: "progress_report",
            target_id: id.to_string(),
            before: Some(serde_json::json!({"status": status})),
            after: Some(
                serde_json::json!({"status": new_status, "version": version, "comment": comment}),
            ),
        },
    )
    .await?;
    Ok(())
}
