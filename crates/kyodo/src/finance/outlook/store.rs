//! Outlook editions: written in one transaction (an edition made in the same year replaces the
//! stored one), listed, and read back as their table.

use super::{NewOutlook, Row, Section};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::flag::Flag;
use crate::db::{Db, new_id, now};
use std::collections::BTreeMap;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Outlook {
    pub id: i64,
    pub made_in: i64,
    pub title: String,
    #[sqlx(try_from = "Flag")]
    pub is_demo: bool,
}

/// Every edition, newest first.
pub async fn editions(db: &Db, org: i64) -> sqlx::Result<Vec<Outlook>> {
    sqlx::query_as(
        "SELECT id, made_in, title, is_demo FROM fin_outlooks WHERE organization_id = $1 ORDER BY made_in DESC",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// An edition's years and rows, in the order of its table.
pub async fn table(db: &Db, org: i64, id: i64) -> sqlx::Result<(Vec<i64>, Vec<Row>)> {
    let cells: Vec<(i64, String, String, Flag, i64, i64)> = sqlx::query_as(
        "SELECT row_no, section, label, is_total, fiscal_year, amount FROM fin_outlook_rows \
         WHERE organization_id = $1 AND outlook_id = $2 ORDER BY row_no, fiscal_year",
    )
    .bind(org)
    .bind(id)
    .fetch_all(db)
    .await?;
    let mut years: Vec<i64> = cells.iter().map(|c| c.4).collect();
    years.sort_unstable();
    years.dedup();
    let mut rows: BTreeMap<i64, Row> = BTreeMap::new();
    for (no, section, label, total, year, amount) in cells {
        let Some(section) = Section::parse(&section) else {
            continue;
        };
        let row = rows.entry(no).or_insert_with(|| Row {
            section,
            label,
            is_total: bool::from(total),
            amounts: vec![0; years.len()],
        });
        if let Ok(k) = years.binary_search(&year) {
            row.amounts[k] = amount;
        }
    }
    Ok((years, rows.into_values().collect()))
}

/// Writes an edition in one transaction; returns its id.
pub async fn write(
    app: &App,
    org: i64,
    actor: &Actor,
    o: &NewOutlook,
    is_demo: bool,
) -> anyhow::Result<i64> {
    let mut tx = app.begin_write().await?;
    let old: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM fin_outlooks WHERE organization_id = $1 AND made_in = $2",
    )
    .bind(org)
    .bind(o.made_in)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(old) = old {
        for sql in [
            "DELETE FROM fin_outlook_rows WHERE organization_id = $1 AND outlook_id = $2",
            "DELETE FROM fin_outlooks WHERE organization_id = $1 AND id = $2",
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
        "INSERT INTO fin_outlooks (organization_id, id, made_in, title, is_demo, imported_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org)
    .bind(id)
    .bind(o.made_in)
    .bind(&o.title)
    .bind(i64::from(is_demo))
    .bind(now())
    .execute(&mut *tx)
    .await?;
    // One statement per row: an outlook has a few dozen rows of three to five years.
    for (no, r) in o.rows.iter().enumerate() {
        let mut sql = String::from(
            "INSERT INTO fin_outlook_rows (organization_id, outlook_id, row_no, section, label, is_total, fiscal_year, amount) VALUES ",
        );
        for k in 0..o.years.len() {
            if k > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "($1, $2, $3, $4, $5, $6, ${}, ${})",
                7 + 2 * k,
                8 + 2 * k
            ));
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org)
            .bind(id)
            .bind(no as i64)
            .bind(r.section.word())
            .bind(&r.label)
            .bind(i64::from(r.is_total));
        for (year, amount) in o.years.iter().zip(&r.amounts) {
            q = q.bind(year).bind(amount);
        }
        q.execute(&mut *tx).await?;
    }
    audit::append(
        &mut tx,
        org,
        actor,
        Change {
            action: "finance.outlook_import",
            target_type: "fin_outlook",
            target_id: id.to_string(),
            before: old.map(|o| serde_json::json!({ "replaced": o })),
            after: Some(
                serde_json::json!({ "made_in": o.made_in, "years": o.years, "rows": o.rows.len() }),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// For a budget year: the newest edition covering it, and its totals and 収支差 for that year —
/// (edition id, made in, [(label, 円)]) — to set beside the year's budget frames.
pub async fn for_year(
    db: &Db,
    org: i64,
    year: i64,
) -> sqlx::Result<Option<(i64, i64, Vec<(String, i64)>)>> {
    let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT o.id, o.made_in, r.label, r.amount FROM fin_outlooks o \
         JOIN fin_outlook_rows r ON r.organization_id = o.organization_id AND r.outlook_id = o.id \
         WHERE o.organization_id = $1 AND r.fiscal_year = $2 AND (r.is_total = 1 OR r.section = 'balance') \
         AND o.made_in = (SELECT MAX(o2.made_in) FROM fin_outlooks o2 JOIN fin_outlook_rows r2 \
             ON r2.organization_id = o2.organization_id AND r2.outlook_id = o2.id \
             WHERE o2.organization_id = $1 AND r2.fiscal_year = $2) \
         ORDER BY r.row_no",
    )
    .bind(org)
    .bind(year)
    .fetch_all(db)
    .await?;
    Ok(rows.first().map(|(id, made_in, _, _)| {
        (
            *id,
            *made_in,
            rows.iter().map(|r| (r.2.clone(), r.3)).collect(),
        )
    }))
}
