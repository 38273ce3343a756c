//! 団体 — an organization (municipality) using Kyodo: the tenant every row belongs to.

use crate::db::Db;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Organization {
    pub id: i64,
    /// 全国地方公共団体コード
    pub lg_code: String,
    pub name: String,
    pub name_en: String,
    pub fiscal_year_start_month: i64,
    pub hostname: Option<String>,
    /// Created by the demo loader: only such an organization takes demo data and demo accounts.
    pub is_demo: i64,
}

const COLUMNS: &str = "id, lg_code, name, name_en, fiscal_year_start_month, hostname, is_demo";

pub async fn all(db: &Db) -> sqlx::Result<Vec<Organization>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM organizations ORDER BY id"
    )))
    .fetch_all(db)
    .await
}

pub async fn by_code(db: &Db, lg_code: &str) -> sqlx::Result<Option<Organization>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM organizations WHERE lg_code = $1"
    )))
    .bind(lg_code)
    .fetch_optional(db)
    .await
}

/// Inserts the organization and starts its audit chain (caller commits).
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    code: &kyodo_jp::LocalGovCode,
    name: &str,
    name_en: &str,
) -> sqlx::Result<i64> {
    let id = crate::db::new_id();
    sqlx::query(
        "INSERT INTO organizations (id, lg_code, name, name_en, fiscal_year_start_month, created_at) \
         VALUES ($1, $2, $3, $4, 4, $5)",
    )
    .bind(id)
    .bind(code.to_string())
    .bind(name)
    .bind(name_en)
    .bind(crate::db::now())
    .execute(&mut *conn)
    .await?;
    crate::audit::init_chain(conn, id).await?;
    Ok(id)
}

/// Marks the organization as the demo's (the demo loader writes only into such an organization).
pub async fn mark_demo(conn: &mut sqlx::AnyConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE organizations SET is_demo = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// (id, name) of the organization's committees (行政改革推進委員会 …), by name.
pub async fn committees(db: &Db, organization_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT id, name FROM committees WHERE organization_id = $1 ORDER BY name")
        .bind(organization_id)
        .fetch_all(db)
        .await
}
