//! A notification channel between the instances that share one PostgreSQL (`pg_notify` and
//! `LISTEN`). SQLite has one server per file, so there both ends do nothing.

use super::{Backend, Db, backend_of};
use sqlx::postgres::PgListener;
use std::time::Duration;

/// What a listener heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard<'a> {
    /// Another instance sent a notice, with this message.
    Other(&'a str),
    /// This instance's own notice came back.
    Own,
    /// The listening connection was lost or (re)started: notices may have been missed.
    Missed,
}

/// How long to wait before listening again after the connection failed.
const RETRY: Duration = Duration::from_secs(1);

/// Sends `message` from `sender` on `channel` (as `"<sender> <message>"`). A failure is logged:
/// the caller's write has already committed.
pub async fn send(db: &Db, url: &str, channel: &str, sender: &str, message: &str) {
    if backend_of(url) != Backend::Postgres {
        return;
    }
    let sent = sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(format!("{sender} {message}"))
        .execute(db)
        .await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, channel, "notice to other instances not sent");
    }
}

/// Listens on `channel` for as long as the runtime lives, calling `on` with what it hears
/// (`me` names this instance, so its own notices are told apart). Needs a Tokio runtime.
pub fn subscribe(
    url: &str,
    channel: &'static str,
    me: String,
    on: impl Fn(Heard<'_>) + Send + Sync + 'static,
) {
    if backend_of(url) != Backend::Postgres {
        return;
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let url = url.to_string();
    runtime.spawn(async move {
        loop {
            if let Err(e) = listen_once(&url, channel, &me, &on).await {
                tracing::warn!(error = %e, channel, "listener lost its connection");
            }
            on(Heard::Missed);
            tokio::time::sleep(RETRY).await;
        }
    });
}

async fn listen_once(
    url: &str,
    channel: &str,
    me: &str,
    on: &(impl Fn(Heard<'_>) + Send + Sync),
) -> sqlx::Result<()> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(channel).await?;
    // Whatever was sent while nobody listened is unknown.
    on(Heard::Missed);
    loop {
        match listener.try_recv().await? {
            Some(n) => match n.payload().split_once(' ') {
                Some((sender, _)) if sender == me => on(Heard::Own),
                Some((_, message)) => on(Heard::Other(message)),
                None => on(Heard::Missed),
            },
            // The connection dropped and was re-established.
            None => on(Heard::Missed),
        }
    }
}
