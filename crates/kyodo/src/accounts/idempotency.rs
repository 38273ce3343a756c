//! `Idempotency-Key` for the API's writes, kept in the database so a retry that reaches another
//! instance is answered the same: the first request with a key claims it; a successful answer is
//! kept 24 hours and replayed; a failed one releases the key so the client may try again.

use crate::app::App;

/// How long an answer is replayed.
const KEEP_HOURS: i64 = 24;

/// What a request's key allows.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// Not seen before: run the request, then `keep` or `release`.
    Claimed,
    /// The same request was answered: send this (status, content type, body) again.
    Replay(u16, String, String),
    /// The same key is being handled right now.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

/// A kept row: (request digest, status, content type, body); no status while in flight.
type Kept = (String, Option<i64>, Option<String>, Option<String>);

/// A key as RFC draft "The Idempotency-Key HTTP Header Field" allows: 1–255 visible ASCII.
pub fn valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

pub async fn claim(
    app: &App,
    org: i64,
    actor: &str,
    key: &str,
    digest: &str,
) -> sqlx::Result<Claim> {
    let now = chrono::Utc::now();
    let expired = crate::db::timestamp(now - chrono::Duration::hours(KEEP_HOURS));
    let mut tx = app.begin_write().await?;
    sqlx::query("DELETE FROM api_idempotency WHERE organization_id = $1 AND created_at < $2")
        .bind(org)
        .bind(&expired)
        .execute(&mut *tx)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO api_idempotency (organization_id, actor, idem_key, request_digest, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .bind(actor)
    .bind(key)
    .bind(digest)
    .bind(crate::db::timestamp(now))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let found: Option<Kept> = if inserted == 1 {
        None
    } else {
        sqlx::query_as(
            "SELECT request_digest, status, content_type, body FROM api_idempotency \
             WHERE organization_id = $1 AND actor = $2 AND idem_key = $3",
        )
        .bind(org)
        .bind(actor)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?
    };
    tx.commit().await?;
    Ok(match found {
        None => Claim::Claimed,
        Some((d, _, _, _)) if d != digest => Claim::Mismatch,
        Some((_, Some(status), ct, body)) => Claim::Replay(
            u16::try_from(status).unwrap_or(200),
            ct.unwrap_or_default(),
            body.unwrap_or_default(),
        ),
        Some((_, None, _, _)) => Claim::InProgress,
    })
}

/// Keeps the answer of a claimed key for replay.
pub async fn keep(
    app: &App,
    org: i64,
    actor: &str,
    key: &str,
    status: u16,
    content_type: &str,
    body: &str,
) -> sqlx::Result<()> {
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "UPDATE api_idempotency SET status = $1, content_type = $2, body = $3 \
         WHERE organization_id = $4 AND actor = $5 AND idem_key = $6",
    )
    .bind(i64::from(status))
    .bind(content_type)
    .bind(body)
    .bind(org)
    .bind(actor)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Frees a claimed key whose request failed (nothing was changed, so a retry may run).
pub async fn release(app: &App, org: i64, actor: &str, key: &str) -> sqlx::Result<()> {
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "DELETE FROM api_idempotency WHERE organization_id = $1 AND actor = $2 AND idem_key = $3 \
         AND status IS NULL",
    )
    .bind(org)
    .bind(actor)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_visible_ascii_of_bounded_length() {
        assert!(super::valid_key("9f1c-2026-12-05"));
        assert!(!super::valid_key(""));
        assert!(!super::valid_key("a b"));
        assert!(!super::valid_key("鍵"));
        assert!(!super::valid_key(&"a".repeat(256)));
    }
}
