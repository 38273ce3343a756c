//! Static assets compiled into the binary (no CDN at run time).

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../../../assets/kyodo.css");
const ICON_SVG: &str = include_str!("../../../assets/icon.svg");
const FAVICON: &[u8] = include_bytes!("../../../assets/favicon.ico");
const ICON_PNG: &[u8] = include_bytes!("../../../assets/icon-192.png");

/// An asset with its type, kept by browsers for an hour.
fn asset(content_type: &'static str, body: impl IntoResponse) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}

pub async fn css() -> impl IntoResponse {
    asset("text/css; charset=utf-8", CSS)
}

/// The site icon: browsers ask for `/favicon.ico` whatever the page says, and a 404 there is a
/// console error on every first visit.
pub async fn favicon() -> impl IntoResponse {
    asset("image/x-icon", FAVICON)
}

pub async fn icon_svg() -> impl IntoResponse {
    asset("image/svg+xml", ICON_SVG)
}

/// The icon for home screens and shared links (192 px).
pub async fn icon_png() -> impl IntoResponse {
    asset("image/png", ICON_PNG)
}

#[cfg(test)]
mod tests {
    /// Every design-token custom property declared in kyodo.css (`--color-…`, `--font-size-…`,
    /// `--line-height-…`, `--border-radius-…`) has the value the Digital Agency package gives it.
    #[test]
    fn stylesheet_tokens_match_the_digital_agency_package() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/browser/node_modules/@digital-go-jp/design-tokens/dist/tokens.css"
        );
        let Ok(package) = std::fs::read_to_string(path) else {
            assert!(
                std::env::var("KYODO_TEST_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "design tokens not installed at {path} (run scripts/test.sh)"
            );
            eprintln!("design-token check skipped: npm package not installed");
            return;
        };
        let decls = |css: &str| -> Vec<(String, String)> {
            css.lines()
                .filter_map(|l| l.trim().strip_prefix("--"))
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| {
                    (
                        k.trim().to_string(),
                        v.trim().trim_end_matches(';').trim().to_lowercase(),
                    )
                })
                .collect()
        };
        let official = decls(&package);
        let ours: Vec<_> = decls(super::CSS)
            .into_iter()
            .filter(|(k, _)| {
                [
                    "color-primitive-",
                    "color-neutral-",
                    "font-size-",
                    "line-height-",
                    "border-radius-",
                ]
                .iter()
                .any(|p| k.starts_with(p))
            })
            .collect();
        assert!(
            ours.len() >= 15,
            "expected the token block at the top of kyodo.css"
        );
        for (k, v) in ours {
            let theirs = official
                .iter()
                .find(|(ok, _)| *ok == k)
                .map(|(_, ov)| ov.as_str());
            assert_eq!(
                theirs,
                Some(v.as_str()),
                "--{k} differs from the design system"
            );
        }
    }
}
