//! Rendered pages for anonymous visitors, kept in memory. Public pages are what crawlers and most
//! citizens load; they change only when someone writes. Every successful state-changing request
//! bumps the generation (see `middleware::metrics`), which empties the cache, and entries also
//! expire after a minute so changes made from the command line show up.

use super::ctx::Ctx;
use axum::response::Html;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const MAX_ENTRIES: usize = 2000;
const TTL: Duration = Duration::from_secs(60);

/// Generation, time stored, page.
type Entry = (u64, Instant, Html<String>);

#[derive(Default)]
pub struct PageCache {
    generation: AtomicU64,
    pages: Mutex<HashMap<String, Entry>>,
}

impl PageCache {
    /// Something changed: every cached page is stale.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The cache key, or `None` when the page must not be cached (signed-in visitors see forms,
    /// their name and CSRF tokens).
    fn key(ctx: &Ctx) -> Option<String> {
        if ctx.principal.is_some() {
            return None;
        }
        Some(format!(
            "{}|{}|{}|{}|{}",
            ctx.org.id,
            ctx.lang.code(),
            ctx.prefs.text,
            ctx.prefs.contrast,
            ctx.here
        ))
    }

    pub fn get(&self, ctx: &Ctx) -> Option<Html<String>> {
        let key = Self::key(ctx)?;
        let generation = self.generation.load(Ordering::Acquire);
        let pages = self.pages.lock().ok()?;
        let (g, at, html) = pages.get(&key)?;
        (*g == generation && at.elapsed() < TTL).then(|| Html(html.0.clone()))
    }

    pub fn put(&self, ctx: &Ctx, html: &Html<String>) {
        let Some(key) = Self::key(ctx) else { return };
        let generation = self.generation.load(Ordering::Acquire);
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= MAX_ENTRIES {
                pages.retain(|_, (g, at, _)| *g == generation && at.elapsed() < TTL);
                if pages.len() >= MAX_ENTRIES {
                    pages.clear();
                }
            }
            pages.insert(key, (generation, Instant::now(), Html(html.0.clone())));
        }
    }
}
