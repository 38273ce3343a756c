//! Statement sets: written in one transaction (a set imported again — same year and scope —
//! replaces the stored one), listed, read line by line; and the population per fiscal year the
//! organization records for 一人当たり figures.

use super::{NewSet, StLine, Statement, column};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::flag::Flag;
use crate::db::{Db, new_id, now};

/// Lines per INSERT (8 parameters each; small statements, see CONVENTIONS.md).
const BATCH: usize = 16;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Set {
    pub id: i64,
    pub fiscal_year: i64,
    pub scope: String,
    #[sqlx(try_from = "Flag")]
    pub is_demo: bool,
}

/// Every set, newest year first, 一般会計等 before 全体 and 連結.
pub async fn sets(db: &Db, org: i64) -> sqlx::Result<Vec<Set>> {
    sqlx::query_as(
        "SELECT id, fiscal_year, scope, is_demo FROM fin_statement_sets WHERE organization_id = $1 \
         ORDER BY fiscal_year DESC, CASE scope WHEN '一般会計等' THEN 0 WHEN '全体' THEN 1 ELSE 2 END",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// A set's lines in file order.
pub async fn lines(db: &Db, org: i64, set: i64) -> sqlx::Result<Vec<StLine>> {
    let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT statement, code, parent_code, name, column_name, amount FROM fin_statement_lines \
         WHERE organization_id = $1 AND set_id = $2 ORDER BY line_no",
    )
    .bind(org)
    .bind(set)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(st, code, parent, name, col, amount)| {
            Some(StLine {
                statement: Statement::parse(&st)?,
                code,
                parent,
                name,
                column: column(&col)?,
                amount,
            })
        })
        .collect())
}

/// The population recorded for a fiscal year.
pub async fn population(db: &Db, org: i64, fiscal_year: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT population FROM fin_population WHERE organization_id = $1 AND fiscal_year = $2",
    )
    .bind(org)
    .bind(fiscal_year)
    .fetch_optional(db)
    .await
}

/// Every recorded (fiscal year, population), newest first.
pub async fn populations(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT fiscal_year, population FROM fin_population WHERE organization_id = $1 ORDER BY fiscal_year DESC",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// Records (or corrects) a year's population.
pub async fn set_population(
    app: &App,
    org: i64,
    actor: &Actor,
    fiscal_year: i64,
    population: i64,
) -> anyhow::Result<()> {
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO fin_population (organization_id, fiscal_year, population) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id, fiscal_year) DO UPDATE SET population = excluded.population",
    )
    .bind(org)
    .bind(fiscal_year)
    .bind(population)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        org,
        actor,
        Change {
            action: "finance.population",
            target_type: "fin_population",
            target_id: fiscal_year.to_string(),
            before: None,
            after: Some(serde_json::json!({ "population": population })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes the sets read from one file in one transaction. Returns how many lines were written.
pub async fn write(
    app: &App,
    org: i64,
    actor: &Actor,
    sets: &[NewSet],
    is_demo: bool,
) -> anyhow::Result<usize> {
    let mut tx = app.begin_write().await?;
    let mut written = 0;
    for s in sets {
        let old: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM fin_statement_sets WHERE organization_id = $1 AND fiscal_year = $2 AND scope = $3",
        )
        .bind(org)
        .bind(s.fiscal_year)
        .bind(s.scope)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(old) = old {
            for sql in [
                "DELETE FROM fin_statement_lines WHERE organization_id = $1 AND set_id = $2",
                "DELETE FROM fin_statement_sets WHERE organization_id = $1 AND id = $2",
            ] {
                sqlx::query(sql)
                    .bind(org)
                    .bind(old)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO fin_statement_sets (organization_id, id, fiscal_year, scope, is_demo, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org)
        .bind(id)
        .bind(s.fiscal_year)
        .bind(s.scope)
        .bind(i64::from(is_demo))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        for (n, chunk) in s.lines.chunks(BATCH).enumerate() {
            let mut sql = String::from(
                "INSERT INTO fin_statement_lines (organization_id, set_id, line_no, statement, code, parent_code, name, column_name, amount) VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 7 + 3;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "($1, $2, ${b}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                ));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(id);
            for (i, l) in chunk.iter().enumerate() {
                q = q
                    .bind((n * BATCH + i) as i64)
                    .bind(l.statement.code())
                    .bind(&l.code)
                    .bind(&l.parent)
                    .bind(&l.name)
                    .bind(l.column)
                    .bind(l.amount);
            }
            q.execute(&mut *tx).await?;
        }
        written += s.lines.len();
        audit::append(
            &mut tx,
            org,
            actor,
            Change {
                action: "finance.statements_import",
                target_type: "fin_statement_set",
                target_id: id.to_string(),
                before: old.map(|o| serde_json::json!({ "replaced": o })),
                after: Some(serde_json::json!({
                    "fiscal_year": s.fiscal_year, "scope": s.scope, "lines": s.lines.len(),
                })),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(written)
}
