//! 変更・中止 — change requests to an action item's content or schedule, or its discontinuation.
//! The responsible department submits; the reform HQ approves (the change is applied) or rejects.
//! Approved and rejected requests stay as the item's history.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a request proposes (empty fields: unchanged).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Proposal {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// fiscal year → step code
    #[serde(default)]
    pub schedule: BTreeMap<i64, String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Request {
    pub id: i64,
    pub node_id: i64,
    pub kind: String,
    pub reason: String,
    pub proposed_json: String,
    pub previous_json: String,
    pub status: String,
    pub decision_comment: String,
    pub created_at: String,
    pub decided_at: Option<String>,
}

impl Request {
    pub fn proposal(&self) -> Proposal {
        serde_json::from_str(&self.proposed_json).unwrap_or_default()
    }
    pub fn previous(&self) -> Proposal {
        serde_json::from_str(&self.previous_json).unwrap_or_default()
    }
}

const COLUMNS: &str = "id, node_id, kind, reason, proposed_json, previous_json, status, decision_comment, created_at, decided_at FROM change_requests";

/// An item's requests, newest first; `decided_only` for the public history.
pub async fn of_node(
    db: &Db,
    org: i64,
    node: i64,
    decided_only: bool,
) -> sqlx::Result<Vec<Request>> {
    let extra = if decided_only {
        " AND status <> 'pending'"
    } else {
        ""
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} WHERE organization_id = $1 AND node_id = $2{extra} ORDER BY created_at DESC")))
        .bind(org)
        .bind(node)
        .fetch_all(db)
        .await
}

pub async fn pending(db: &Db, org: i64) -> sqlx::Result<Vec<Request>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} WHERE organization_id = $1 AND status = 'pending' ORDER BY created_at LIMIT 500")))
        .bind(org)
        .fetch_all(db)
        .await
}

/// A change request (変更・中止) as entered: the item, `change` or `cancel`, why, and what.
pub struct NewRequest<'a> {
    pub node: i64,
    pub kind: &'a str,
    pub reason: &'a str,
    pub proposal: Proposal,
}

/// Submits a request; `step_codes` are the organization's schedule steps. The caller checked that
/// the principal writes this item's reports.
pub async fn submit(
    app: &App,
    org: i64,
    actor: i64,
    request: NewRequest<'_>,
    step_codes: &[String],
) -> AppResult<i64> {
    let NewRequest {
        node,
        kind,
        reason,
        proposal,
    } = request;
    let mut errs = FieldErrors::default();
    if !matches!(kind, "change" | "cancel") {
        errs.add("kind", "field.bad_choice");
    }
    let reason = errs.long_text("reason", reason, 2000);
    if reason.is_empty() {
        errs.add("reason", "field.required");
    }
    if proposal.title.chars().count() > 200 {
        errs.add("new_title", "field.too_long");
    }
    errs.long_text("new_body", &proposal.body, 4000);
    for (y, step) in &proposal.schedule {
        if !step.is_empty() && !step_codes.contains(step) {
            errs.add(&format!("new_step_{y}"), "field.bad_choice");
        }
    }
    if kind == "change" && proposal == Proposal::default() {
        errs.add("new_title", "change.nothing_proposed");
    }
    errs.into_result()?;
    let (title, body): (String, String) =
        sqlx::query_as("SELECT title, body FROM plan_nodes WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(node)
            .fetch_optional(&app.db)
            .await?
            .ok_or(AppError::NotFound)?;
    let current: Vec<(i64, String)> = sqlx::query_as(
        "SELECT fiscal_year, step FROM plan_schedule WHERE organization_id = $1 AND node_id = $2",
    )
    .bind(org)
    .bind(node)
    .fetch_all(&app.db)
    .await?;
    let previous = Proposal {
        title,
        body,
        schedule: current.into_iter().collect(),
    };
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO change_requests (organization_id, id, node_id, kind, reason, proposed_json, previous_json, status, requested_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)",
    )
    .bind(org)
    .bind(id)
    .bind(node)
    .bind(kind)
    .bind(&reason)
    .bind(serde_json::to_string(&proposal).map_err(anyhow::Error::from)?)
    .bind(serde_json::to_string(&previous).map_err(anyhow::Error::from)?)
    .bind(actor)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "change.submit",
            target_type: "change_request",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({"node": node, "kind": kind, "proposal": proposal})),
        },
    )
    .await?;
    Ok(id)
}

/// The HQ approves (and the change is applied in the same transaction) or rejects.
pub async fn decide(
    app: &App,
    org: i64,
    actor: i64,
    id: i64,
    approve: bool,
    comment: &str,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let comment = errs.long_text("comment", comment, 2000);
    if !approve && comment.is_empty() {
        errs.add("comment", "change.reason_required");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    let at = now();
    let status = if approve { "approved" } else { "rejected" };
    let done = sqlx::query("UPDATE change_requests SET status = $1, decided_by = $2, decision_comment = $3, decided_at = $4 WHERE organization_id = $5 AND id = $6 AND status = 'pending'")
        .bind(status)
        .bind(actor)
        .bind(&comment)
        .bind(&at)
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let (node, kind, proposed): (i64, String, String) = sqlx::query_as("SELECT node_id, kind, proposed_json FROM change_requests WHERE organization_id = $1 AND id = $2").bind(org).bind(id).fetch_one(&mut *tx).await?;
    if approve {
        let p: Proposal = serde_json::from_str(&proposed).unwrap_or_default();
        if kind == "cancel" {
            sqlx::query(
                "UPDATE plan_nodes SET cancelled = 1 WHERE organization_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(node)
            .execute(&mut *tx)
            .await?;
        }
        if !p.title.is_empty() {
            sqlx::query("UPDATE plan_nodes SET title = $1 WHERE organization_id = $2 AND id = $3")
                .bind(&p.title)
                .bind(org)
                .bind(node)
                .execute(&mut *tx)
                .await?;
        }
        if !p.body.is_empty() {
            sqlx::query("UPDATE plan_nodes SET body = $1 WHERE organization_id = $2 AND id = $3")
                .bind(&p.body)
                .bind(org)
                .bind(node)
                .execute(&mut *tx)
                .await?;
        }
        for (y, step) in &p.schedule {
            sqlx::query("DELETE FROM plan_schedule WHERE organization_id = $1 AND node_id = $2 AND fiscal_year = $3").bind(org).bind(node).bind(*y).execute(&mut *tx).await?;
            if !step.is_empty() {
                sqlx::query("INSERT INTO plan_schedule (organization_id, node_id, fiscal_year, step) VALUES ($1, $2, $3, $4)").bind(org).bind(node).bind(*y).bind(step).execute(&mut *tx).await?;
            }
        }
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: if approve {
                "change.approve"
            } else {
                "change.reject"
            },
            target_type: "change_request",
            target_id: id.to_string(),
            before: Some(serde_json::json!({"status": "pending"})),
            after: Some(serde_json::json!({"status": status, "comment": comment})),
        },
    )
    .await?;
    Ok(node)
}
