//! 計画の編集 — the reform HQ edits plans in the UI: new plans, nodes of any depth, responsible
//! departments, yearly schedules, indicators with targets, and fiscal effects. Every change is
//! audited in the same transaction.

use super::periods;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes;
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde_json::json;
use std::collections::BTreeMap;

pub(super) async fn audited(
    app: &App,
    org: i64,
    actor: i64,
    action: &str,
    target_type: &str,
    target: i64,
    after: serde_json::Value,
) -> sqlx::Result<crate::db::write::WriteTx> {
    audited_as(
        app,
        org,
        &Actor::user(actor),
        action,
        target_type,
        target,
        after,
    )
    .await
}

/// As `audited`, for a write that may come with an API token (audited as the token).
pub(super) async fn audited_as(
    app: &App,
    org: i64,
    actor: &Actor,
    action: &str,
    target_type: &str,
    target: i64,
    after: serde_json::Value,
) -> sqlx::Result<crate::db::write::WriteTx> {
    let mut tx = app.begin_write().await?;
    audit::append(
        &mut tx,
        org,
        actor,
        Change {
            action,
            target_type,
            target_id: target.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(tx)
}

/// Parses a fiscal year typed as 2025, 令和7年度, R7 … into `field`'s error when it is not one.
pub fn fiscal_year(errs: &mut FieldErrors, field: &str, raw: &str) -> Option<i64> {
    if raw.trim().is_empty() {
        errs.add(field, "field.required");
        return None;
    }
    let y = kyodo_jp::FiscalYear::parse(raw).map(|y| i64::from(y.0));
    if y.is_none() {
        errs.add(field, "import.bad_year");
    }
    y
}

pub struct NewPlan<'a> {
    pub title: &'a str,
    pub goal: &'a str,
    pub first_year: &'a str,
    pub last_year: &'a str,
}

pub async fn create_plan(app: &App, org: i64, actor: i64, p: NewPlan<'_>) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let title = errs.text("title", p.title, 200);
    let goal = errs.long_text("goal", p.goal, 1000);
    let first = fiscal_year(&mut errs, "first_year", p.first_year);
    let last = fiscal_year(&mut errs, "last_year", p.last_year);
    if let (Some(f), Some(l)) = (first, last)
        && (l < f || l - f > 20)
    {
        errs.add("last_year", "import.bad_period");
    }
    errs.into_result()?;
    let (first, last) = (first.unwrap_or_default(), last.unwrap_or_default());
    let id = new_id();
    let mut tx = audited(
        app,
        org,
        actor,
        "plan.create",
        "plan",
        id,
        json!({"title": title, "first_year": first, "last_year": last}),
    )
    .await?;
    codes::ensure_defaults(&mut tx, org).await?;
    sqlx::query("INSERT INTO plans (organization_id, id, title, goal, first_year, last_year, status, is_demo, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', 0, $7)")
        .bind(org)
        .bind(id)
        .bind(&title)
        .bind(&goal)
        .bind(first)
        .bind(last)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    periods::create_yearly(&mut tx, org, id, first, last).await?;
    tx.commit().await?;
    Ok(id)
}

/// The editable fields of a node.
#[derive(Debug, Clone, Default)]
pub struct NodeInput {
    pub number: String,
    pub title: String,
    pub seed_ref: String,
    pub body: String,
    pub issues: String,
    pub trackable: bool,
    pub departments: Vec<i64>,
    /// fiscal year → step code ("" = none)
    pub schedule: BTreeMap<i64, String>,
}

fn check_node(
    n: &NodeInput,
    codes: &[codes::Code],
    years: std::ops::RangeInclusive<i64>,
    known_departments: &[i64],
) -> FieldErrors {
    let mut errs = FieldErrors::default();
    errs.text("number", &n.number, 40);
    errs.text("title", &n.title, 200);
    if n.seed_ref.chars().count() > 40 {
        errs.add("seed_ref", "field.too_long");
    }
    errs.long_text("body", &n.body, 4000);
    errs.long_text("issues", &n.issues, 4000);
    if n.departments.iter().any(|d| !known_departments.contains(d)) {
        errs.add("departments", "field.bad_choice");
    }
    for (y, step) in &n.schedule {
        if !years.contains(y)
            || (!step.is_empty()
                && !codes::of_list(codes, codes::SCHEDULE_STEP).any(|c| &c.code == step))
        {
            errs.add(&format!("step_{y}"), "field.bad_choice");
        }
    }
    errs
}

pub(super) async fn context(
    app: &App,
    org: i64,
    plan: i64,
) -> AppResult<(Vec<codes::Code>, std::ops::RangeInclusive<i64>, Vec<i64>)> {
    let p = super::store::plan(&app.db, org, plan)
        .await?
        .ok_or(AppError::NotFound)?;
    let depts = crate::accounts::departments::list(&app.db, org)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    Ok((
        codes::all(&app.db, org).await?,
        p.first_year..=p.last_year,
        depts,
    ))
}

async fn write_links(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    node: i64,
    n: &NodeInput,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM plan_node_departments WHERE organization_id = $1 AND node_id = $2")
        .bind(org)
        .bind(node)
        .execute(&mut *conn)
        .await?;
    for d in &n.departments {
        sqlx::query("INSERT INTO plan_node_departments (organization_id, node_id, department_id) VALUES ($1, $2, $3)").bind(org).bind(node).bind(*d).execute(&mut *conn).await?;
    }
    for (y, step) in &n.schedule {
        sqlx::query("DELETE FROM plan_schedule WHERE organization_id = $1 AND node_id = $2 AND fiscal_year = $3").bind(org).bind(node).bind(*y).execute(&mut *conn).await?;
        if !step.is_empty() {
            sqlx::query("INSERT INTO plan_schedule (organization_id, node_id, fiscal_year, step) VALUES ($1, $2, $3, $4)").bind(org).bind(node).bind(*y).bind(step).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// Adds a node under `parent` (or at the top), last among its siblings.
pub async fn add_node(
    app: &App,
    org: i64,
    actor: i64,
    plan: i64,
    parent: Option<i64>,
    n: &NodeInput,
) -> AppResult<i64> {
    let (codes, years, depts) = context(app, org, plan).await?;
    let mut errs = check_node(n, &codes, years, &depts);
    let depth = match parent {
        Some(p) => {
            let row: Option<(i64,)> = sqlx::query_as("SELECT depth FROM plan_nodes WHERE organization_id = $1 AND plan_id = $2 AND id = $3").bind(org).bind(plan).bind(p).fetch_optional(&app.db).await?;
            match row {
                Some((d,)) => d + 1,
                None => {
                    errs.add("parent_id", "field.bad_choice");
                    0
                }
            }
        }
        None => 0,
    };
    errs.into_result()?;
    let id = new_id();
    let mut tx = audited(
        app,
        org,
        actor,
        "plan.node_add",
        "plan_node",
        id,
        json!({"plan": plan, "number": n.number, "title": n.title}),
    )
    .await?;
    let (pos,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plan_nodes WHERE organization_id = $1 AND plan_id = $2 AND ((parent_id IS NULL AND $3 IS NULL) OR parent_id = $3)")
        .bind(org)
        .bind(plan)
        .bind(parent)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO plan_nodes (organization_id, id, plan_id, parent_id, depth, position, number, seed_ref, title, body, issues, trackable) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(org)
    .bind(id)
    .bind(plan)
    .bind(parent)
    .bind(depth)
    .bind(pos)
    .bind(n.number.trim())
    .bind(n.seed_ref.trim())
    .bind(n.title.trim())
    .bind(n.body.trim())
    .bind(n.issues.trim())
    .bind(i64::from(n.trackable))
    .execute(&mut *tx)
    .await?;
    write_links(&mut tx, org, id, n).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_node(
    app: &App,
    org: i64,
    actor: i64,
    plan: i64,
    node: i64,
    n: &NodeInput,
) -> AppResult<()> {
    let (codes, years, depts) = context(app, org, plan).await?;
    check_node(n, &codes, years, &depts).into_result()?;
    let mut tx = audited(app, org, actor, "plan.node_update", "plan_node", node, json!({"number": n.number, "title": n.title, "trackable": n.trackable, "schedule": n.schedule})).await?;
    let done = sqlx::query("UPDATE plan_nodes SET number = $1, seed_ref = $2, title = $3, body = $4, issues = $5, trackable = $6 WHERE organization_id = $7 AND plan_id = $8 AND id = $9")
        .bind(n.number.trim())
        .bind(n.seed_ref.trim())
        .bind(n.title.trim())
        .bind(n.body.trim())
        .bind(n.issues.trim())
        .bind(i64::from(n.trackable))
        .bind(org)
        .bind(plan)
        .bind(node)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    write_links(&mut tx, org, node, n).await?;
    tx.commit().await?;
    Ok(())
}

/// Adopts (publishes), finishes or returns a plan to draft.
pub async fn set_status(app: &App, org: i64, actor: i64, plan: i64, status: &str) -> AppResult<()> {
    if !matches!(status, "draft" | "adopted" | "finished") {
        return Err(AppError::BadRequest("error.bad_form"));
    }
    let before = super::store::plan(&app.db, org, plan)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = app.begin_write().await?;
    sqlx::query("UPDATE plans SET status = $1 WHERE organization_id = $2 AND id = $3")
        .bind(status)
        .bind(org)
        .bind(plan)
        .execute(&mut *tx)
        .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "plan.status",
            target_type: "plan",
            target_id: plan.to_string(),
            before: Some(json!({"status": before.status})),
            after: Some(json!({"status": status})),
        },
    )
    .await?;
    Ok(())
}

/// Changes a plan's title and goal (the period is fixed once reporting periods exist).
pub async fn update_plan(
    app: &App,
    org: i64,
    actor: i64,
    plan: i64,
    title: &str,
    goal: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let title = errs.text("plan_title", title, 200);
    let goal = errs.long_text("plan_goal", goal, 1000);
    errs.into_result()?;
    let mut tx = audited(
        app,
        org,
        actor,
        "plan.update",
        "plan",
        plan,
        json!({"title": title, "goal": goal}),
    )
    .await?;
    let done = sqlx::query(
        "UPDATE plans SET title = $1, goal = $2 WHERE organization_id = $3 AND id = $4",
    )
    .bind(&title)
    .bind(&goal)
    .bind(org)
    .bind(plan)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
