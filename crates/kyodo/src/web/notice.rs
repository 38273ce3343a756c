//! Post/Redirect/Get with a one-time notice. A successful POST answers `303 See Other` and leaves
//! the catalogue key of what was done in a short-lived cookie; the next page shows it at the top of
//! `main` and clears the cookie. Reloading that page repeats nothing, the notice included.
//!
//! Only catalogue keys are carried, never text, so a planted cookie can at most show one of the
//! site's own messages (and over https the `__Host-` prefix keeps sibling sites from planting it).

use super::WebState;
use super::ctx::set_cookie;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// How long a notice waits for the page it belongs to.
const NOTICE_SECONDS: i64 = 60;

/// The cookie's name (see `ctx::session_cookie` for the prefix).
pub fn notice_cookie(secure: bool) -> &'static str {
    if secure {
        "__Host-kyodo_notice"
    } else {
        "kyodo_notice"
    }
}

/// A notice as it came back in the cookie: a catalogue key, and the number its message counts
/// (`eval.imported~300`), if any.
pub fn accepted(raw: &str) -> Option<(String, Option<u64>)> {
    let (key, count) = match raw.split_once('~') {
        Some((key, n)) => (key, Some(n.parse::<u64>().ok()?)),
        None => (raw, None),
    };
    let plausible = key.len() <= 64
        && key.contains('.')
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
    (plausible && crate::i18n::has_key(key)).then(|| (key.to_string(), count))
}

/// The notice's text in the visitor's language.
pub fn text(t: crate::i18n::Tr, notice: &(String, Option<u64>)) -> String {
    match notice {
        (key, Some(n)) => t.f(key, &[n]),
        (key, None) => t.t(key).to_string(),
    }
}

/// `303 See Other` to a local path, with the notice `key` for the page there.
pub fn see_other(st: &WebState, to: &str, key: &'static str) -> Response {
    redirect(st, to, key)
}

/// As [`see_other`], for a message that says how many (`{0}` in the catalogue).
pub fn see_other_counted(st: &WebState, to: &str, key: &'static str, n: usize) -> Response {
    redirect(st, to, &format!("{key}~{n}"))
}

fn redirect(st: &WebState, to: &str, key: &str) -> Response {
    let secure = st.app.config.secure_cookies();
    let location = HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/"));
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(notice_cookie(secure), key, NOTICE_SECONDS, secure, true),
    );
    res
}

/// The `Set-Cookie` that removes a notice once a page has shown it.
pub fn cleared(secure: bool) -> HeaderValue {
    set_cookie(notice_cookie(secure), "", 0, secure, true)
}

#[cfg(test)]
mod tests {
    use super::accepted;

    #[test]
    fn only_catalogue_keys_are_accepted() {
        assert_eq!(accepted("admin.saved"), Some(("admin.saved".into(), None)));
        assert_eq!(
            accepted("eval.imported~300"),
            Some(("eval.imported".into(), Some(300)))
        );
        for bad in [
            "",
            "admin",
            "no.such_key",
            "<b>hi</b>",
            "admin.saved;x",
            "ADMIN.SAVED",
            "eval.imported~x",
            "eval.imported~-1",
        ] {
            assert_eq!(accepted(bad), None, "{bad}");
        }
    }
}
