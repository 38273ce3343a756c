//! Publication copies a report's actuals (indicator values, fiscal effects in 千円) to the plan, so
//! the plan's pages and open data show them.

use std::collections::BTreeMap;

/// Copies a published version's actuals to the item's indicators and fiscal effects of the period's year.
pub(super) async fn apply_actuals(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    report: i64,
    version: i64,
    node: i64,
    period: i64,
) -> sqlx::Result<()> {
    let (json,): (String,) = sqlx::query_as("SELECT actuals_json FROM progress_report_versions WHERE organization_id = $1 AND report_id = $2 AND version = $3")
        .bind(org)
        .bind(report)
        .bind(version)
        .fetch_one(&mut *conn)
        .await?;
    let (year,): (i64,) = sqlx::query_as(
        "SELECT fiscal_year FROM reporting_periods WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(period)
    .fetch_one(&mut *conn)
    .await?;
    let actuals: BTreeMap<String, f64> = serde_json::from_str(&json).unwrap_or_default();
    for (key, value) in actuals {
        if let Some(id) = key
            .strip_prefix("indicator:")
            .and_then(|s| s.parse::<i64>().ok())
        {
            // Only the item's own indicators (the node check keeps a crafted key from touching others).
            let owned: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM indicators WHERE organization_id = $1 AND id = $2 AND node_id = $3",
            )
            .bind(org)
            .bind(id)
            .bind(node)
            .fetch_optional(&mut *conn)
            .await?;
            if owned.is_some() {
                sqlx::query(
                    "INSERT INTO indicator_values (organization_id, indicator_id, fiscal_year, actual) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (organization_id, indicator_id, fiscal_year) DO UPDATE SET actual = excluded.actual",
                )
                .bind(org)
                .bind(id)
                .bind(year)
                .bind(value)
                .execute(&mut *conn)
                .await?;
            }
        } else if let Some(id) = key
            .strip_prefix("effect:")
            .and_then(|s| s.parse::<i64>().ok())
        {
            sqlx::query("UPDATE fiscal_effects SET actual = $1 WHERE organization_id = $2 AND id = $3 AND node_id = $4 AND fiscal_year = $5")
                .bind(value.round() as i64)
                .bind(org)
                .bind(id)
                .bind(node)
                .bind(year)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
