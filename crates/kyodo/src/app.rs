//! The application core shared by the web server and the command line: database, configuration, mail.

use crate::{config::Config, db, mail::Mailer};
use std::sync::Arc;

#[derive(Clone)]
pub struct App {
    pub db: db::Db,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// The read replica, when one is configured (`KYODO_DATABASE_REPLICA_URL`).
    pub replica: Option<Arc<db::replica::Replica>>,
    /// PostgreSQL only: numbers taken mid-transaction (`db::counters_pool`).
    pub counters: Option<db::Db>,
    /// SQLite writers of this process queue here before `BEGIN` (see `db::write`).
    pub writes: db::write::WriteQueue,
    /// The minutes search index of this process (`<data dir>/minutes-index`).
    pub minutes_index: Arc<crate::minutes::index::MinutesIndex>,
}

impl App {
    /// Connects and migrates. Every command that touches data starts here.
    pub async fn open(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_url).await?;
        db::migrate(&db).await?;
        // Lists added by an upgrade reach organizations that exist already.
        if let Err(e) = crate::codes::add_missing_lists(&db).await {
            tracing::warn!(error = %e, "adding the default code lists failed");
        }
        let mailer = Mailer::new(config.mail_from.clone(), config.smtp_url.as_deref())?;
        let replica = match &config.database_replica_url {
            Some(url) => Some(db::replica::Replica::open(url, &db)?),
            None => None,
        };
        let app = Self {
            counters: db::counters_pool(&config.database_url)?,
            writes: db::write::WriteQueue::for_backend(db::backend_of(&config.database_url)),
            minutes_index: Arc::new(crate::minutes::index::MinutesIndex::new(
                Some(config.data_dir.join("minutes-index")),
                config.minutes_match_cache,
            )),
            replica,
            db,
            config: Arc::new(config),
            mailer,
        };
        // Editions imported before their lines were kept in blocks (migration 0041).
        crate::finance::store::move_old_lines(&app).await?;
        // Cases written before their counts were kept (migration 0047) are counted once.
        crate::cases::tallies::fill_missing(&app).await?;
        Ok(app)
    }

    /// Begins a write transaction (queued behind this process's other writers on SQLite).
    pub async fn begin_write(&self) -> sqlx::Result<db::write::WriteTx> {
        self.writes.begin(&self.db).await
    }
}
