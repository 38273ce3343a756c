//! ふりがな on the pages of a visitor who turned it on (the header switch, a cookie): the page is
//! rendered as for everyone, then ruby is added to the text of its body on the way out
//! (`kyodo_furigana`). Off by default: screen readers read both the word and its reading.
//!
//! The dictionary is loaded on first use only (tens of MiB; built once from the IPADIC sources
//! into the data directory, seconds the first time, a fraction of a second after). Pages with
//! ruby are never kept in the page cache.

use axum::body::Body;
use axum::http::header;
use axum::response::Response;
use kyodo_furigana::Furigana;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// The largest page given ruby (larger ones are sent as they are).
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

pub struct Ruby {
    sources: PathBuf,
    cache: PathBuf,
    available: bool,
    loaded: OnceCell<Option<Arc<Furigana>>>,
}

impl Ruby {
    pub fn new(config: &crate::config::Config) -> Self {
        let sources = config.furigana_dictionary.clone();
        Self {
            available: sources.join("matrix.def").is_file(),
            cache: config.data_dir.join("furigana-ipadic.dic"),
            sources,
            loaded: OnceCell::new(),
        }
    }

    /// Whether the dictionary's sources are installed (the switch is offered only then).
    pub fn available(&self) -> bool {
        self.available
    }

    async fn furigana(&self) -> Option<Arc<Furigana>> {
        self.loaded
            .get_or_init(|| async {
                let (sources, cache) = (self.sources.clone(), self.cache.clone());
                let started = std::time::Instant::now();
                match tokio::task::spawn_blocking(move || Furigana::load(&sources, &cache)).await {
                    Ok(Ok(f)) => {
                        tracing::info!(
                            ms = started.elapsed().as_millis() as u64,
                            "ふりがな dictionary loaded"
                        );
                        Some(Arc::new(f))
                    }
                    Ok(Err(e)) => {
                        tracing::error!(error = %e, "ふりがな dictionary could not be loaded");
                        None
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "ふりがな dictionary loading failed");
                        None
                    }
                }
            })
            .await
            .clone()
    }

    /// The response with ruby in its HTML (anything else, or a page too large, as it was).
    pub async fn annotate(&self, res: Response) -> Response {
        let html = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if !html || res.headers().contains_key(header::CONTENT_ENCODING) {
            return res;
        }
        let Some(f) = self.furigana().await else {
            return res;
        };
        let (mut parts, body) = res.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
            // Too large to annotate, and the body is spent: say so rather than send half.
            return crate::web::plain_errors::plain(crate::error::AppError::Internal(
                anyhow::anyhow!("page too large for ふりがな"),
            ));
        };
        // Segmenting a page takes a few milliseconds of CPU: off the async workers.
        let done = tokio::task::spawn_blocking(move || {
            let out = std::str::from_utf8(&bytes).ok().map(|p| f.annotate_html(p));
            (bytes, out)
        })
        .await;
        let out = match done {
            Ok((_, Some(out))) => out,
            Ok((bytes, None)) => return Response::from_parts(parts, Body::from(bytes)),
            Err(_) => {
                return crate::web::plain_errors::plain_status(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                );
            }
        };
        parts.headers.remove(header::CONTENT_LENGTH);
        Response::from_parts(parts, Body::from(out))
    }
}
