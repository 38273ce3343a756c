//! What an adviser is assigned to: a plan, a consultation, an evaluation year (評価年度) or a
//! council. One query resolves every kind's title, so a list of assignments is one round trip.

use super::Adviser;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Serialize;

/// The kinds of thing an adviser is assigned to, with their catalogue labels.
pub const KINDS: [(&str, &str); 4] = [
    ("plan", "adv.kind_plan"),
    ("consultation", "adv.kind_consultation"),
    ("evaluation_cycle", "adv.kind_evaluation_cycle"),
    ("council", "adv.kind_council"),
];

/// Every assignable thing of the organization as (kind, id, title, fiscal year, public): an
/// evaluation year has no title of its own and is named by its fiscal year in the page's language;
/// a draft plan and an unpublished year are not public (the public register leaves them out).
const TARGETS: &str = "SELECT 'plan' AS kind, id, title, CAST(0 AS BIGINT) AS fiscal_year, CASE WHEN status = 'draft' THEN 0 ELSE 1 END AS is_public FROM plans WHERE organization_id = $1 \
     UNION ALL SELECT 'consultation', id, title, CAST(0 AS BIGINT), 1 FROM pc_consultations WHERE organization_id = $1 \
     UNION ALL SELECT 'evaluation_cycle', id, '', fiscal_year, published FROM eval_cycles WHERE organization_id = $1 \
     UNION ALL SELECT 'council', id, name, CAST(0 AS BIGINT), 1 FROM cn_bodies WHERE organization_id = $1";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Target {
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub fiscal_year: i64,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub is_public: bool,
}

impl Target {
    /// The public page of the target.
    pub fn public_path(&self) -> String {
        match self.kind.as_str() {
            "plan" => format!("/plans/{}", self.id),
            "consultation" => format!("/consultations/{}", self.id),
            "council" => format!("/councils/{}", self.id),
            _ => format!("/evaluation?year={}", self.fiscal_year),
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Assignment {
    #[sqlx(rename = "assignment_id")]
    pub id: i64,
    pub adviser_id: i64,
    #[sqlx(flatten)]
    pub target: Target,
}

pub async fn targets(db: &Db, org: i64) -> sqlx::Result<Vec<Target>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT t.kind, t.id, t.title, t.fiscal_year, t.is_public FROM ({TARGETS}) t ORDER BY t.kind, t.fiscal_year DESC, t.title"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

const ASSIGNED: &str = "SELECT a.id AS assignment_id, a.adviser_id, t.kind, t.id, t.title, t.fiscal_year, t.is_public FROM adviser_assignments a";

fn joined(filter: &str) -> String {
    format!(
        "{ASSIGNED} JOIN ({TARGETS}) t ON t.kind = a.target_kind AND t.id = a.target_id \
         WHERE a.organization_id = $1 AND {filter} ORDER BY a.assigned_at, a.id"
    )
}

/// Every assignment of the organization (the HQ's register and the public one).
pub async fn all(db: &Db, org: i64) -> sqlx::Result<Vec<Assignment>> {
    sqlx::query_as(sqlx::AssertSqlSafe(joined("1 = 1")))
        .bind(org)
        .fetch_all(db)
        .await
}

pub async fn of_adviser(db: &Db, org: i64, adviser: i64) -> sqlx::Result<Vec<Assignment>> {
    sqlx::query_as(sqlx::AssertSqlSafe(joined("a.adviser_id = $2")))
        .bind(org)
        .bind(adviser)
        .fetch_all(db)
        .await
}

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Assignment>> {
    sqlx::query_as(sqlx::AssertSqlSafe(joined("a.id = $2")))
        .bind(org)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The assignment `id` as its adviser signed in as `user` may open it today; `None` for anyone
/// else, for another adviser's assignment and outside the adviser's term.
pub async fn for_adviser(
    db: &Db,
    org: i64,
    user: i64,
    id: i64,
) -> sqlx::Result<Option<(Adviser, Assignment)>> {
    let Some(a) = get(db, org, id).await? else {
        return Ok(None);
    };
    let adviser = super::get(db, org, a.adviser_id).await?;
    Ok(adviser
        .filter(|ad| crate::policy::adviser_may_open(ad, user, &super::today()))
        .map(|ad| (ad, a)))
}

/// Assigns an adviser to a target (`kind` and id, as the HQ's form sends `kind:id`).
pub async fn assign(app: &App, org: i64, actor: i64, adviser: i64, target: &str) -> AppResult<i64> {
    super::get(&app.db, org, adviser)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let chosen = target
        .split_once(':')
        .and_then(|(k, id)| Some((k, id.parse::<i64>().ok()?)));
    let found = match chosen {
        Some((kind, id)) => targets(&app.db, org)
            .await?
            .into_iter()
            .find(|t| t.kind == kind && t.id == id),
        None => None,
    };
    let Some(found) = found else {
        errs.add("target", "field.bad_choice");
        return Err(AppError::Invalid(errs));
    };
    let id = new_id();
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "INSERT INTO adviser_assignments (organization_id, id, adviser_id, target_kind, target_id, assigned_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organization_id, adviser_id, target_kind, target_id) DO NOTHING",
    )
    .bind(org)
    .bind(id)
    .bind(adviser)
    .bind(&found.kind)
    .bind(found.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        errs.add("target", "adv.already_assigned");
        return Err(AppError::Invalid(errs));
    }
    let change = Change {
        action: "advisers.assign",
        target_type: "adviser",
        target_id: adviser.to_string(),
        before: None,
        after: Some(
            serde_json::json!({ "assignment": id, "kind": found.kind, "target": found.id }),
        ),
    };
    audit::record_and_commit(tx, org, &Actor::user(actor), change).await?;
    Ok(id)
}
