//! How many responses surveys have (the quota check, the HQ's lists). Apart from `responses`, which
//! writes answers through `tallies` and `answers`, so that `store` can count without that chain.

/// How many responses a survey has.
pub async fn count(db: &crate::db::Db, org: i64, survey: i64) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM survey_responses WHERE organization_id = $1 AND survey_id = $2",
    )
    .bind(org)
    .bind(survey)
    .fetch_one(db)
    .await?;
    Ok(n)
}

/// (survey, responses) of every survey of the organization that has any.
pub async fn counts(db: &crate::db::Db, org: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT survey_id, COUNT(*) FROM survey_responses WHERE organization_id = $1 GROUP BY survey_id",
    )
    .bind(org)
    .fetch_all(db)
    .await
}
