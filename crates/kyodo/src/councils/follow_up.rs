//! Follow-up after adoption (S-1.3.3: 委員が計画の進捗を追う): a council is linked to the committee
//! its members sit on, and the committee's published opinions on plans, plan items and 施策 — each
//! with the city's response — show on the council's page. They are written on the pages of what
//! they are about (`opinions`).

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use serde::Serialize;

/// A published opinion with the city's response, and what it is about.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FollowUp {
    pub subject: String,
    pub subject_id: i64,
    /// The plan's title, or the item's or 施策's number and title.
    pub title: String,
    pub opinion: String,
    pub response: String,
    pub created_at: String,
}

impl FollowUp {
    pub fn href(&self) -> String {
        super::opinions::page_of(&self.subject, self.subject_id)
    }
}

/// The committee a body is linked to.
pub async fn committee_of(db: &Db, org: i64, body: i64) -> sqlx::Result<Option<i64>> {
    let c: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT committee_id FROM cn_bodies WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(body)
    .fetch_optional(db)
    .await?;
    Ok(c.flatten())
}

/// The published opinions (with the city's responses) of the body's committee, newest first.
pub async fn published(db: &Db, org: i64, body: i64) -> sqlx::Result<Vec<FollowUp>> {
    let Some(committee) = committee_of(db, org, body).await? else {
        return Ok(Vec::new());
    };
    sqlx::query_as(
        "SELECT o.subject, o.subject_id, \
         COALESCE(n.number || ' ' || n.title, p.title, pn.number || ' ' || pn.title, '') AS title, \
         o.opinion, o.response, o.created_at FROM follow_up_opinions o \
         LEFT JOIN plan_nodes n ON o.subject = 'item' AND n.organization_id = o.organization_id AND n.id = o.subject_id \
         LEFT JOIN plans p ON o.subject = 'plan' AND p.organization_id = o.organization_id AND p.id = o.subject_id \
         LEFT JOIN policy_nodes pn ON o.subject = 'policy' AND pn.organization_id = o.organization_id AND pn.id = o.subject_id \
         WHERE o.organization_id = $1 AND o.committee_id = $2 AND o.published = 1 ORDER BY o.created_at DESC LIMIT 200",
    )
    .bind(org)
    .bind(committee)
    .fetch_all(db)
    .await
}

/// Links a body to a committee of the organization (empty: unlinks).
pub async fn link(app: &App, org: i64, actor: i64, body: i64, committee: &str) -> AppResult<()> {
    super::bodies::get(&app.db, org, body)
        .await?
        .ok_or(AppError::NotFound)?;
    let committee = match committee.trim() {
        "" => None,
        raw => {
            let id = raw
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest("error.bad_form"))?;
            let known = crate::accounts::organizations::committees(&app.db, org).await?;
            if !known.iter().any(|(c, _)| *c == id) {
                return Err(AppError::BadRequest("error.bad_form"));
            }
            Some(id)
        }
    };
    let mut tx = app.begin_write().await?;
    sqlx::query("UPDATE cn_bodies SET committee_id = $1 WHERE organization_id = $2 AND id = $3")
        .bind(committee)
        .bind(org)
        .bind(body)
        .execute(&mut *tx)
        .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "councils.link_committee",
            target_type: "council",
            target_id: body.to_string(),
            before: None,
            after: Some(serde_json::json!({ "committee": committee })),
        },
    )
    .await?;
    Ok(())
}
