//! Outgoing mail. With `KYODO_SMTP_URL` set, mail goes out by SMTP; every message is also written
//! to the organization's outbox directory (`<data>/outbox/<org>/`), which the admin page lists —
//! in development that directory is the only destination.

use anyhow::Context;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone)]
pub struct Mailer {
    outbox: PathBuf,
    from: String,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutboxItem {
    #[serde(default, skip_serializing)]
    pub file: String,
    pub at: String,
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    pub fn new(outbox: PathBuf, from: String, smtp_url: Option<&str>) -> anyhow::Result<Self> {
        let smtp = match smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("KYODO_SMTP_URL is not a valid smtp:// or smtps:// URL")?
                    .build(),
            ),
            None => None,
        };
        Ok(Self { outbox, from, smtp })
    }

    pub fn org_dir(&self, organization_id: i64) -> PathBuf {
        self.outbox.join(organization_id.to_string())
    }

    pub async fn send(
        &self,
        organization_id: i64,
        to: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        let at = chrono::Utc::now();
        let dir = self.org_dir(organization_id);
        tokio::fs::create_dir_all(&dir).await?;
        let item = OutboxItem {
            file: String::new(),
            at: crate::db::timestamp(at),
            to: to.into(),
            subject: subject.into(),
            body: body.into(),
        };
        let name = format!(
            "{}-{}.json",
            at.format("%Y%m%dT%H%M%S%.6f"),
            crate::db::new_id()
        );
        tokio::fs::write(dir.join(&name), serde_json::to_vec_pretty(&item)?).await?;
        if let Some(smtp) = &self.smtp {
            let msg = Message::builder()
                .from(self.from.parse::<Mailbox>().context("KYODO_MAIL_FROM")?)
                .to(to.parse::<Mailbox>().context("recipient")?)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body.to_string())?;
            smtp.send(msg).await.context("SMTP delivery")?;
        }
        Ok(())
    }
}

/// Newest first, at most `limit` messages of one organization.
pub fn list_outbox(dir: &Path, limit: usize) -> Vec<OutboxItem> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort_unstable_by(|a, b| b.cmp(a));
    names
        .into_iter()
        .take(limit)
        .filter_map(|n| {
            let bytes = std::fs::read(dir.join(&n)).ok()?;
            let mut item: OutboxItem = serde_json::from_slice(&bytes).ok()?;
            item.file = n;
            Some(item)
        })
        .collect()
}
