//! Page caches of several instances on one PostgreSQL stay coherent. After a successful write an
//! instance empties its own cache and says so on the `kyodo_cache` channel (`db::channel`); every
//! instance listens there and empties its cache when another one wrote, or when its listening
//! connection was lost (notices may have been missed). With SQLite there is one instance.

use super::cache::PageCache;
use crate::app::App;
use crate::db::channel::{self, Heard};
use std::sync::Arc;

const CHANNEL: &str = "kyodo_cache";

/// Tells the other instances that this one (`instance`) wrote; if the notice cannot be sent, their
/// pages fall back to the cache's one-minute expiry.
pub async fn announce(app: &App, instance: &str) {
    channel::send(&app.db, &app.config.database_url, CHANNEL, instance).await;
}

/// Starts listening for other instances' writes.
pub fn listen(app: &App, cache: Arc<PageCache>) {
    let me = cache.instance().to_string();
    channel::subscribe(&app.config.database_url, CHANNEL, me, move |heard| {
        if heard != Heard::Own {
            cache.invalidate();
        }
    });
}
