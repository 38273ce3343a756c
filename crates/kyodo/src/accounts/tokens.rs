//! Random secrets: session cookies, CSRF tokens, one-time mail links. Only SHA-256 digests are stored.

use base64::Engine;
use sha2::{Digest, Sha256};

/// 32 random bytes, URL-safe base64.
pub fn random_secret() -> String {
    let mut b = [0u8; 32];
    crate::db::random_fill(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// The CSRF token for a session's or visitor's secret: HMAC-SHA-256 keyed with the secret (URL-safe
/// base64). Only the server and the browser holding the HttpOnly cookie know the secret, so nobody
/// else can make it.
#[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
pub fn form_token(secret: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(b"kyodo csrf v1");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Constant-time comparison for secrets.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub const VERIFY_EMAIL: &str = "verify_email";
pub const RESET_PASSWORD: &str = "reset_password";

/// Stores a one-time token for `user_id` and returns the secret to mail.
pub async fn issue(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    user_id: i64,
    purpose: &str,
    valid_hours: i64,
) -> sqlx::Result<String> {
    let secret = random_secret();
    let expires = crate::db::timestamp(chrono::Utc::now() + chrono::Duration::hours(valid_hours));
    sqlx::query(
        "INSERT INTO user_tokens (organization_id, token_hash, user_id, purpose, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(organization_id)
    .bind(digest(&secret))
    .bind(user_id)
    .bind(purpose)
    .bind(expires)
    .execute(conn)
    .await?;
    Ok(secret)
}

/// Marks every unused token of the user for `purpose` as used.
pub async fn revoke_all(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    user_id: i64,
    purpose: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE user_tokens SET used_at = $1 WHERE organization_id = $2 AND user_id = $3 \
         AND purpose = $4 AND used_at IS NULL",
    )
    .bind(crate::db::now())
    .bind(organization_id)
    .bind(user_id)
    .bind(purpose)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks an unexpired, unused token as used and returns its user.
pub async fn redeem(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    secret: &str,
    purpose: &str,
) -> sqlx::Result<Option<i64>> {
    let now = crate::db::now();
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE user_tokens SET used_at = $1 WHERE organization_id = $2 AND token_hash = $3 \
         AND purpose = $4 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
    )
    .bind(&now)
    .bind(organization_id)
    .bind(digest(secret))
    .bind(purpose)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.0))
}
