//! Where a redirect may go: the `back=` of the display switches and the `next=` of sign-in.

/// Only same-site paths may be redirect targets (no open redirect): one `/` followed by neither `/`
/// nor `\\`, with no control or whitespace character anywhere — browsers drop a TAB or newline
/// from `/\t/evil.example`, which leaves `//evil.example`, another site.
pub fn is_local_path(p: &str) -> bool {
    let mut chars = p.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !p.chars().any(|c| c.is_control() || c.is_whitespace())
        && p.len() < 2000
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_same_site_paths_are_redirect_targets() {
        for good in ["/", "/plans", "/plans/items/3?tab=a&b=%20c"] {
            assert!(super::is_local_path(good), "{good}");
        }
        for bad in [
            "",
            "plans",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example/x",
            "/\n/x",
            "/ /evil.example",
            "/\u{3000}x",
            "/a\u{7f}",
            "https://evil.example",
            "\t/x",
        ] {
            assert!(!super::is_local_path(bad), "{bad:?}");
        }
    }
}
