//! Server-side login sessions. The cookie carries a random secret; the table keeps its digest, so a
//! stolen database does not yield live sessions.

use super::tokens::{digest, random_secret};
use crate::db::Db;

/// Creates a session and returns the cookie secret. A fresh secret on every login defeats fixation.
pub async fn create(
    db: &Db,
    organization_id: i64,
    user_id: i64,
    hours: i64,
) -> sqlx::Result<String> {
    let secret = random_secret();
    let now = chrono::Utc::now();
    // Expired sessions are swept when someone signs in: cheap, and the table stays small.
    sqlx::query("DELETE FROM sessions WHERE organization_id = $1 AND expires_at < $2")
        .bind(organization_id)
        .bind(crate::db::timestamp(now))
        .execute(db)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (organization_id, token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(organization_id)
    .bind(digest(&secret))
    .bind(user_id)
    .bind(crate::db::timestamp(now))
    .bind(crate::db::timestamp(now + chrono::Duration::hours(hours)))
    .execute(db)
    .await?;
    Ok(secret)
}

/// The enabled user of a live session and their role grants (`role`, `scope_id`), in one round
/// trip: every signed-in request asks, so the grants ride along as joined rows.
/// A user and their role grants (role, scope id).
pub type UserGrants = (super::users::User, Vec<(String, i64)>);

pub async fn signed_in_user(
    db: &Db,
    organization_id: i64,
    secret: &str,
) -> sqlx::Result<Option<UserGrants>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT u.*, g.role AS grant_role, g.scope_id AS grant_scope FROM \
         (SELECT {} FROM users WHERE organization_id = $1 AND disabled = 0 AND id = \
          (SELECT user_id FROM sessions WHERE organization_id = $1 AND token_hash = $2 AND expires_at > $3)) u \
         LEFT JOIN role_grants g ON g.organization_id = $1 AND g.user_id = u.id \
         ORDER BY g.role, g.scope_id",
        super::users::COLUMNS
    )))
    .bind(organization_id)
    .bind(digest(secret))
    .bind(crate::db::now())
    .fetch_all(db)
    .await?;
    user_with_grants(&rows)
}

/// An enabled user and their role grants, by id (an API token's user).
pub async fn user_by_id(
    db: &Db,
    organization_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<UserGrants>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT u.*, g.role AS grant_role, g.scope_id AS grant_scope FROM \
         (SELECT {} FROM users WHERE organization_id = $1 AND disabled = 0 AND id = $2) u \
         LEFT JOIN role_grants g ON g.organization_id = $1 AND g.user_id = u.id \
         ORDER BY g.role, g.scope_id",
        super::users::COLUMNS
    )))
    .bind(organization_id)
    .bind(user_id)
    .fetch_all(db)
    .await?;
    user_with_grants(&rows)
}

/// Rows of a user joined to their grants: the user and the grants.
fn user_with_grants(rows: &[sqlx::any::AnyRow]) -> sqlx::Result<Option<UserGrants>> {
    use sqlx::{FromRow, Row};
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let user = super::users::User::from_row(first)?;
    let mut grants = Vec::with_capacity(rows.len());
    for row in rows {
        let role: Option<String> = row.try_get("grant_role")?;
        let scope: Option<i64> = row.try_get("grant_scope")?;
        if let (Some(role), Some(scope)) = (role, scope) {
            grants.push((role, scope));
        }
    }
    Ok(Some((user, grants)))
}

pub async fn delete(db: &Db, organization_id: i64, secret: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE organization_id = $1 AND token_hash = $2")
        .bind(organization_id)
        .bind(digest(secret))
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a user (after a password change or reset).
pub async fn delete_all_of(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    user_id: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE organization_id = $1 AND user_id = $2")
        .bind(organization_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
