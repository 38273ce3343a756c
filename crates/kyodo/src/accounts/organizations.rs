//! 団体 — an organization (municipality) using Kyodo: the tenant every row belongs to.

use crate::db::Db;
use crate::db::flag::{self, Flag};
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
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub is_demo: bool,
    /// Where its users reach Kyodo; empty: derived (see [`Organization::base_url`]).
    pub public_url: String,
}

impl Organization {
    /// The base of links in this organization's mail: its own public URL, else its host name
    /// (with the scheme of the installation's URL), else the installation's `KYODO_PUBLIC_URL`.
    /// Organization B's reset link must not open organization A.
    pub fn base_url(&self, installation_url: &str) -> String {
        if !self.public_url.is_empty() {
            return self.public_url.trim_end_matches('/').to_string();
        }
        match &self.hostname {
            Some(host) => {
                let scheme = installation_url.split("://").next().unwrap_or("https");
                format!("{scheme}://{host}")
            }
            None => installation_url.trim_end_matches('/').to_string(),
        }
    }
}

const COLUMNS: &str =
    "id, lg_code, name, name_en, fiscal_year_start_month, hostname, is_demo, public_url";

pub async fn all(db: &Db) -> sqlx::Result<Vec<Organization>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM organizations ORDER BY id"
    )))
    .fetch_all(db)
    .await
}

pub async fn by_id(db: &Db, id: i64) -> sqlx::Result<Option<Organization>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM organizations WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Sets the host name an organization is served on (lower-cased; `None` clears it) and its public
/// URL. A host name another organization has is refused by the unique constraint.
pub async fn set_host(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    hostname: Option<&str>,
    public_url: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE organizations SET hostname = $1, public_url = $2 WHERE id = $3")
        .bind(hostname.map(str::to_ascii_lowercase))
        .bind(public_url)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
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
