//! Writes a checked import as a new plan (status draft) in one transaction.

use super::import::Parsed;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes;
use crate::db::{new_id, now};
use crate::error::AppResult;
use crate::plans::periods;
use std::collections::HashMap;

pub async fn apply(app: &App, org: i64, actor: &Actor, parsed: &Parsed) -> AppResult<i64> {
    let mut tx = app.begin_write().await?;
    // One plan import at a time per organization, on every instance (the code lists it fills).
    crate::db::serialize(&mut tx, org, "import.plan").await?;
    codes::ensure_defaults(&mut tx, org).await?;
    let plan = new_id();
    let m = &parsed.meta;
    sqlx::query(
        "INSERT INTO plans (organization_id, id, title, goal, first_year, last_year, status, is_demo, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', 0, $7)",
    )
    .bind(org)
    .bind(plan)
    .bind(&m.title)
    .bind(&m.goal)
    .bind(m.first_year)
    .bind(m.last_year)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    // number → (id, depth); children are numbered by their order in the sheet.
    let mut ids: HashMap<&str, (i64, i64)> = HashMap::new();
    let mut positions: HashMap<Option<i64>, i64> = HashMap::new();
    for n in &parsed.nodes {
        let parent = n.parent.as_deref().and_then(|p| ids.get(p).copied());
        let depth = parent.map_or(0, |(_, d)| d + 1);
        let parent_id = parent.map(|(id, _)| id);
        let pos = positions.entry(parent_id).or_insert(0);
        let id = new_id();
        sqlx::query(
            "INSERT INTO plan_nodes (organization_id, id, plan_id, parent_id, depth, position, number, seed_ref, title, body, issues, trackable) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(org)
        .bind(id)
        .bind(plan)
        .bind(parent_id)
        .bind(depth)
        .bind(*pos)
        .bind(&n.number)
        .bind(&n.seed_ref)
        .bind(&n.title)
        .bind(&n.body)
        .bind(&n.issues)
        .bind(i64::from(n.trackable))
        .execute(&mut *tx)
        .await?;
        *pos += 1;
        ids.insert(&n.number, (id, depth));
        for d in &n.departments {
            sqlx::query("INSERT INTO plan_node_departments (organization_id, node_id, department_id) VALUES ($1, $2, $3)")
                .bind(org)
                .bind(id)
                .bind(*d)
                .execute(&mut *tx)
                .await?;
        }
        for (year, step) in &n.schedule {
            sqlx::query("INSERT INTO plan_schedule (organization_id, node_id, fiscal_year, step) VALUES ($1, $2, $3, $4)")
                .bind(org)
                .bind(id)
                .bind(*year)
                .bind(step)
                .execute(&mut *tx)
                .await?;
        }
    }
    let node = |number: &str| ids.get(number).map(|(id, _)| *id).unwrap_or_default();
    for (pos, ind) in parsed.indicators.iter().enumerate() {
        let id = new_id();
        sqlx::query(
            "INSERT INTO indicators (organization_id, id, node_id, name, unit, baseline_year, baseline_value, higher_is_better, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(org)
        .bind(id)
        .bind(node(&ind.number))
        .bind(&ind.name)
        .bind(&ind.unit)
        .bind(ind.baseline_year)
        .bind(crate::db::Real(ind.baseline_value))
        .bind(i64::from(ind.higher_is_better))
        .bind(pos as i64)
        .execute(&mut *tx)
        .await?;
        for (year, target, actual) in &ind.values {
            sqlx::query("INSERT INTO indicator_values (organization_id, indicator_id, fiscal_year, target, actual) VALUES ($1, $2, $3, $4, $5)")
                .bind(org)
                .bind(id)
                .bind(*year)
                .bind(crate::db::Real(*target))
                .bind(crate::db::Real(*actual))
                .execute(&mut *tx)
                .await?;
        }
    }
    for e in &parsed.effects {
        sqlx::query(
            "INSERT INTO fiscal_effects (organization_id, id, node_id, fiscal_year, kind, account, planned, actual, recurring) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(org)
        .bind(new_id())
        .bind(node(&e.number))
        .bind(e.fiscal_year)
        .bind(&e.kind)
        .bind(&e.account)
        .bind(e.planned)
        .bind(e.actual)
        .bind(i64::from(e.recurring))
        .execute(&mut *tx)
        .await?;
    }
    periods::create_yearly(&mut tx, org, plan, m.first_year, m.last_year).await?;
    audit::record_and_commit(tx, org, actor, Change {
        action: "plan.import",
        target_type: "plan",
        target_id: plan.to_string(),
        before: None,
        after: Some(serde_json::json!({
            "title": m.title, "nodes": parsed.nodes.len(), "indicators": parsed.indicators.len(), "effects": parsed.effects.len()
        })),
    })
    .await?;
    Ok(plan)
}
