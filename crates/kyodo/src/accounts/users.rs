//! 利用者 — citizens (self-registered) and staff (created by administrators).

use crate::db::Db;
use crate::db::flag::{self, Flag};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Citizen,
    Staff,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Citizen => "citizen",
            Kind::Staff => "staff",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "citizen" => Some(Kind::Citizen),
            "staff" => Some(Kind::Staff),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub kind: String,
    pub department_id: Option<i64>,
    #[serde(skip)]
    pub password_hash: String,
    /// 1 once the address is confirmed (flags are 0/1 integers for portability).
    pub email_verified: i64,
    #[sqlx(try_from = "Flag")]
    #[serde(serialize_with = "flag::as_number")]
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub created_at: String,
}

pub(super) const COLUMNS: &str = "id, email, display_name, kind, department_id, password_hash, email_verified, \
     disabled, failed_logins, locked_until, created_at";

pub async fn by_email(db: &Db, organization_id: i64, email: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE organization_id = $1 AND email = $2"
    )))
    .bind(organization_id)
    .bind(email)
    .fetch_optional(db)
    .await
}

pub async fn get(db: &Db, organization_id: i64, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE organization_id = $1 AND id = $2"
    )))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Staff first, then citizens, newest first; at most `limit` rows.
pub async fn list(
    db: &Db,
    organization_id: i64,
    kind: Option<Kind>,
    limit: i64,
) -> sqlx::Result<Vec<User>> {
    let kind_clause = if kind.is_some() { " AND kind = $2" } else { "" };
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE organization_id = $1{kind_clause} \
         ORDER BY kind DESC, created_at DESC LIMIT {}",
        limit.clamp(1, 1000)
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(organization_id);
    if let Some(k) = kind {
        q = q.bind(k.as_str());
    }
    q.fetch_all(db).await
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub kind: Kind,
    pub department_id: Option<i64>,
    pub password_hash: &'a str,
    pub email_verified: bool,
}

pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    u: &NewUser<'_>,
) -> sqlx::Result<i64> {
    let id = crate::db::new_id();
    sqlx::query(
        "INSERT INTO users (organization_id, id, email, display_name, kind, department_id, password_hash, \
         email_verified, disabled, failed_logins, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, $9)",
    )
    .bind(organization_id)
    .bind(id)
    .bind(u.email)
    .bind(u.display_name)
    .bind(u.kind.as_str())
    .bind(u.department_id)
    .bind(u.password_hash)
    .bind(i64::from(u.email_verified))
    .bind(crate::db::now())
    .execute(conn)
    .await?;
    Ok(id)
}

/// Replaces a password hash by one of the same password with today's costs
/// ([`super::password::is_outdated`]), only while the stored hash is still `old`: a password
/// changed meanwhile is kept.
pub async fn upgrade_hash(
    db: &Db,
    organization_id: i64,
    id: i64,
    old: &str,
    new: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1 \
         WHERE organization_id = $2 AND id = $3 AND password_hash = $4",
    )
    .bind(new)
    .bind(organization_id)
    .bind(id)
    .bind(old)
    .execute(db)
    .await?;
    Ok(())
}

/// Sets the password hash. Every reset link of the user still outstanding stops working: a
/// link mailed before the change (or another of several requested) must not set it again.
pub async fn set_password(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    id: i64,
    hash: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL \
         WHERE organization_id = $2 AND id = $3",
    )
    .bind(hash)
    .bind(organization_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    super::tokens::revoke_all(conn, organization_id, id, super::tokens::RESET_PASSWORD).await
}

impl User {
    pub fn is_verified(&self) -> bool {
        self.email_verified != 0
    }
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }
}

/// (id, name) of a department's active staff, by name: whom a case of that department may be
/// assigned to.
pub async fn staff_of_department(
    db: &Db,
    organization_id: i64,
    department_id: i64,
) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, display_name FROM users WHERE organization_id = $1 AND kind = 'staff' \
         AND department_id = $2 AND disabled = 0 ORDER BY display_name, id",
    )
    .bind(organization_id)
    .bind(department_id)
    .fetch_all(db)
    .await
}
