//! Outgoing mail: one durable, retried queue (`mail_messages`). A message is queued in the
//! transaction of the action that sends it ([`Mailer::enqueue`]), so it exists exactly when the
//! action does; a worker on any instance delivers it by SMTP (`KYODO_SMTP_URL`). Claiming is a
//! conditional UPDATE, so two instances never send one message twice; a failed delivery is tried
//! again after 1, 5, 30 minutes, 2 and 12 hours, then given up. Without SMTP a message counts as
//! delivered on arrival and the queue is the outbox the administration page lists.

use anyhow::Context;
use chrono::{Duration, Utc};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use tokio::sync::Notify;

/// Delays before each retry; after the last one the message is given up.
const RETRY_AFTER_MINUTES: [i64; 5] = [1, 5, 30, 120, 720];
/// How long a claimed message is left to its instance before another may try it (a crash mid-send).
const CLAIM_MINUTES: i64 = 10;
/// Messages one worker round delivers at most.
const BATCH: i64 = 20;

#[derive(Clone)]
pub struct Mailer {
    from: String,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    wake: Arc<Notify>,
}

/// A message as the outbox lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxItem {
    #[sqlx(rename = "created_at")]
    pub at: String,
    #[sqlx(rename = "to_address")]
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    pub sent_at: Option<String>,
    pub failed_at: Option<String>,
}

impl OutboxItem {
    /// The catalogue key of the message's state.
    pub fn state_key(&self) -> &'static str {
        match (&self.sent_at, &self.failed_at) {
            (Some(_), _) => "outbox.sent",
            (None, Some(_)) => "outbox.failed",
            (None, None) => "outbox.queued",
        }
    }
}

impl Mailer {
    pub fn new(from: String, smtp_url: Option<&str>) -> anyhow::Result<Self> {
        let smtp = match smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("KYODO_SMTP_URL is not a valid smtp:// or smtps:// URL")?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
            ),
            None => None,
        };
        Ok(Self {
            from,
            smtp,
            wake: Arc::new(Notify::new()),
        })
    }

    /// Whether messages leave the system (SMTP) or stay in the outbox.
    pub fn delivers(&self) -> bool {
        self.smtp.is_some()
    }

    /// Queues a message inside the caller's transaction; call [`Mailer::wake`] after the commit.
    pub async fn enqueue(
        &self,
        conn: &mut sqlx::AnyConnection,
        org: i64,
        to: &str,
        subject: &str,
        body: &str,
    ) -> sqlx::Result<()> {
        let at = crate::db::now();
        sqlx::query(
            "INSERT INTO mail_messages (organization_id, id, to_address, subject, body, created_at, next_attempt_at, sent_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
        )
        .bind(org)
        .bind(crate::db::new_id())
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(&at)
        .bind((!self.delivers()).then(|| at.clone()))
        .execute(conn)
        .await?;
        Ok(())
    }

    /// Queues one message on its own and wakes the worker.
    pub async fn send(
        &self,
        db: &crate::db::Db,
        org: i64,
        to: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        let mut conn = db.acquire().await?;
        self.enqueue(&mut conn, org, to, subject, body).await?;
        self.wake();
        Ok(())
    }

    /// Tells this instance's worker that messages are waiting.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Starts this instance's worker (with SMTP only: without it nothing waits).
    pub fn start_worker(&self, db: crate::db::Db) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if !self.delivers() {
            return;
        }
        let mailer = self.clone();
        runtime.spawn(async move {
            loop {
                match deliver_due(&db, &mailer).await {
                    // A full batch: more may be waiting.
                    Ok(n) if n as i64 >= BATCH => continue,
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "mail queue not read"),
                }
                let _ = tokio::time::timeout(
                    std::time::Duration::from_secs(30),
                    mailer.wake.notified(),
                )
                .await;
            }
        });
    }

    async fn deliver(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let Some(smtp) = &self.smtp else {
            return Ok(());
        };
        let msg = Message::builder()
            .from(self.from.parse::<Mailbox>().context("KYODO_MAIL_FROM")?)
            .to(to.parse::<Mailbox>().context("recipient")?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())?;
        smtp.send(msg).await.context("SMTP delivery")?;
        Ok(())
    }
}

type Due = (i64, i64, String, String, String, i64, String);

/// Delivers the messages that are due, each claimed first; returns how many were tried.
pub async fn deliver_due(db: &crate::db::Db, mailer: &Mailer) -> anyhow::Result<usize> {
    let now = Utc::now();
    let due: Vec<Due> = sqlx::query_as(
        "SELECT organization_id, id, to_address, subject, body, attempts, next_attempt_at FROM mail_messages \
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2",
    )
    .bind(crate::db::timestamp(now))
    .bind(BATCH)
    .fetch_all(db)
    .await?;
    let mut tried = 0;
    for (org, id, to, subject, body, attempts, was) in due {
        // The claim: only the instance whose UPDATE still sees the old time sends the message.
        let claimed = sqlx::query(
            "UPDATE mail_messages SET next_attempt_at = $1, attempts = attempts + 1 \
             WHERE organization_id = $2 AND id = $3 AND next_attempt_at = $4 AND sent_at IS NULL AND failed_at IS NULL",
        )
        .bind(crate::db::timestamp(now + Duration::minutes(CLAIM_MINUTES)))
        .bind(org)
        .bind(id)
        .bind(&was)
        .execute(db)
        .await?
        .rows_affected();
        if claimed != 1 {
            continue;
        }
        tried += 1;
        let result = mailer.deliver(&to, &subject, &body).await;
        let done = crate::db::now();
        let (sql, at) = match &result {
            Ok(()) => (
                "UPDATE mail_messages SET sent_at = $1 WHERE organization_id = $2 AND id = $3",
                done,
            ),
            Err(e) => {
                tracing::warn!(error = %e, attempt = attempts + 1, "mail delivery failed");
                match RETRY_AFTER_MINUTES.get(attempts as usize) {
                    Some(m) => (
                        "UPDATE mail_messages SET next_attempt_at = $1 WHERE organization_id = $2 AND id = $3",
                        crate::db::timestamp(Utc::now() + Duration::minutes(*m)),
                    ),
                    None => (
                        "UPDATE mail_messages SET failed_at = $1 WHERE organization_id = $2 AND id = $3",
                        done,
                    ),
                }
            }
        };
        sqlx::query(sql)
            .bind(at)
            .bind(org)
            .bind(id)
            .execute(db)
            .await?;
    }
    Ok(tried)
}

/// Newest first, at most `limit` messages of one organization.
pub async fn outbox(db: &crate::db::Db, org: i64, limit: i64) -> sqlx::Result<Vec<OutboxItem>> {
    sqlx::query_as(
        "SELECT created_at, to_address, subject, body, attempts, sent_at, failed_at FROM mail_messages \
         WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(org)
    .bind(limit)
    .fetch_all(db)
    .await
}
