//! Files to save, for every area's download routes: the response with its type and a file name in
//! any script, streamed bodies, and the workbook content type.

use crate::error::AppResult;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A file to save: its type and name (shared by every download page).
pub fn download(
    body: impl Into<axum::body::Body>,
    content_type: &str,
    filename: String,
) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                attachment_disposition(&filename),
            ),
        ],
        body.into(),
    )
        .into_response()
}

/// Marks a response as a file served as someone uploaded it (a report attachment, a document, a
/// case's file): the demo marks leave it as it came in, so a CSV someone attached keeps its own
/// first row.
#[derive(Debug, Clone, Copy)]
pub struct AsUploaded;

/// A file someone uploaded, served back as it came in (every uploaded-file route uses this).
pub fn uploaded(
    body: impl Into<axum::body::Body>,
    content_type: &str,
    filename: String,
) -> Response {
    let mut res = download(body, content_type, filename);
    res.extensions_mut().insert(AsUploaded);
    res
}

/// `Content-Disposition` for a file name in any script (RFC 6266 with RFC 5987's `filename*`):
/// browsers take `filename*` — UTF-8, percent-encoded, a space as `%20` (the form encoding's `+`
/// would stay a `+` in the saved name) — and older clients the ASCII fallback.
pub fn attachment_disposition(filename: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let fallback: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%' | ';') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(filename, KEEP);
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A body streamed from `stream`. Fused: the compression layer polls a body once more after its
/// end, and an `unfold` stream panics when polled after it returned `None` (a gzip download used
/// to end early with the connection dropped).
pub fn streamed<S>(stream: S) -> axum::body::Body
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send + 'static,
{
    use futures_util::StreamExt;
    axum::body::Body::from_stream(stream.fuse())
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A CSV download through the one CSV writer (BOM, formula cells neutralised).
pub fn csv_body<H: AsRef<str>>(
    header_row: &[H],
    rows: Vec<Vec<String>>,
    filename: String,
) -> AppResult<Response> {
    let mut w = crate::csv_writer::Writer::with_bom();
    w.record(header_row);
    for r in &rows {
        w.record(r);
    }
    let body = w.into_bytes();
    Ok(download(body, "text/csv; charset=utf-8", filename))
}
