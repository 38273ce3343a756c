//! Account use cases. Each writes and appends its audit entry in one transaction.

mod citizens;
mod organization;
mod passwords;
mod sign_in;
mod staff;

pub use citizens::*;
pub use organization::*;
pub use passwords::*;
pub use sign_in::*;
pub use staff::*;

use crate::accounts::organizations;
use crate::app::App;
use crate::error::AppResult;

/// Queues a message. A failure to queue is logged, not shown: the action itself succeeded.
pub(super) async fn send(app: &App, org: i64, to: &str, subject: &str, body: &str) {
    if let Err(e) = app.mailer.send(&app.db, org, to, subject, body).await {
        tracing::error!(error = %e, "mail delivery failed");
    }
}

/// The base of links mailed to the organization's users ([`organizations::Organization::base_url`]).
pub async fn base_url(app: &App, org: i64) -> AppResult<String> {
    Ok(organizations::by_id(&app.db, org).await?.map_or_else(
        || app.config.public_url.clone(),
        |o| o.base_url(&app.config.public_url),
    ))
}
