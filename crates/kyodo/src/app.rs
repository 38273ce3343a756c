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
}

impl App {
    /// Connects and migrates. Every command that touches data starts here.
    pub async fn open(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_url).await?;
        db::migrate(&db).await?;
        let mailer = Mailer::new(config.mail_from.clone(), config.smtp_url.as_deref())?;
        let replica = match &config.database_replica_url {
            Some(url) => Some(db::replica::Replica::open(url, &db)?),
            None => None,
        };
        Ok(Self {
            replica,
            db,
            config: Arc::new(config),
            mailer,
        })
    }
}
