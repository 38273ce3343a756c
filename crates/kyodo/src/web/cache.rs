//! Rendered pages for anonymous visitors, kept in memory. Public pages are what crawlers and most
//! citizens load; they change only when someone writes. Every successful state-changing request
//! bumps the generations of the organization's areas it may change (`cache_scope.rs`, from
//! `middleware::metrics`), which drops the pages showing those areas — on every instance sharing
//! the database (`cache_sync.rs`) — and entries also expire after a minute so changes made from
//! the command line show up. A gzip copy is kept beside each page (made for the first client that
//! takes gzip), so browsers (which all accept gzip) get 5× fewer bytes without compressing per
//! request.

use super::WebState;
use super::cache_scope::{Areas, shown_by};
use super::ctx::{Ctx, Prefs, accepts_gzip, cookie, session_cookie, visitor_prefs};
use super::middleware::add_security_headers;
use crate::i18n::Lang;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Memory budget of the cache (plain + gzip bytes). Unique query strings cannot grow it beyond this.
const MAX_BYTES: usize = 8 * 1024 * 1024;
const TTL: Duration = Duration::from_secs(60);
/// Up to this much more, spread by key ([`expiry`]).
const SPREAD_MS: u64 = 30_000;

/// When an entry stored now under `key` expires: after [`TTL`] and up to half of it more, spread
/// by the key. Entries filled together (by the first visitors after a start or a flush) then do
/// not all expire in one moment: when every page and snapshot was made again at once, 60 s into
/// the soak, its peak RSS rose by ~12 MiB (docs/PERFORMANCE.md). Also used by the snapshots.
pub(crate) fn expiry(key: impl std::hash::Hash) -> Instant {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    key.hash(&mut h);
    Instant::now() + TTL + Duration::from_millis(h.finish() % SPREAD_MS)
}

/// How long others are given the expired entry while one caller makes it again; if that caller
/// fails, the next one after this tries.
const REFRESH_WAIT: Duration = Duration::from_secs(10);

/// Whether an entry whose areas have not changed since it was stored is served: until it expires,
/// and after that to everyone but one caller while that one makes it again. An expiry only catches
/// writes made from the command line, which a few more milliseconds of the old entry do not hurt;
/// without this, every visitor arriving in that moment made it again too.
pub(crate) fn still_served(expires: Instant, refreshing: &mut Option<Instant>) -> bool {
    let now = Instant::now();
    if now < expires {
        return true;
    }
    if refreshing.is_some_and(|since| now.duration_since(since) < REFRESH_WAIT) {
        return true;
    }
    *refreshing = Some(now);
    false
}

/// Stamp (see [`PageCache::stamp`]), when it expires, page, since when one caller makes it again.
type Entry = (u64, Instant, Page, Option<Instant>);

/// An organization's generations: one per area (`Areas::indices`), then one for the whole
/// organization.
type Generations = [u64; 9];
const WHOLE: usize = 8;

#[derive(Clone)]
struct Page {
    plain: Bytes,
    gzip: Bytes,
    /// HTML for pages; JSON for the API's reads (`web/api/cache.rs`).
    content_type: &'static str,
}

pub const HTML: &str = "text/html; charset=utf-8";
pub const JSON: &str = "application/json";

pub struct PageCache {
    /// Bumped when notices from other instances may have been lost: every page of every organization.
    flushes: AtomicU64,
    generations: Mutex<HashMap<i64, Generations>>,
    pages: Mutex<HashMap<String, Entry>>,
    /// This instance's name on the cache channel (random per process), so it skips its own notices.
    instance: String,
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            flushes: AtomicU64::new(0),
            generations: Mutex::new(HashMap::new()),
            pages: Mutex::new(HashMap::new()),
            instance: crate::accounts::tokens::random_secret(),
        }
    }
}

impl PageCache {
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Every cached page of every organization is stale (a notice may have been missed).
    pub fn flush(&self) {
        self.flushes.fetch_add(1, Ordering::AcqRel);
    }

    /// A write in organization `org` may have changed `areas`: pages showing them are stale.
    pub fn invalidate(&self, org: i64, areas: Areas) {
        if areas == Areas::NONE {
            return;
        }
        let Ok(mut gens) = self.generations.lock() else {
            return self.flush();
        };
        let g = gens.entry(org).or_default();
        if areas == Areas::ALL {
            g[WHOLE] += 1;
        } else {
            areas.indices().for_each(|i| g[i] += 1);
        }
    }

    /// A number that changes whenever data of `areas` of `org` may have changed: data derived
    /// from the database and kept in memory is valid while it stays the same.
    pub fn stamp(&self, org: i64, areas: Areas) -> u64 {
        let flushes = self.flushes.load(Ordering::Acquire);
        let Ok(gens) = self.generations.lock() else {
            return u64::MAX;
        };
        let g = gens.get(&org).copied().unwrap_or_default();
        // Generations only grow, so the sum changes whenever one of them does.
        let areas_sum: u64 = areas.indices().map(|i| g[i]).sum();
        flushes.wrapping_add(g[WHOLE]).wrapping_add(areas_sum)
    }

    /// The cache key, or `None` when the page must not be cached (signed-in visitors see forms,
    /// their name and CSRF tokens).
    fn key(ctx: &Ctx) -> Option<String> {
        // A page showing a one-time notice is that visitor's alone.
        // Pages with ふりがな are made for the one visitor who asked (and cost a segmentation).
        if ctx.principal.is_some() || ctx.notice.is_some() || ctx.prefs.ruby {
            return None;
        }
        Some(key_of(ctx.org.id, ctx.lang, ctx.prefs, &ctx.here))
    }

    /// The page when current. `fast_path`: also when expired while another request makes it
    /// again ([`still_served`]); the request that is to make it goes on down the stack, where
    /// [`PageCache::get`] asks again without this and misses.
    fn lookup(&self, org: i64, key: &str, here: &str, fast_path: bool) -> Option<Page> {
        let stamp = self.stamp(org, shown_by(here));
        let mut pages = self.pages.lock().ok()?;
        let (g, expires, page, refreshing) = pages.get_mut(key)?;
        if *g != stamp {
            return None;
        }
        let served = if fast_path {
            still_served(*expires, refreshing)
        } else {
            Instant::now() < *expires
        };
        served.then(|| page.clone())
    }

    /// A cached page (shared bytes, no copy), gzip-encoded when the client accepts it.
    pub fn get(&self, ctx: &Ctx) -> Option<Response> {
        let key = Self::key(ctx)?;
        let page = self.lookup(ctx.org.id, &key, &ctx.here, false)?;
        if ctx.accepts_gzip {
            return Some(respond(true, &self.with_gzip(&key, page)));
        }
        Some(respond(false, &page))
    }

    /// Keeps the page when the visitor is anonymous, and answers with it.
    pub fn store(&self, ctx: &Ctx, html: String) -> Response {
        self.store_as(ctx, Bytes::from(html), HTML)
    }

    /// As `store`, for an answer of another type (the API's JSON).
    pub fn store_as(&self, ctx: &Ctx, plain: Bytes, content_type: &'static str) -> Response {
        if Self::key(ctx).is_none() {
            return respond(
                ctx.accepts_gzip,
                &Page {
                    gzip: Bytes::new(),
                    plain,
                    content_type,
                },
            );
        }
        // Compressed when this client takes gzip; otherwise on the first hit by one that does
        // (`with_gzip`): a miss asked for by a client without gzip (a script, a crawler) costs no
        // compression.
        let gzip = if ctx.accepts_gzip {
            gzip(&plain)
        } else {
            Bytes::new()
        };
        let page = Page {
            plain,
            gzip,
            content_type,
        };
        self.put(ctx, page.clone());
        respond(ctx.accepts_gzip, &page)
    }

    /// `page` (cached under `key`) with its gzip copy, made now and kept when it had none.
    fn with_gzip(&self, key: &str, mut page: Page) -> Page {
        if !page.gzip.is_empty() || page.plain.is_empty() {
            return page;
        }
        page.gzip = gzip(&page.plain);
        if let Ok(mut pages) = self.pages.lock()
            && let Some((_, _, kept, _)) = pages.get_mut(key)
            // Still the same page (not made again meanwhile).
            && kept.plain.as_ptr() == page.plain.as_ptr()
        {
            kept.gzip = page.gzip.clone();
        }
        page
    }

    fn put(&self, ctx: &Ctx, page: Page) {
        let Some(key) = Self::key(ctx) else { return };
        let stamp = ctx.cache_stamp;
        let size = page.plain.len() + page.gzip.len();
        if let Ok(mut pages) = self.pages.lock() {
            let used: usize = pages
                .values()
                .map(|(_, _, p, _)| p.plain.len() + p.gzip.len())
                .sum();
            if used + size > MAX_BYTES {
                let now = Instant::now();
                pages.retain(|k, (g, expires, _, _)| now < *expires && self.current(k, *g));
                let used: usize = pages
                    .values()
                    .map(|(_, _, p, _)| p.plain.len() + p.gzip.len())
                    .sum();
                if used + size > MAX_BYTES {
                    pages.clear();
                }
            }
            let expires = expiry(&key);
            pages.insert(key, (stamp, expires, page, None));
        }
    }
}

impl PageCache {
    /// Whether a page stored under `key` with `stamp` is still current.
    fn current(&self, key: &str, stamp: u64) -> bool {
        let mut parts = key.splitn(5, '|');
        let org = parts.next().and_then(|o| o.parse().ok());
        match (org, parts.nth(3)) {
            (Some(org), Some(here)) => self.stamp(org, shown_by(here)) == stamp,
            _ => false,
        }
    }
}

fn key_of(org: i64, lang: Lang, prefs: Prefs, here: &str) -> String {
    format!(
        "{org}|{}|{}|{}|{here}",
        lang.code(),
        prefs.text,
        prefs.contrast
    )
}

/// The fast path, outermost of all layers: an anonymous GET whose page is cached is answered here,
/// with the same headers the full stack would add, without the context, CSRF, guard, compression and
/// logging layers (they cost more than the lookup itself). Everything else goes on down the stack.
pub async fn serve_hits(State(st): State<WebState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let headers = req.headers();
    let secure = st.app.config.secure_cookies();
    // The API's cached answers are served by `web/api/cache.rs`, inside the ETag layer.
    let anonymous_read = matches!(*req.method(), Method::GET | Method::HEAD)
        && !req.uri().path().starts_with("/api/")
        && cookie(headers, session_cookie(secure)).is_none()
        && cookie(headers, super::notice::notice_cookie(secure)).is_none()
        // A request with an API token is checked against the token's scopes first.
        && !headers.contains_key(header::AUTHORIZATION);
    if anonymous_read {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if let Ok(Some(org)) = st.orgs.resolve(&st.app, host).await {
            let (lang, prefs) = visitor_prefs(headers);
            let here = req.uri().path_and_query().map_or("/", |p| p.as_str());
            let key = key_of(org.id, lang, prefs, here);
            if !prefs.ruby
                && let Some(page) = st.cache.lookup(org.id, &key, here, true)
            {
                let gzipped = accepts_gzip(headers);
                let page = if gzipped {
                    st.cache.with_gzip(&key, page)
                } else {
                    page
                };
                let mut res = respond(gzipped, &page);
                add_security_headers(res.headers_mut());
                // What the context layer marks an anonymous page without a form token.
                res.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                st.metrics.observe(200, start.elapsed());
                return res;
            }
        }
    }
    next.run(req).await
}

/// The fastest level: half the time of the default (0.16 against 0.32 ms for a 25 KB search page)
/// for ~9 % more bytes.
fn gzip(plain: &[u8]) -> Bytes {
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(plain.len() / 3),
        flate2::Compression::fast(),
    );
    gz.write_all(plain)
        .and_then(|()| gz.finish())
        .map(Bytes::from)
        .unwrap_or_default()
}

fn respond(accepts_gzip: bool, page: &Page) -> Response {
    let html = HeaderValue::from_static(page.content_type);
    if accepts_gzip && !page.gzip.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_stored_together_expire_spread_over_half_a_ttl() {
        let now = Instant::now();
        let after: Vec<Duration> = (0..200)
            .map(|i| expiry(format!("/plans/{i}")) - now)
            .collect();
        let (first, last) = (after.iter().min().unwrap(), after.iter().max().unwrap());
        assert!(*first >= TTL, "{first:?}");
        assert!(*last < TTL + Duration::from_millis(SPREAD_MS) + Duration::from_secs(1));
        // Spread, not bunched: 200 keys cover most of the 30 s.
        assert!(
            *last - *first > Duration::from_secs(25),
            "{first:?}..{last:?}"
        );
        // One key always gets the same share, so an entry's life does not depend on chance.
        let a = expiry("/evaluation") - Instant::now();
        let b = expiry("/evaluation") - Instant::now();
        assert!(a.abs_diff(b) < Duration::from_millis(50));
    }

    #[test]
    fn an_expired_entry_is_made_again_by_one_caller_while_the_others_keep_it() {
        let mut refreshing = None;
        let future = Instant::now() + Duration::from_secs(5);
        assert!(still_served(future, &mut refreshing), "fresh");
        assert_eq!(refreshing, None);
        let past = Instant::now() - Duration::from_millis(1);
        assert!(
            !still_served(past, &mut refreshing),
            "the first caller makes it"
        );
        assert!(refreshing.is_some());
        assert!(
            still_served(past, &mut refreshing),
            "the others keep the old one"
        );
        assert!(still_served(past, &mut refreshing));
        // That caller failed long ago: the next one tries.
        refreshing = Some(Instant::now() - REFRESH_WAIT - Duration::from_millis(1));
        assert!(!still_served(past, &mut refreshing));
        assert!(still_served(past, &mut refreshing));
    }
}
