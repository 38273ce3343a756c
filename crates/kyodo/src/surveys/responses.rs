//! Storing a response (回答) in one transaction: the receipt that makes a double submit harmless, the
//! response without any respondent column, and its answers in multi-row inserts.

use super::answers::Answer;
use crate::accounts::tokens;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::now;
use crate::error::AppResult;

/// What happened to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New,
    /// The same form (nonce) or browser (receipt) had already answered: nothing was added.
    AlreadyAnswered,
    /// The invitation code is unknown or was used: nothing was added.
    CodeRefused,
}

/// Rows per INSERT statement. Small on SQLite: sqlx's SQLite driver looks up each parameter's name,
/// at a cost that grows with the statement's parameter count (`perf`: at 500 rows of 9 parameters,
/// 91 % of the time went to `sqlite3_bind_parameter_name`). Large on PostgreSQL, where each
/// statement is a round trip.
fn batch(conn: &sqlx::AnyConnection) -> usize {
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        16
    } else {
        500
    }
}

/// Marks a receipt; false when it was already there.
async fn claim(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    survey: i64,
    secret: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO survey_receipts (organization_id, survey_id, receipt) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .bind(survey)
    .bind(tokens::digest(secret))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Has this browser (or form) already answered?
pub async fn answered(
    db: &crate::db::Db,
    org: i64,
    survey: i64,
    secret: &str,
) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM survey_receipts WHERE organization_id = $1 AND survey_id = $2 AND receipt = $3",
    )
    .bind(org)
    .bind(survey)
    .bind(tokens::digest(secret))
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// Stores one response. None of the claims is linked to the response. The audit entry names the
/// survey and the channel, never the respondent.
/// What a submission must claim besides its answers.
#[derive(Default)]
pub struct Claims<'a> {
    /// Secrets that must not answer again: the form's nonce, the browser's receipt, the account's.
    pub receipts: &'a [&'a str],
    /// An invitation code, used up by this response.
    pub code: Option<&'a str>,
    /// The secret of a saved draft, deleted by this response.
    pub draft: Option<&'a str>,
}

pub async fn submit(
    app: &App,
    org: i64,
    survey: i64,
    channel: &str,
    claims: Claims<'_>,
    answers: &[Answer],
) -> AppResult<Stored> {
    let Claims {
        receipts,
        code,
        draft,
    } = claims;
    let mut tx = app.begin_write().await?;
    if let Some(d) = draft {
        super::drafts::discard(&mut tx, org, survey, d).await?;
    }
    for r in receipts {
        if !claim(&mut tx, org, survey, r).await? {
            tx.rollback().await?;
            return Ok(Stored::AlreadyAnswered);
        }
    }
    // A code is marked used in the same transaction; the code row never learns the response.
    if let Some(code) = code {
        let used = sqlx::query(
            "UPDATE survey_codes SET used = 1 WHERE organization_id = $1 AND survey_id = $2 AND code_hash = $3 AND used = 0",
        )
        .bind(org)
        .bind(survey)
        .bind(tokens::digest(code))
        .execute(&mut *tx)
        .await?;
        if used.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(Stored::CodeRefused);
        }
    }
    insert_response(&mut tx, org, survey, channel, &now()[..10], answers).await?;
    let attributes = super::tallies::attributes(&mut tx, org, survey).await?;
    super::tallies::apply(
        &mut tx,
        org,
        survey,
        &super::tallies::bumps(answers, &attributes),
    )
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor {
            user_id: None,
            label: format!("respondent:{channel}"),
        },
        Change {
            action: "survey.respond",
            target_type: "survey",
            target_id: survey.to_string(),
            before: None,
            after: Some(serde_json::json!({ "channel": channel, "answers": answers.len() })),
        },
    )
    .await?;
    Ok(Stored::New)
}

/// A response's id: random, unlike `db::new_id`, whose high bits are the time to the millisecond —
/// a response must not say when it was sent (only the day is kept), or it could be matched with
/// anything else that records the moment of a request.
pub fn anonymous_id() -> i64 {
    let mut b = [0u8; 8];
    crate::db::random_fill(&mut b);
    (u64::from_le_bytes(b) >> 1) as i64
}

/// The response row and its answers (used by `submit` and by the demo generator).
pub async fn insert_response(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    survey: i64,
    channel: &str,
    day: &str,
    answers: &[Answer],
) -> sqlx::Result<i64> {
    let id = anonymous_id();
    sqlx::query(
        "INSERT INTO survey_responses (organization_id, id, survey_id, channel, submitted_on) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(org)
    .bind(id)
    .bind(survey)
    .bind(channel)
    .bind(day)
    .execute(&mut *conn)
    .await?;
    insert_answers(
        conn,
        org,
        survey,
        &answers.iter().map(|a| (id, a)).collect::<Vec<_>>(),
    )
    .await?;
    Ok(id)
}

/// Many response rows at once (id, channel, day), for generated data.
pub async fn insert_responses(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    survey: i64,
    rows: &[(i64, &str, String)],
) -> sqlx::Result<()> {
    for chunk in rows.chunks(batch(conn)) {
        let mut sql = String::from(
            "INSERT INTO survey_responses (organization_id, survey_id, id, channel, submitted_on) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 3;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("($1, $2, ${}, ${}, ${})", b + 3, b + 4, b + 5));
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(survey);
        for (id, channel, day) in chunk {
            q = q.bind(*id).bind(*channel).bind(day.as_str());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Answers of one or many responses, `BATCH` rows per statement.
pub async fn insert_answers(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    survey: i64,
    rows: &[(i64, &Answer)],
) -> sqlx::Result<()> {
    for chunk in rows.chunks(batch(conn)) {
        let sql = format!(
            "INSERT INTO survey_answers (organization_id, survey_id, response_id, question_id, part, option_id, level, value_number, value_text) VALUES {}",
            crate::db::values_groups(chunk.len(), 9, 1)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (response, a) in chunk {
            q = q
                .bind(org)
                .bind(survey)
                .bind(*response)
                .bind(a.question_id)
                .bind(a.part)
                .bind(a.option_id)
                .bind(a.level)
                .bind(crate::db::Real(a.number))
                .bind(a.text.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
