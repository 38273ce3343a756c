//! 総合計画 — the comprehensive plan and its policy hierarchy (政策 → 施策 → 基本事業), kept by the
//! HQ, with each 施策's outcome indicators and their targets and actuals per year.

use super::store;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

fn year(errs: &mut FieldErrors, field: &str, raw: &str) -> i64 {
    match raw.trim().parse::<i64>() {
        Ok(y) if (1900..=2200).contains(&y) => y,
        _ => {
            errs.add(field, "eval.bad_year");
            0
        }
    }
}

async fn audit(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    actor: i64,
    action: &str,
    kind: &str,
    id: i64,
    after: serde_json::Value,
) -> sqlx::Result<()> {
    audit::append(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action,
            target_type: kind,
            target_id: id.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

pub async fn create_plan(
    app: &App,
    org: i64,
    actor: i64,
    title: &str,
    first: &str,
    last: &str,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let title = errs.text("plan_title", title, 200);
    let (f, l) = (
        year(&mut errs, "plan_first_year", first),
        year(&mut errs, "plan_last_year", last),
    );
    if f > 0 && l > 0 && l < f {
        errs.add("plan_last_year", "eval.years_order");
    }
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO policy_plans (organization_id, id, title, first_year, last_year, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(org)
        .bind(id)
        .bind(&title)
        .bind(f)
        .bind(l)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        org,
        actor,
        "eval.policy_plan_create",
        "policy_plan",
        id,
        serde_json::json!({"title": title, "first_year": f, "last_year": l}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds 政策 (no parent), 施策 (under a 政策) or 基本事業 (under a 施策).
/// A new node of a comprehensive plan as entered (the parent's id as text; empty for a 政策).
pub struct NewNode<'a> {
    pub plan: i64,
    pub parent: &'a str,
    pub number: &'a str,
    pub title: &'a str,
    pub goal: &'a str,
}

pub async fn add_node(app: &App, org: i64, actor: i64, node: NewNode<'_>) -> AppResult<i64> {
    let NewNode {
        plan,
        parent,
        number,
        title,
        goal,
    } = node;
    let nodes = store::policy_nodes(&app.db, org).await?;
    if !store::policy_plans(&app.db, org)
        .await?
        .iter()
        .any(|p| p.id == plan)
    {
        return Err(AppError::NotFound);
    }
    let mut errs = FieldErrors::default();
    let parent = match parent.trim() {
        "" => None,
        raw => match raw
            .parse::<i64>()
            .ok()
            .and_then(|id| nodes.iter().find(|n| n.id == id && n.plan_id == plan))
        {
            Some(n) if n.level != "basic" => Some(n),
            _ => {
                errs.add("parent", "field.bad_choice");
                None
            }
        },
    };
    let level = match parent.map(|p| p.level.as_str()) {
        None => "policy",
        Some("policy") => "measure",
        Some(_) => "basic",
    };
    let number = errs.text("number", number, 20);
    if nodes
        .iter()
        .any(|n| n.plan_id == plan && n.number == number)
    {
        errs.add("number", "eval.number_taken");
    }
    let title = errs.text("title", title, 200);
    let goal = errs.long_text("goal", goal, 2000);
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO policy_nodes (organization_id, id, plan_id, parent_id, level, position, number, title, goal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(org)
        .bind(id)
        .bind(plan)
        .bind(parent.map(|p| p.id))
        .bind(level)
        .bind(nodes.len() as i64)
        .bind(&number)
        .bind(&title)
        .bind(&goal)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        org,
        actor,
        "eval.policy_node_add",
        "policy_node",
        id,
        serde_json::json!({"level": level, "number": number, "title": title}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds an outcome indicator to a 施策.
pub async fn add_indicator(
    app: &App,
    org: i64,
    actor: i64,
    node: i64,
    name: &str,
    unit: &str,
    higher_is_better: bool,
) -> AppResult<i64> {
    let nodes = store::policy_nodes(&app.db, org).await?;
    if !nodes.iter().any(|n| n.id == node && n.level == "measure") {
        return Err(AppError::NotFound);
    }
    let mut errs = FieldErrors::default();
    let name = errs.text(&format!("ind_name-{node}"), name, 200);
    let unit = errs.optional_text(&format!("ind_unit-{node}"), unit, 40);
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO eval_indicators (organization_id, id, owner_kind, owner_id, kind, name, unit, higher_is_better) VALUES ($1, $2, 'policy', $3, 'outcome', $4, $5, $6)")
        .bind(org)
        .bind(id)
        .bind(node)
        .bind(&name)
        .bind(&unit)
        .bind(i64::from(higher_is_better))
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        org,
        actor,
        "eval.policy_indicator_add",
        "policy_node",
        node,
        serde_json::json!({"name": name, "unit": unit}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets an indicator's target and actual for a year (empty clears).
pub async fn set_value(
    app: &App,
    org: i64,
    actor: i64,
    indicator: i64,
    raw_year: &str,
    target: &str,
    actual: &str,
) -> AppResult<()> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM eval_indicators WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(indicator)
            .fetch_optional(&app.db)
            .await?;
    exists.ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let fy = year(&mut errs, &format!("year-{indicator}"), raw_year);
    let target = errs.number(&format!("target-{indicator}"), target);
    let actual = errs.number(&format!("actual-{indicator}"), actual);
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    // An upsert, not delete + insert: two saves at once must not collide on the key.
    if target.is_some() || actual.is_some() {
        sqlx::query("INSERT INTO eval_indicator_values (organization_id, indicator_id, fiscal_year, target, actual) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (organization_id, indicator_id, fiscal_year) DO UPDATE SET target = excluded.target, actual = excluded.actual")
            .bind(org)
            .bind(indicator)
            .bind(fy)
            .bind(crate::db::Real(target))
            .bind(crate::db::Real(actual))
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query("DELETE FROM eval_indicator_values WHERE organization_id = $1 AND indicator_id = $2 AND fiscal_year = $3")
            .bind(org)
            .bind(indicator)
            .bind(fy)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut tx,
        org,
        actor,
        "eval.indicator_value",
        "eval_indicator",
        indicator,
        serde_json::json!({"fiscal_year": fy, "target": target, "actual": actual}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
