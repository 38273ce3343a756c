//! Page caches of several instances on one PostgreSQL stay coherent. After a successful write an
//! instance drops its own stale pages and says which organization and areas it wrote on the
//! `kyodo_cache` channel (`db::channel`); every instance listens there and drops the same pages
//! when another one wrote, and everything when its listening connection was lost (notices may
//! have been missed). With SQLite there is one instance.

use super::cache::PageCache;
use super::cache_scope::Areas;
use crate::app::App;
use crate::db::channel::{self, Heard};
use std::sync::Arc;

const CHANNEL: &str = "kyodo_cache";

/// Tells the other instances that this one wrote `areas` of `org` (and where the primary's WAL was
/// after it, for their read-replica checks); if the notice cannot be sent, their pages fall back
/// to the cache's one-minute expiry.
pub async fn announce(app: &App, cache: &PageCache, org: i64, areas: Areas, position: Option<u64>) {
    let message = match position {
        Some(lsn) => format!("{org} {} {lsn}", areas.0),
        None => format!("{org} {}", areas.0),
    };
    channel::send(
        &app.db,
        &app.config.database_url,
        CHANNEL,
        cache.instance(),
        &message,
    )
    .await;
}

/// Starts listening for other instances' writes.
pub fn listen(app: &App, cache: Arc<PageCache>) {
    let me = cache.instance().to_string();
    let replica = app.replica.clone();
    channel::subscribe(
        &app.config.database_url,
        CHANNEL,
        me,
        move |heard| match heard {
            Heard::Own => {}
            Heard::Other(message) => match parse(message) {
                Some((org, areas, position)) => {
                    // The replica check first: a page rendered after the invalidation must
                    // not be read from a replica that lacks the write.
                    if let Some(r) = &replica {
                        r.wrote(org, position.unwrap_or(crate::db::replica::UNKNOWN));
                    }
                    cache.invalidate(org, areas);
                }
                None => cache.flush(),
            },
            Heard::Missed => {
                if let Some(r) = &replica {
                    r.missed();
                }
                cache.flush();
            }
        },
    );
}

/// "<org> <areas>[ <WAL position>]"
fn parse(message: &str) -> Option<(i64, Areas, Option<u64>)> {
    let mut parts = message.split(' ');
    let org = parts.next()?.parse().ok()?;
    let areas = Areas(parts.next()?.parse().ok()?);
    let position = match parts.next() {
        Some(p) => Some(p.parse().ok()?),
        None => None,
    };
    parts.next().is_none().then_some((org, areas, position))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_notice_reads_back_and_a_garbled_one_flushes() {
        assert_eq!(super::parse("42 3"), Some((42, super::Areas(3), None)));
        assert_eq!(
            super::parse("42 3 99"),
            Some((42, super::Areas(3), Some(99)))
        );
        assert_eq!(super::parse("42 3 x"), None);
        assert_eq!(super::parse("42"), None);
        assert_eq!(super::parse("x 1"), None);
    }
}
