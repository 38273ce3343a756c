//! Rendered pages for anonymous visitors, kept in memory. Public pages are what crawlers and most
//! citizens load; they change only when someone writes. Every successful state-changing request
//! bumps the generation (see `middleware::metrics`), which empties the cache, and entries also
//! expire after a minute so changes made from the command line show up. A gzip copy is kept beside
//! each page, so browsers (which all accept gzip) get 5× fewer bytes without compressing per request.

use super::ctx::Ctx;
use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Memory budget of the cache (plain + gzip bytes). Unique query strings cannot grow it beyond this.
const MAX_BYTES: usize = 8 * 1024 * 1024;
const TTL: Duration = Duration::from_secs(60);

/// Generation, time stored, page.
type Entry = (u64, Instant, Page);

#[derive(Clone)]
struct Page {
    plain: Bytes,
    gzip: Bytes,
}

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

    /// A cached page (shared bytes, no copy), gzip-encoded when the client accepts it.
    pub fn get(&self, ctx: &Ctx) -> Option<Response> {
        let key = Self::key(ctx)?;
        let generation = self.generation.load(Ordering::Acquire);
        let page = {
            let pages = self.pages.lock().ok()?;
            let (g, at, page) = pages.get(&key)?;
            (*g == generation && at.elapsed() < TTL).then(|| page.clone())?
        };
        Some(respond(ctx, &page))
    }

    /// Keeps the page when the visitor is anonymous, and answers with it.
    pub fn store(&self, ctx: &Ctx, html: String) -> Response {
        let plain = Bytes::from(html);
        if Self::key(ctx).is_none() {
            return respond(
                ctx,
                &Page {
                    gzip: Bytes::new(),
                    plain,
                },
            );
        }
        let mut gz = flate2::write::GzEncoder::new(
            Vec::with_capacity(plain.len() / 4),
            flate2::Compression::default(),
        );
        let gzip = gz
            .write_all(&plain)
            .and_then(|()| gz.finish())
            .map(Bytes::from)
            .unwrap_or_default();
        let page = Page { plain, gzip };
        self.put(ctx, page.clone());
        respond(ctx, &page)
    }

    fn put(&self, ctx: &Ctx, page: Page) {
        let Some(key) = Self::key(ctx) else { return };
        let generation = self.generation.load(Ordering::Acquire);
        let size = page.plain.len() + page.gzip.len();
        if let Ok(mut pages) = self.pages.lock() {
            let used: usize = pages
                .values()
                .map(|(_, _, p)| p.plain.len() + p.gzip.len())
                .sum();
            if used + size > MAX_BYTES {
                pages.retain(|_, (g, at, _)| *g == generation && at.elapsed() < TTL);
                let used: usize = pages
                    .values()
                    .map(|(_, _, p)| p.plain.len() + p.gzip.len())
                    .sum();
                if used + size > MAX_BYTES {
                    pages.clear();
                }
            }
            pages.insert(key, (generation, Instant::now(), page));
        }
    }
}

fn respond(ctx: &Ctx, page: &Page) -> Response {
    let html = HeaderValue::from_static("text/html; charset=utf-8");
    if ctx.accepts_gzip && !page.gzip.is_empty() {
        let mut res = page.gzip.clone().into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, html);
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        res
    } else {
        let mut res = page.plain.clone().into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, html);
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        res
    }
}
