//! SQLite writes on a lane of their own: requests that change data run on a one-thread runtime
//! beside the main one. SQLite takes one writer at a time (`db::write`), and a writer's turn is a
//! handful of hand-offs to its connection's thread; on the main runtime each answer waited for a
//! worker busy rendering someone's page, which stretched every turn and queued every writer
//! behind it (docs/PERFORMANCE.md: a turn 0.9 → 0.7 ms, the wait for one 26 → 9 ms). On the lane
//! the turn's holder is polled as soon as SQLite answers. Heavy work inside a write (decoding an
//! upload, a PDF) already runs on blocking threads, so it does not hold the lane.
//!
//! PostgreSQL writers do not queue, so there every request stays on the main runtime.

use super::WebState;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;
use tokio::runtime::{Builder, Handle, Runtime};
use tokio::task::JoinHandle;
use tracing::Instrument;

/// The lane's runtime, started on first use and kept for the life of the process; `None` when
/// it could not start (writes then run on the main runtime, as before).
fn lane() -> Option<Handle> {
    static LANE: OnceLock<Option<Runtime>> = OnceLock::new();
    LANE.get_or_init(|| {
        Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("kyodo-writes")
            .enable_all()
            .build()
            .inspect_err(
                |e| tracing::warn!(error = %e, "no write lane: writes share the main runtime"),
            )
            .ok()
    })
    .as_ref()
    .map(|rt| rt.handle().clone())
}

/// Runs a state-changing request on the write lane when this process's writes queue (SQLite).
pub async fn writes_on_lane(State(st): State<WebState>, req: Request, next: Next) -> Response {
    let reads = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let lane = if reads || !st.app.writes.is_queued() {
        None
    } else {
        lane()
    };
    let Some(lane) = lane else {
        return next.run(req).await;
    };
    let task = AbortOnDrop(lane.spawn(next.run(req).in_current_span()));
    match task.finish().await {
        Ok(res) => res,
        Err(e) => {
            // A handler that panicked: a plain 500 rather than a dropped connection.
            tracing::error!(error = %e, "a request on the write lane did not finish");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The lane's task, aborted when the request is dropped (a client gone, a timeout) as the
/// request's own future would have been.
struct AbortOnDrop(JoinHandle<Response>);

impl AbortOnDrop {
    async fn finish(mut self) -> Result<Response, tokio::task::JoinError> {
        (&mut self.0).await
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
