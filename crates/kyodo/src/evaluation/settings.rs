//! Parameters the HQ keeps: 人件費単価 per year and staff category, and each 施策's direction.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes::{self, Code};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

fn year(errs: &mut FieldErrors, raw: &str) -> i64 {
    match raw.trim().parse::<i64>() {
        Ok(y) if (1989..=2200).contains(&y) => y,
        _ => {
            errs.add("year", "eval.bad_year");
            0
        }
    }
}

/// Sets the unit cost (千円 per staff-year) of a staff category from a fiscal year on.
pub async fn set_unit_cost(
    app: &App,
    org: i64,
    actor: i64,
    all_codes: &[Code],
    raw_year: &str,
    category: &str,
    raw_cost: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let fy = year(&mut errs, raw_year);
    if !codes::of_list(all_codes, codes::STAFF_CATEGORY).any(|c| c.code == category) {
        errs.add("category", "field.bad_choice");
    }
    let cost = match errs.amount("unit_cost", raw_cost) {
        Some(v) if (1..=100_000).contains(&v) => v,
        Some(_) => {
            errs.add("unit_cost", "eval.amount_range");
            0
        }
        None => {
            if errs.get("unit_cost").is_none() {
                errs.add("unit_cost", "field.required");
            }
            0
        }
    };
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    // One upsert (not delete + insert): two saves at once must not collide on the key.
    sqlx::query("INSERT INTO personnel_unit_costs (organization_id, fiscal_year, category, unit_cost) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (organization_id, fiscal_year, category) DO UPDATE SET unit_cost = excluded.unit_cost")
        .bind(org)
        .bind(fy)
        .bind(category)
        .bind(cost)
        .execute(&mut *tx)
        .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "eval.unit_cost",
            target_type: "organization",
            target_id: org.to_string(),
            before: None,
            after: Some(
                serde_json::json!({"fiscal_year": fy, "category": category, "unit_cost": cost}),
            ),
        },
    )
    .await?;
    Ok(())
}

/// The HQ's direction (方向性) for a 施策 in a year, as entered.
pub struct PolicyDirection<'a> {
    pub node: i64,
    pub year: &'a str,
    pub direction: &'a str,
    pub reason: &'a str,
}

/// Records the HQ's direction for a 施策 in a year.
pub async fn set_policy_direction(
    app: &App,
    org: i64,
    actor: i64,
    all_codes: &[Code],
    input: PolicyDirection<'_>,
) -> AppResult<()> {
    let PolicyDirection {
        node,
        year: raw_year,
        direction,
        reason,
    } = input;
    let level: Option<String> =
        sqlx::query_scalar("SELECT level FROM policy_nodes WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(node)
            .fetch_optional(&app.db)
            .await?;
    if level.as_deref() != Some("measure") {
        return Err(AppError::NotFound);
    }
    let mut errs = FieldErrors::default();
    let fy = year(&mut errs, raw_year);
    let field = format!("direction-{node}");
    if !codes::of_list(all_codes, codes::EVAL_DIRECTION).any(|c| c.code == direction) {
        errs.add(&field, "field.bad_choice");
    }
    let reason = errs.long_text(&format!("reason-{node}"), reason, 2000);
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO policy_directions (organization_id, node_id, fiscal_year, direction, reason) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (organization_id, node_id, fiscal_year) DO UPDATE SET direction = excluded.direction, reason = excluded.reason")
        .bind(org)
        .bind(node)
        .bind(fy)
        .bind(direction)
        .bind(&reason)
        .execute(&mut *tx)
        .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "eval.policy_direction",
            target_type: "policy_node",
            target_id: node.to_string(),
            before: None,
            after: Some(serde_json::json!({"fiscal_year": fy, "direction": direction})),
        },
    )
    .await?;
    Ok(())
}

/// Every 施策's direction for a year: (node, direction code, reason).
pub async fn policy_directions(
    db: &crate::db::Db,
    org: i64,
    fiscal_year: i64,
) -> sqlx::Result<Vec<(i64, String, String)>> {
    sqlx::query_as(
        "SELECT node_id, direction, reason FROM policy_directions WHERE organization_id = $1 AND fiscal_year = $2",
    )
    .bind(org)
    .bind(fiscal_year)
    .fetch_all(db)
    .await
}
