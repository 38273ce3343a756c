//! Writing a survey and its questions (the builder's and the copy's storage); `store` reads them.

use crate::db::{new_id, now};

/// A survey to create (demo data, copies of a wave, the builder).
pub struct NewSurvey<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub audience: &'a str,
    pub status: &'a str,
    pub fiscal_year: i64,
    pub series: &'a str,
    pub is_demo: bool,
}

pub async fn insert_survey(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    s: &NewSurvey<'_>,
) -> sqlx::Result<i64> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO surveys (organization_id, id, title, description, audience, status, fiscal_year, series, is_demo, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(org)
    .bind(id)
    .bind(s.title)
    .bind(s.description)
    .bind(s.audience)
    .bind(s.status)
    .bind(s.fiscal_year)
    .bind(s.series)
    .bind(i64::from(s.is_demo))
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// A question to add; `options` only for single and multiple choice.
#[derive(Default)]
pub struct NewQuestion<'a> {
    pub kind: &'a str,
    pub label: &'a str,
    pub help: &'a str,
    pub required: bool,
    pub max_choices: Option<i64>,
    pub attribute: bool,
    pub subject: &'a str,
    pub plan_node_id: Option<i64>,
    pub policy_node_id: Option<i64>,
    pub show_if: Option<(i64, i64)>,
    pub options: &'a [&'a str],
    /// The rows of a matrix question.
    pub rows: &'a [&'a str],
}

/// Adds a question at the end; returns its id and its options' ids.
pub async fn insert_question(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    survey: i64,
    q: &NewQuestion<'_>,
) -> sqlx::Result<(i64, Vec<i64>)> {
    let (position,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM survey_questions WHERE organization_id = $1 AND survey_id = $2",
    )
    .bind(org)
    .bind(survey)
    .fetch_one(&mut *conn)
    .await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO survey_questions (organization_id, id, survey_id, position, kind, label, help, required, max_choices, \
         attribute, subject, plan_node_id, show_if_question_id, show_if_option_id, policy_node_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(org)
    .bind(id)
    .bind(survey)
    .bind(position)
    .bind(q.kind)
    .bind(q.label)
    .bind(q.help)
    .bind(i64::from(q.required))
    .bind(q.max_choices)
    .bind(i64::from(q.attribute))
    .bind(q.subject)
    .bind(q.plan_node_id)
    .bind(q.show_if.map(|s| s.0))
    .bind(q.show_if.map(|s| s.1))
    .bind(q.policy_node_id)
    .execute(&mut *conn)
    .await?;
    let mut option_ids = Vec::with_capacity(q.options.len());
    for (i, label) in q.rows.iter().enumerate() {
        sqlx::query(
            "INSERT INTO survey_options (organization_id, id, question_id, position, label, is_row) VALUES ($1, $2, $3, $4, $5, 1)",
        )
        .bind(org)
        .bind(new_id())
        .bind(id)
        .bind(i as i64 + 1)
        .bind(*label)
        .execute(&mut *conn)
        .await?;
    }
    for (i, label) in q.options.iter().enumerate() {
        let oid = new_id();
        sqlx::query(
            "INSERT INTO survey_options (organization_id, id, question_id, position, label) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org)
        .bind(oid)
        .bind(id)
        .bind(i as i64 + 1)
        .bind(*label)
        .execute(&mut *conn)
        .await?;
        option_ids.push(oid);
    }
    Ok((id, option_ids))
}
