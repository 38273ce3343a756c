//! Editing an item's figures (reform HQ): indicators with targets and actuals per fiscal year, and
//! fiscal effects (財政効果額). Each change is audited in its transaction.

use super::editing::{audited, context, fiscal_year};
use crate::app::App;
use crate::codes;
use crate::db::new_id;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde_json::json;
use std::collections::BTreeMap;

pub struct IndicatorInput<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub baseline_year: &'a str,
    pub baseline_value: &'a str,
    pub higher_is_better: bool,
}

pub async fn add_indicator(
    app: &App,
    org: i64,
    actor: i64,
    node: i64,
    i: IndicatorInput<'_>,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let name = errs.text("name", i.name, 200);
    let unit = i.unit.trim();
    if unit.chars().count() > 20 {
        errs.add("unit", "field.too_long");
    }
    let year = if i.baseline_year.trim().is_empty() {
        None
    } else {
        fiscal_year(&mut errs, "baseline_year", i.baseline_year)
    };
    let value = errs.number("baseline_value", i.baseline_value);
    errs.into_result()?;
    let id = new_id();
    let mut tx = audited(
        app,
        org,
        actor,
        "plan.indicator_add",
        "indicator",
        id,
        json!({"node": node, "name": name}),
    )
    .await?;
    sqlx::query(
        "INSERT INTO indicators (organization_id, id, node_id, name, unit, baseline_year, baseline_value, higher_is_better, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT COUNT(*) FROM indicators WHERE organization_id = $1 AND node_id = $3))",
    )
    .bind(org)
    .bind(id)
    .bind(node)
    .bind(&name)
    .bind(unit)
    .bind(year)
    .bind(crate::db::Real(value))
    .bind(i64::from(i.higher_is_better))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets targets and actuals of one indicator: year → (target, actual) as typed.
/// Each year's target and actual read as numbers (fields `target_<year>`, `actual_<year>`).
pub fn check_indicator_values(
    errs: &mut FieldErrors,
    values: &BTreeMap<i64, (String, String)>,
) -> Vec<(i64, Option<f64>, Option<f64>)> {
    values
        .iter()
        .map(|(y, (t, a))| {
            (
                *y,
                errs.number(&format!("target_{y}"), t),
                errs.number(&format!("actual_{y}"), a),
            )
        })
        .collect()
}

/// Which of a year's two figures to leave as stored (an API push that sends only the actual).
pub type Kept = BTreeMap<i64, (bool, bool)>;

/// Sets the years' targets and actuals (an empty text clears one), except those `keep` names,
/// which stay as stored — decided inside the statement, so two pushes at once (one target, one
/// actual) both land. A year left with neither figure has no row.
pub async fn set_indicator_values(
    app: &App,
    org: i64,
    actor: &crate::audit::Actor,
    indicator: i64,
    values: &BTreeMap<i64, (String, String)>,
    keep: &Kept,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let parsed = check_indicator_values(&mut errs, values);
    errs.into_result()?;
    let mut tx = super::editing::audited_as(
        app,
        org,
        actor,
        "plan.indicator_values",
        "indicator",
        indicator,
        json!({"values": parsed}),
    )
    .await?;
    for (y, t, a) in parsed {
        let (keep_target, keep_actual) = keep.get(&y).copied().unwrap_or_default();
        // An upsert, not delete + insert: two saves at once must not collide on the key.
        sqlx::query(
            "INSERT INTO indicator_values (organization_id, indicator_id, fiscal_year, target, actual) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (organization_id, indicator_id, fiscal_year) DO UPDATE SET \
             target = CASE WHEN $6 = 1 THEN indicator_values.target ELSE excluded.target END, \
             actual = CASE WHEN $7 = 1 THEN indicator_values.actual ELSE excluded.actual END",
        )
        .bind(org)
        .bind(indicator)
        .bind(y)
        .bind(crate::db::Real(t))
        .bind(crate::db::Real(a))
        .bind(i64::from(keep_target))
        .bind(i64::from(keep_actual))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM indicator_values WHERE organization_id = $1 AND indicator_id = $2 AND fiscal_year = $3 \
             AND target IS NULL AND actual IS NULL",
        )
        .bind(org)
        .bind(indicator)
        .bind(y)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub struct EffectInput<'a> {
    pub fiscal_year: &'a str,
    pub kind: &'a str,
    pub account: &'a str,
    pub planned: &'a str,
    pub recurring: bool,
}

pub async fn add_effect(
    app: &App,
    org: i64,
    actor: i64,
    plan: i64,
    node: i64,
    e: EffectInput<'_>,
) -> AppResult<i64> {
    let (codes, years, _) = context(app, org, plan).await?;
    let mut errs = FieldErrors::default();
    let year = fiscal_year(&mut errs, "fiscal_year", e.fiscal_year);
    if year.is_some_and(|y| !years.contains(&y)) {
        errs.add("fiscal_year", "import.year_outside_plan");
    }
    if !codes::of_list(&codes, codes::EFFECT_KIND).any(|c| c.code == e.kind) {
        errs.add("kind", "field.bad_choice");
    }
    if !codes::of_list(&codes, codes::ACCOUNT).any(|c| c.code == e.account) {
        errs.add("account", "field.bad_choice");
    }
    let planned = errs.amount("planned", e.planned);
    if planned.is_none() && errs.get("planned").is_none() {
        errs.add("planned", "field.required");
    }
    errs.into_result()?;
    let id = new_id();
    let mut tx = audited(
        app,
        org,
        actor,
        "plan.effect_add",
        "fiscal_effect",
        id,
        json!({"node": node, "year": year, "planned": planned}),
    )
    .await?;
    sqlx::query("INSERT INTO fiscal_effects (organization_id, id, node_id, fiscal_year, kind, account, planned, recurring) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(org)
        .bind(id)
        .bind(node)
        .bind(year)
        .bind(e.kind)
        .bind(e.account)
        .bind(planned)
        .bind(i64::from(e.recurring))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_effect(
    app: &App,
    org: i64,
    actor: i64,
    node: i64,
    effect: i64,
) -> AppResult<()> {
    let mut tx = audited(
        app,
        org,
        actor,
        "plan.effect_delete",
        "fiscal_effect",
        effect,
        json!({"node": node}),
    )
    .await?;
    let done = sqlx::query(
        "DELETE FROM fiscal_effects WHERE organization_id = $1 AND node_id = $2 AND id = $3",
    )
    .bind(org)
    .bind(node)
    .bind(effect)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// One indicator's stored figures by year.
pub async fn values_of(
    db: &crate::db::Db,
    org: i64,
    indicator: i64,
) -> sqlx::Result<Vec<super::store::IndicatorValue>> {
    sqlx::query_as(
        "SELECT indicator_id, fiscal_year, target, actual FROM indicator_values \
         WHERE organization_id = $1 AND indicator_id = $2 ORDER BY fiscal_year",
    )
    .bind(org)
    .bind(indicator)
    .fetch_all(db)
    .await
}
