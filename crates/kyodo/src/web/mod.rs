//! HTTP layer: state, middleware stack and server. Every route is listed in `routes.rs`.
//!
//! Request flow: metrics → security headers → context (tenant, session, language, CSRF token)
//! → error rendering → CSRF check → route guard (policy) → handler → template.

pub mod api;
pub mod cache;
pub mod csrf;
pub mod ctx;
pub mod extract;
pub mod metrics;
pub mod middleware;
pub mod pages;
pub mod routes;
pub mod server;
pub mod shell;
pub mod uploads;

use crate::accounts::organizations::{self, Organization};
use crate::app::App;
use crate::error::AppError;
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::RwLock;

#[derive(Clone)]
pub struct WebState {
    pub app: App,
    pub orgs: Arc<OrgCache>,
    pub metrics: Arc<metrics::Metrics>,
    pub limiter: Arc<pages::auth::LoginLimiter>,
    pub cache: Arc<cache::PageCache>,
    pub imports: Arc<uploads::ImportGate>,
}

/// Organizations change rarely: keep them in memory, reload when a host is not found.
#[derive(Default)]
pub struct OrgCache {
    list: RwLock<Vec<Arc<Organization>>>,
}

impl OrgCache {
    /// The organization for a Host header: a configured hostname, else the default organization.
    pub async fn resolve(
        &self,
        app: &App,
        host: &str,
    ) -> Result<Option<Arc<Organization>>, AppError> {
        let host = host
            .rsplit_once(':')
            .map_or(host, |(h, _)| h)
            .to_ascii_lowercase();
        if let Some(o) = self.pick(app, &host).await {
            return Ok(Some(o));
        }
        let fresh = organizations::all(&app.db).await?;
        *self.list.write().await = fresh.into_iter().map(Arc::new).collect();
        Ok(self.pick(app, &host).await)
    }

    async fn pick(&self, app: &App, host: &str) -> Option<Arc<Organization>> {
        let list = self.list.read().await;
        list.iter()
            .find(|o| o.hostname.as_deref() == Some(host))
            .or_else(|| match &app.config.default_organization {
                Some(code) => list.iter().find(|o| &o.lg_code == code),
                None => list.first(),
            })
            .cloned()
    }
}

/// The whole application as a `Router` (tests drive it without a socket).
pub fn router(app: App) -> Router {
    let limit = app.config.max_body_bytes;
    let logins = app.config.login_per_minute;
    let st = WebState {
        app,
        orgs: Arc::new(OrgCache::default()),
        metrics: Arc::new(metrics::Metrics::default()),
        limiter: Arc::new(pages::auth::LoginLimiter::new(logins)),
        cache: Arc::new(cache::PageCache::default()),
        imports: Arc::new(uploads::ImportGate::default()),
    };
    use axum::middleware::{from_fn, from_fn_with_state};
    routes::router()
        .fallback(pages::errors::not_found)
        .layer(from_fn_with_state(st.clone(), csrf::protect))
        .layer(from_fn(middleware::render_errors))
        .layer(from_fn_with_state(st.clone(), ctx::context))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .layer(tower_http::compression::CompressionLayer::new())
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
    let db = app.db.clone();
    let limits = server::Limits {
        header_timeout: Duration::from_secs(app.config.header_timeout_seconds),
        max_connections: app.config.max_connections,
    };
    server::run(listener, router(app), limits, shutdown_signal()).await;
    db.close().await;
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
