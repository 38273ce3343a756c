//! 途中保存 — a long questionnaire saved to continue later. The answers so far are kept under the
//! hash of a secret that only the resume link carries; sending the questionnaire deletes them, so
//! a draft never outlives the response it becomes, and nothing links the two.

use crate::accounts::tokens;
use crate::db::{Db, timestamp};

const KEEP_DAYS: i64 = 30;
/// Form fields that are not answers.
const NOT_ANSWERS: [&str; 6] = ["csrf", "nonce", "website", "resume", "save_later", "nav"];

/// Saves (or replaces) the answers; returns the secret for the resume link.
pub async fn save(
    db: &Db,
    org: i64,
    survey: i64,
    secret: Option<&str>,
    fields: &[(String, String)],
) -> sqlx::Result<String> {
    let secret = secret
        .filter(|s| s.len() >= 20 && s.len() <= 100)
        .map(str::to_string)
        .unwrap_or_else(tokens::random_secret);
    let kept: Vec<&(String, String)> = fields
        .iter()
        .filter(|(k, _)| !NOT_ANSWERS.contains(&k.as_str()))
        .take(2_000)
        .collect();
    let json = serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into());
    let expires = timestamp(chrono::Utc::now() + chrono::Duration::days(KEEP_DAYS));
    sqlx::query(
        "INSERT INTO survey_drafts (organization_id, survey_id, token_hash, fields_json, expires_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (organization_id, survey_id, token_hash) DO UPDATE SET fields_json = excluded.fields_json, expires_at = excluded.expires_at",
    )
    .bind(org)
    .bind(survey)
    .bind(tokens::digest(&secret))
    .bind(json)
    .bind(expires)
    .execute(db)
    .await?;
    Ok(secret)
}

/// The saved answers, if the link is valid and not expired.
pub async fn load(
    db: &Db,
    org: i64,
    survey: i64,
    secret: &str,
) -> sqlx::Result<Option<Vec<(String, String)>>> {
    if secret.len() > 100 {
        return Ok(None);
    }
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT fields_json FROM survey_drafts WHERE organization_id = $1 AND survey_id = $2 AND token_hash = $3 AND expires_at > $4",
    )
    .bind(org)
    .bind(survey)
    .bind(tokens::digest(secret))
    .bind(crate::db::now())
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(j,)| serde_json::from_str(&j).ok()))
}

/// Forgets a draft (after sending) and every expired one of the survey.
pub async fn discard(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    survey: i64,
    secret: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM survey_drafts WHERE organization_id = $1 AND survey_id = $2 AND (token_hash = $3 OR expires_at <= $4)",
    )
    .bind(org)
    .bind(survey)
    .bind(tokens::digest(secret))
    .bind(crate::db::now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
