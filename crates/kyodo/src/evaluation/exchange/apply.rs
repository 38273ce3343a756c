//! Applies checked rows to a cycle in one transaction: programmes are created or updated, each
//! sheet (still a draft) gets the workbook's costs and staff-years, and the self-evaluation's
//! direction and reason when given; earlier years' blocks fill earlier sheets (`history`). One
//! audit entry records the import; when the rows came from a
//! kept upload, the report of what was done is stored with it in the same transaction.

use super::import::Row;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{new_id, now};
use crate::error::AppResult;
use crate::evaluation::stage::Stage;
use crate::evaluation::stages::{VerdictInput, write_verdict};
use crate::evaluation::store::Cycle;

/// Writes the report of the applied rows (JSON) from which of them were new.
pub type WriteReport<'a> = dyn Fn(&[bool]) -> String + Sync + 'a;

pub async fn apply(
    app: &App,
    org: i64,
    actor: &Actor,
    cycle: &Cycle,
    rows: &[Row],
    report: Option<(i64, &WriteReport<'_>)>,
) -> AppResult<Vec<bool>> {
    let at = now();
    let mut tx = app.begin_write().await?;
    crate::db::serialize(&mut tx, org, "import.programmes").await?;
    let mut created = 0;
    let mut history_written = 0;
    let mut is_new = Vec::with_capacity(rows.len());
    for r in rows {
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM programmes WHERE organization_id = $1 AND code = $2",
        )
        .bind(org)
        .bind(&r.code)
        .fetch_optional(&mut *tx)
        .await?;
        let programme = match existing {
            Some(id) => {
                is_new.push(false);
                sqlx::query(
                    // A programme with a published year keeps its name (the import flagged it).
                    "UPDATE programmes SET name = CASE WHEN EXISTS (SELECT 1 FROM eval_sheets s JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id \
                     WHERE s.organization_id = $6 AND s.programme_id = $7 AND c.published = 1) THEN name ELSE $1 END, department_id = COALESCE($2, department_id), policy_node_id = COALESCE($3, policy_node_id), \
                     method = COALESCE($4, method), legal_basis = COALESCE($5, legal_basis), \
                     first_year = COALESCE($8, first_year), last_year = COALESCE($9, last_year) WHERE organization_id = $6 AND id = $7",
                )
                .bind(&r.name)
                .bind(r.department_id)
                .bind(r.policy_node_id)
                .bind(&r.method)
                .bind(&r.legal_basis)
                .bind(org)
                .bind(id)
                .bind(r.first_year)
                .bind(r.last_year)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                let id = new_id();
                created += 1;
                is_new.push(true);
                sqlx::query(
                    "INSERT INTO programmes (organization_id, id, code, name, department_id, policy_node_id, legal_basis, first_year, method, created_at, last_year) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(org)
                .bind(id)
                .bind(&r.code)
                .bind(&r.name)
                .bind(r.department_id)
                .bind(r.policy_node_id)
                .bind(r.legal_basis.clone().unwrap_or_default())
                .bind(r.first_year.unwrap_or(cycle.fiscal_year))
                .bind(r.method.clone().unwrap_or_default())
                .bind(&at)
                .bind(r.last_year)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        let sheet: Option<i64> = sqlx::query_scalar("SELECT id FROM eval_sheets WHERE organization_id = $1 AND cycle_id = $2 AND programme_id = $3")
            .bind(org)
            .bind(cycle.id)
            .bind(programme)
            .fetch_optional(&mut *tx)
            .await?;
        let sheet = match sheet {
            Some(s) => s,
            None => {
                let s = new_id();
                sqlx::query("INSERT INTO eval_sheets (organization_id, id, cycle_id, programme_id, updated_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(org)
                    .bind(s)
                    .bind(cycle.id)
                    .bind(programme)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
                s
            }
        };
        for table in ["eval_costs", "eval_staffing"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE organization_id = $1 AND sheet_id = $2"
            )))
            .bind(org)
            .bind(sheet)
            .execute(&mut *tx)
            .await?;
        }
        for (col, source, amount) in &r.costs {
            sqlx::query("INSERT INTO eval_costs (organization_id, sheet_id, col, source, amount) VALUES ($1, $2, $3, $4, $5)")
                .bind(org)
                .bind(sheet)
                .bind(*col)
                .bind(source)
                .bind(amount)
                .execute(&mut *tx)
                .await?;
        }
        for (col, category, fte) in &r.staffing {
            sqlx::query("INSERT INTO eval_staffing (organization_id, sheet_id, col, category, fte) VALUES ($1, $2, $3, $4, $5)")
                .bind(org)
                .bind(sheet)
                .bind(*col)
                .bind(category)
                .bind(fte)
                .execute(&mut *tx)
                .await?;
        }
        if r.direction.is_some() || r.reason.as_deref().is_some_and(|x| !x.is_empty()) {
            let current: Option<(String, String)> = sqlx::query_as("SELECT operator, improvement FROM eval_verdicts WHERE organization_id = $1 AND sheet_id = $2 AND stage = 'first'")
                .bind(org)
                .bind(sheet)
                .fetch_optional(&mut *tx)
                .await?;
            let (operator, improvement) = current.unwrap_or_default();
            let v = VerdictInput {
                operator,
                direction: r.direction.clone().unwrap_or_default(),
                reason: r.reason.clone().unwrap_or_default(),
                improvement,
            };
            write_verdict(
                &mut tx,
                org,
                sheet,
                Stage::First,
                &v,
                actor.user_id.unwrap_or(0),
                &at,
            )
            .await?;
        }
        history_written += super::history::write(&mut tx, org, programme, r, &at).await?;
        sqlx::query(
            "UPDATE eval_sheets SET updated_at = $1 WHERE organization_id = $2 AND id = $3",
        )
        .bind(&at)
        .bind(org)
        .bind(sheet)
        .execute(&mut *tx)
        .await?;
    }
    if let Some((file, write)) = report {
        crate::import_files::set_report(&mut tx, org, file, &write(&is_new)).await?;
    }
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "eval.import",
            target_type: "eval_cycle",
            target_id: cycle.id.to_string(),
            before: None,
            after: Some(serde_json::json!({"rows": rows.len(), "new_programmes": created, "history_entries": history_written})),
        },
    )
    .await?;
    Ok(is_new)
}
