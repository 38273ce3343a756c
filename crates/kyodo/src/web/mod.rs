//! HTTP layer: state, middleware stack and server. Every route is listed in `routes.rs`.
//!
//! Request flow: metrics → security headers → context (tenant, session, language, CSRF token)
//! → error rendering → CSRF check → route guard (policy) → handler → template.

pub mod api;
pub mod atom;
pub mod cache;
pub mod cache_scope;
pub mod cache_sync;
pub mod csrf;
pub mod ctx;
pub mod demo_marks;
pub mod download;
pub mod extract;
pub mod format;
pub mod furigana;
pub mod metrics;
pub mod middleware;
pub mod notice;
pub mod pages;
pub mod plain_errors;
pub mod redirect;
pub mod route_table;
pub mod routes;
pub mod server;
pub mod shell;
pub mod snapshots;
pub mod uploads;
pub mod write_lane;

use crate::accounts::organizations::{self, Organization};
use crate::app::App;
use crate::error::AppError;
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::RwLock;

/// What every handler and middleware shares. Axum clones the state for each extractor and
/// layer of every request, so it is one reference count (`Arc`), not a dozen fields' counts and a
/// copy of the mailer's sender address each time.
#[derive(Clone)]
pub struct WebState(Arc<Shared>);

impl std::ops::Deref for WebState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub app: App,
    pub orgs: Arc<OrgCache>,
    pub metrics: Arc<metrics::Metrics>,
    pub cache: Arc<cache::PageCache>,
    pub imports: Arc<uploads::ImportGate>,
    pub snapshots: Arc<snapshots::Snapshots>,
    /// Tells the other instances on the same PostgreSQL what this one wrote.
    pub announcer: Arc<cache_sync::Announcer>,
    /// ふりがな for the visitors who turn it on.
    pub ruby: Arc<furigana::Ruby>,
}

impl Shared {
    /// Where a page's reads go: an anonymous visitor's GET to the read replica when one is
    /// configured and has replayed every write of the organization this instance knows of
    /// (`db::replica`); everything else — and any read in a request that writes — to the primary.
    pub fn reader(&self, ctx: &ctx::Ctx) -> &crate::db::Db {
        if ctx.is_read
            && ctx.principal.is_none()
            && let Some(pool) = self
                .app
                .replica
                .as_ref()
                .and_then(|r| r.reader_for(ctx.org.id))
        {
            return pool;
        }
        &self.app.db
    }
}

/// Organizations change rarely: kept in memory, reloaded every 30 s and when a Host is not found
/// (at most once a second, so unknown hosts cannot turn every request into a query). Another
/// process (`kyodo org add`, `kyodo org set-host`) changes them in the database: no restart needed.
#[derive(Default)]
pub struct OrgCache {
    list: RwLock<(Vec<Arc<Organization>>, Option<std::time::Instant>)>,
}

const ORG_REFRESH: Duration = Duration::from_secs(30);
const ORG_RELOAD_AT_MOST: Duration = Duration::from_secs(1);

impl OrgCache {
    /// The organization for a Host header: the one with that host name; else the configured
    /// default (`KYODO_ORGANIZATION`); else, when the installation has exactly one organization,
    /// that one. With several and no default, an unknown host is served nothing (`None`): it must
    /// not land in whichever organization happens to be first.
    pub async fn resolve(
        &self,
        app: &App,
        host: &str,
    ) -> Result<Option<Arc<Organization>>, AppError> {
        let host = host
            .rsplit_once(':')
            .map_or(host, |(h, _)| h)
            .to_ascii_lowercase();
        let (found, age) = {
            let list = self.list.read().await;
            (Self::by_host(&list.0, &host), list.1.map(|t| t.elapsed()))
        };
        let stale = age.is_none_or(|a| a >= ORG_REFRESH);
        let may_reload = age.is_none_or(|a| a >= ORG_RELOAD_AT_MOST);
        if let Some(o) = found.filter(|_| !stale) {
            return Ok(Some(o));
        }
        if stale || may_reload {
            let fresh = organizations::all(&app.db).await?;
            *self.list.write().await = (
                fresh.into_iter().map(Arc::new).collect(),
                Some(std::time::Instant::now()),
            );
        }
        let list = self.list.read().await;
        Ok(
            Self::by_host(&list.0, &host).or_else(|| match &app.config.default_organization {
                Some(code) => list.0.iter().find(|o| &o.lg_code == code).cloned(),
                None if list.0.len() == 1 => list.0.first().cloned(),
                None => None,
            }),
        )
    }

    /// No organization at all (as of the last reload).
    pub async fn is_empty(&self) -> bool {
        self.list.read().await.0.is_empty()
    }

    fn by_host(list: &[Arc<Organization>], host: &str) -> Option<Arc<Organization>> {
        list.iter()
            .find(|o| o.hostname.as_deref() == Some(host))
            .cloned()
    }
}

/// The whole application as a `Router` (tests drive it without a socket).
pub fn router(app: App) -> Router {
    // Uploads may be larger than other bodies: `csrf` applies each limit by content type.
    let limit = csrf::drain_limit(app.config.max_body_bytes);
    let cache = Arc::new(cache::PageCache::default());
    let announcer = cache_sync::Announcer::start(&app, &cache);
    let ruby = Arc::new(furigana::Ruby::new(&app.config));
    let st = WebState(Arc::new(Shared {
        app,
        announcer,
        ruby,
        orgs: Arc::new(OrgCache::default()),
        metrics: Arc::new(metrics::Metrics::default()),
        cache,
        imports: Arc::new(uploads::ImportGate::default()),
        snapshots: Arc::new(snapshots::Snapshots::default()),
    }));
    cache_sync::listen(&st.app, st.cache.clone());
    st.app.mailer.start_worker(st.app.db.clone());
    use axum::middleware::{from_fn, from_fn_with_state};
    routes::router()
        .fallback(pages::errors::not_found)
        .layer(from_fn_with_state(st.clone(), write_lane::writes_on_lane))
        .layer(from_fn_with_state(st.clone(), csrf::protect))
        .layer(from_fn_with_state(st.clone(), api::idempotency::idempotent))
        .layer(from_fn(middleware::render_errors))
        .layer(from_fn(demo_marks::mark))
        .layer(from_fn_with_state(st.clone(), api::cache::cached))
        .layer(from_fn(api::etag::etag))
        .layer(from_fn_with_state(st.clone(), ctx::context))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        // The fastest level, as for cached pages (web/cache.rs): a page is compressed per request.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .layer(from_fn(middleware::security_headers))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(from_fn_with_state(st.clone(), middleware::metrics))
        .layer(from_fn_with_state(st.clone(), cache::serve_hits))
        .with_state(st)
}

/// Serves until Ctrl-C or SIGTERM, then finishes in-flight requests.
pub async fn serve(app: App) -> anyhow::Result<()> {
    let addr = app.config.listen;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, url = %app.config.public_url, "kyodo listening");
    let closing = app.clone();
    tokio::spawn(crate::minutes::index::warm(app.clone()));
    tokio::spawn(crate::reservations::lifecycle::release_timer(app.clone()));
    tokio::spawn(crate::audit::seal_timer(app.clone()));
    let limits = server::Limits {
        header_timeout: Duration::from_secs(app.config.header_timeout_seconds),
        max_connections: app.config.max_connections,
    };
    server::run(listener, router(app), limits, shutdown_signal()).await;
    if let Err(e) = crate::audit::seal_all(&closing).await {
        tracing::warn!(error = %e, "audit entries left to be sealed by another instance");
    }
    closing.db.close().await;
    tracing::info!("kyodo stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[cfg(test)]
mod layering {
    /// Handlers never run SQL (docs/CONVENTIONS.md): every query lives in a domain folder, where it
    /// is scoped by organization and reused. Fails naming the file that does.
    #[test]
    fn web_handlers_run_no_sql() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && std::fs::read_to_string(&path)
                        .unwrap()
                        .contains(concat!("sqlx", "::"))
                {
                    found.push(path.display().to_string());
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web"),
            &mut found,
        );
        assert!(found.is_empty(), "SQL in web handlers: {found:?}");
    }
}
