//! Form bodies read by the CSRF check before any handler: any body and content type either yields
//! the field or nothing — never a panic.
#![no_main]
use kyodo_decode::form::{multipart_value, urlencoded_value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first line plays the Content-Type header, the rest the body.
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let content_type = String::from_utf8_lossy(&data[..split]);
    let body = data.get(split + 1..).unwrap_or_default();
    let _ = urlencoded_value(body, "csrf");
    let _ = multipart_value(body, &content_type, "csrf");
});
