//! Page caches of several instances on one PostgreSQL stay coherent. After a successful write an
//! instance drops its own stale pages and says which organization and areas it wrote on the
//! `kyodo_cache` channel (`db::channel`); every instance listens there and drops the same pages
//! when another one wrote, and everything when its listening connection was lost (notices may
//! have been missed). With SQLite there is one instance.

use super::cache::PageCache;
use super::cache_scope::Areas;
use crate::app::App;
use crate::db::channel::{self, Heard};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

const CHANNEL: &str = "kyodo_cache";

/// Tells the other instances which areas of which organization this one wrote, off the request's
/// path: a write's response does not wait for the notice, and writes that come while one notice
/// is being sent go out together, one notice per organization (its areas joined, the latest WAL
/// position) — under a storm of submissions that is a few notices a second, not one per write.
/// If a notice cannot be sent, the other instances' pages fall back to the cache's one-minute expiry.
#[derive(Default)]
pub struct Announcer {
    pending: Mutex<BTreeMap<i64, (Areas, Option<u64>)>>,
    wake: Notify,
}

impl Announcer {
    /// The announcer and, on PostgreSQL inside a Tokio runtime, its sending task.
    pub fn start(app: &App, cache: &PageCache) -> Arc<Announcer> {
        let announcer = Arc::new(Announcer::default());
        if crate::db::backend_of(&app.config.database_url) != crate::db::Backend::Postgres {
            return announcer;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return announcer;
        };
        let (db, url, me) = (
            app.db.clone(),
            app.config.database_url.clone(),
            cache.instance().to_string(),
        );
        let own = announcer.clone();
        runtime.spawn(async move {
            loop {
                own.wake.notified().await;
                let batch =
                    std::mem::take(&mut *own.pending.lock().unwrap_or_else(|p| p.into_inner()));
                for (org, (areas, position)) in batch {
                    channel::send(&db, &url, CHANNEL, &me, &message(org, areas, position)).await;
                }
            }
        });
        announcer
    }

    /// Queues the notice that this instance wrote `areas` of `org` (and where the primary's WAL was
    /// after it, for the others' read-replica checks).
    pub fn announce(&self, org: i64, areas: Areas, position: Option<u64>) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let entry = pending.entry(org).or_insert((Areas::NONE, None));
        entry.0 = Areas(entry.0.0 | areas.0);
        entry.1 = entry.1.max(position);
        drop(pending);
        self.wake.notify_one();
    }
}

/// "<org> <areas>[ <WAL position>]"
fn message(org: i64, areas: Areas, position: Option<u64>) -> String {
    match position {
        Some(lsn) => format!("{org} {} {lsn}", areas.0),
        None => format!("{org} {}", areas.0),
    }
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
    fn notices_that_wait_are_joined_per_organization() {
        let a = super::Announcer::default();
        a.announce(7, super::Areas(1), None);
        a.announce(7, super::Areas(4), Some(10));
        a.announce(7, super::Areas::NONE, Some(9));
        a.announce(8, super::Areas(2), None);
        let pending = a.pending.lock().unwrap().clone();
        let notes: Vec<_> = pending
            .into_iter()
            .map(|(org, (areas, at))| super::message(org, areas, at))
            .collect();
        assert_eq!(notes, ["7 5 10", "8 2"]);
        assert_eq!(super::parse("7 5 10"), Some((7, super::Areas(5), Some(10))));
    }

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
