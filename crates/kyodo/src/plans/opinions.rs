//! 委員意見 — committee members' opinions on an item's progress and the city's response; both are
//! published together once the city has answered.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::flag::{self, Flag};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Serialize;

/// 委員意見 with the city's response. Committee members' names are not published: the public sees
/// the committee's name only.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Opinion {
    pub id: i64,
    pub node_id: i64,
    pub period_id: i64,
    pub committee: String,
    pub committee_en: String,
    pub opinion: String,
    pub response: String,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub published: bool,
    pub created_at: String,
}

const OPINION_COLUMNS: &str = "o.id, o.node_id, o.period_id, c.name AS committee, c.name_en AS committee_en, o.opinion, o.response, o.published, o.created_at \
     FROM committee_opinions o JOIN committees c ON c.organization_id = o.organization_id AND c.id = o.committee_id";

/// Opinions on one item; `only_published` for the public page.
pub async fn opinions(
    db: &Db,
    org: i64,
    node: i64,
    only_published: bool,
) -> sqlx::Result<Vec<Opinion>> {
    let extra = if only_published {
        " AND o.published = 1"
    } else {
        ""
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {OPINION_COLUMNS} WHERE o.organization_id = $1 AND o.node_id = $2{extra} ORDER BY o.created_at")))
        .bind(org)
        .bind(node)
        .fetch_all(db)
        .await
}

/// Opinions still waiting for the city's response, for the HQ.
pub async fn opinions_awaiting_response(db: &Db, org: i64) -> sqlx::Result<Vec<Opinion>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {OPINION_COLUMNS} WHERE o.organization_id = $1 AND o.published = 0 ORDER BY o.created_at LIMIT 500")))
        .bind(org)
        .fetch_all(db)
        .await
}

/// A committee member writes an opinion on an item's report for a period.
pub async fn write_opinion(
    app: &App,
    org: i64,
    author: i64,
    committee: i64,
    node: i64,
    period: i64,
    text: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let text = errs.long_text("opinion", text, 4000);
    if text.is_empty() {
        errs.add("opinion", "field.required");
    }
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO committee_opinions (organization_id, id, node_id, period_id, committee_id, author_id, opinion, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(org)
    .bind(id)
    .bind(node)
    .bind(period)
    .bind(committee)
    .bind(author)
    .bind(&text)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(author),
        Change {
            action: "opinion.create",
            target_type: "committee_opinion",
            target_id: id.to_string(),
            before: None,
            after: Some(
                serde_json::json!({ "node": node, "period": period, "committee": committee }),
            ),
        },
    )
    .await?;
    Ok(())
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
    let n = sqlx::query("UPDATE committee_opinions SET response = $1, published = 1 WHERE organization_id = $2 AND id = $3")
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
