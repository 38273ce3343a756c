//! E-mail subscriptions to 意見公募: new consultations and published results. Subscribing sends
//! a confirmation link; only confirmed addresses get mail; every message carries the link that
//! cancels. Messages are queued in the transaction of the change they announce.

use crate::app::App;
use crate::db::{Db, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

/// Subscribes an address (again: a new confirmation mail, nothing else changes).
pub async fn subscribe(app: &App, org: i64, email: &str) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let email = errs.email("email", email, true);
    errs.into_result()?;
    let base = crate::accounts::service::base_url(app, org).await?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO pc_subscriptions (organization_id, email, token, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (organization_id, email) DO NOTHING",
    )
    .bind(org)
    .bind(&email)
    .bind(crate::accounts::tokens::random_secret())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let token: String = sqlx::query_scalar(
        "SELECT token FROM pc_subscriptions WHERE organization_id = $1 AND email = $2",
    )
    .bind(org)
    .bind(&email)
    .fetch_one(&mut *tx)
    .await?;
    let body = format!(
        "意見公募の新着(募集開始・結果公表)をメールでお知らせします。次のページで「登録する」を押してください:\n\
         {base}/consultations/subscription?token={token}\n\n\
         To receive new consultations and results by e-mail, open the link above and press \"Subscribe\".\n"
    );
    app.mailer
        .enqueue(
            &mut tx,
            org,
            &email,
            "意見公募のお知らせの登録 / Confirm your subscription",
            &body,
        )
        .await?;
    tx.commit().await?;
    app.mailer.wake();
    Ok(())
}

/// Whether `token` could be one we issued (URL-safe base64): anything else names no subscription
/// and never reaches the database (PostgreSQL refuses text holding NUL).
fn well_formed(token: &str) -> bool {
    (20..=100).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Confirms (`true`) or cancels (`false`) the subscription a token names.
pub async fn set(app: &App, org: i64, token: &str, confirm: bool) -> AppResult<()> {
    if !well_formed(token.trim()) {
        return Err(AppError::NotFound);
    }
    let mut tx = app.begin_write().await?;
    let done = if confirm {
        sqlx::query(
            "UPDATE pc_subscriptions SET confirmed = 1 WHERE organization_id = $1 AND token = $2",
        )
        .bind(org)
        .bind(token.trim())
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("DELETE FROM pc_subscriptions WHERE organization_id = $1 AND token = $2")
            .bind(org)
            .bind(token.trim())
            .execute(&mut *tx)
            .await?
    };
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

pub async fn exists(db: &Db, org: i64, token: &str) -> sqlx::Result<Option<bool>> {
    if !well_formed(token.trim()) {
        return Ok(None);
    }
    let row: Option<i64> = sqlx::query_scalar(
        "SELECT confirmed FROM pc_subscriptions WHERE organization_id = $1 AND token = $2",
    )
    .bind(org)
    .bind(token.trim())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|c| c == 1))
}

/// Queues `subject`/`text` to every confirmed subscriber inside the caller's transaction, each with
/// its cancel link.
pub async fn notify(
    app: &App,
    conn: &mut sqlx::AnyConnection,
    org: i64,
    subject: &str,
    text: &str,
) -> AppResult<()> {
    let base = crate::accounts::service::base_url(app, org).await?;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT email, token FROM pc_subscriptions WHERE organization_id = $1 AND confirmed = 1",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    for (email, token) in rows {
        let body = format!(
            "{text}\n\nお知らせの停止 / Unsubscribe: {base}/consultations/subscription?token={token}\n"
        );
        app.mailer
            .enqueue(&mut *conn, org, &email, subject, &body)
            .await?;
    }
    Ok(())
}
