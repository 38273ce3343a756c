//! A per-address limit for anonymous surveys. The once-per-browser rule is a cookie, which a script
//! can discard: answers from one client address to one survey are also limited per day. Kept in
//! the database so that every Kyodo instance counts the same; the address is stored only as a
//! digest together with the survey, never with a response.

use crate::db::Db;
use sha2::{Digest, Sha256};

/// Anonymous answers one address may give one survey in a day (a household or an office behind one
/// address answers several times; a script does not get far).
pub const PER_ADDRESS_PER_DAY: i64 = 20;

fn digest(survey: i64, address: &str) -> String {
    hex::encode(Sha256::digest(
        format!("kyodo-survey-address:{survey}:{address}").as_bytes(),
    ))
}

/// Counts an answer from `address`; false when the address has used up the day's answers.
pub async fn allow(db: &Db, org: i64, survey: i64, address: &str) -> sqlx::Result<bool> {
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let mut tx = db.begin().await?;
    // Yesterday's and older counts (of every survey of the organization) are no longer needed.
    sqlx::query("DELETE FROM survey_address_counts WHERE organization_id = $1 AND day < $2")
        .bind(org)
        .bind(&day)
        .execute(&mut *tx)
        .await?;
    let (answers,): (i64,) = sqlx::query_as(
        "INSERT INTO survey_address_counts (organization_id, survey_id, address_digest, day, answers) \
         VALUES ($1, $2, $3, $4, 1) ON CONFLICT (organization_id, survey_id, address_digest, day) \
         DO UPDATE SET answers = survey_address_counts.answers + 1 RETURNING answers",
    )
    .bind(org)
    .bind(survey)
    .bind(digest(survey, address))
    .bind(&day)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(answers <= PER_ADDRESS_PER_DAY)
}
