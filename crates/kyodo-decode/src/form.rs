//! Single fields of form bodies, read before the handler runs (the CSRF check needs its token).

/// A field of an `application/x-www-form-urlencoded` body.
pub fn urlencoded_value(body: &[u8], key: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// A text field of a `multipart/form-data` body (file uploads put the token in a field too).
pub fn multipart_value(body: &[u8], content_type: &str, key: &str) -> Option<String> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    let wanted = format!("name=\"{key}\"");
    text.split(delimiter.as_str()).find_map(|part| {
        let (head, value) = part.split_once("\r\n\r\n")?;
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
        let is_field = disposition.split(';').any(|p| p.trim() == wanted)
            && !disposition.contains("filename=");
        is_field.then(|| {
            value
                .trim_end_matches("\r\n")
                .trim_end_matches("--")
                .to_string()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_found_in_a_multipart_body() {
        let ct = "multipart/form-data; boundary=XyZ";
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"csrf\"\r\n\r\nname=\"csrf\"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nTOKEN123\r\n--XyZ--\r\n";
        assert_eq!(
            multipart_value(body.as_bytes(), ct, "csrf").as_deref(),
            Some("TOKEN123")
        );
        assert_eq!(multipart_value(body.as_bytes(), ct, "other"), None);
        assert_eq!(multipart_value(b"garbage", ct, "csrf"), None);
        assert_eq!(
            multipart_value(body.as_bytes(), "multipart/form-data", "csrf"),
            None
        );
    }
}
