//! Every file downloaded from a demo organization says so: its name starts with `demo-`, and a
//! CSV's first row is [`DEMO_ROW`]. Done once here for every download route (present and future),
//! so no export can forget it. Workbooks also open on a first sheet saying so, added where each
//! workbook is built (`plans::exchange::export::add_demo_sheet`).

use super::ctx::Ctx;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;

pub use kyodo_decode::sheet::DEMO_ROW;

pub async fn mark(req: Request, next: Next) -> Response {
    let demo = req.extensions().get::<Ctx>().is_some_and(|c| c.org.is_demo);
    let mut res = next.run(req).await;
    // Files people uploaded go out as they came in (`download::uploaded` marks them).
    if !demo
        || res
            .extensions()
            .get::<super::download::AsUploaded>()
            .is_some()
    {
        return res;
    }
    let Some(disposition) = res
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .filter(|d| d.starts_with("attachment"))
        .map(str::to_string)
    else {
        return res;
    };
    let renamed = disposition
        .replace("filename=\"", "filename=\"demo-")
        .replace("filename*=UTF-8''", "filename*=UTF-8''demo-");
    if let Ok(v) = HeaderValue::from_str(&renamed) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    let is_csv = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/csv"));
    if is_csv {
        res.headers_mut().remove(header::CONTENT_LENGTH);
        let (parts, body) = res.into_parts();
        // The marker row goes first, after the BOM; the body's own BOM is dropped.
        let mut first = true;
        let rest = body.into_data_stream().map(move |chunk| {
            chunk.map(|b| {
                if std::mem::take(&mut first) && b.starts_with(&crate::csv_writer::BOM) {
                    b.slice(3..)
                } else {
                    b
                }
            })
        });
        let mut head = crate::csv_writer::BOM.to_vec();
        head.extend(crate::csv_writer::line(&[DEMO_ROW]));
        let stream = futures_util::stream::once(async move { Ok(Bytes::from(head)) }).chain(rest);
        return Response::from_parts(parts, Body::from_stream(stream));
    }
    res
}
