//! How search engines find an organization's public pages: `robots.txt` and `sitemap.xml`, each
//! per organization (its own host and base URL).

use crate::error::AppResult;
use crate::policy::Access;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::routes::ROUTES;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// Paths crawlers are asked to leave alone: staff work, accounts and forms that change things.
const PRIVATE: [&str; 14] = [
    "/staff",
    "/hq",
    "/admin",
    "/committee",
    "/account",
    "/login",
    "/register",
    "/verify",
    "/password",
    "/prefs",
    "/metrics",
    "/healthz",
    "/consultations/subscribe",
    "/consultations/subscription",
];

pub async fn robots(ctx: Ctx) -> Response {
    let mut body = String::from("User-agent: *\n");
    for p in PRIVATE {
        let _ = writeln!(body, "Disallow: {p}");
    }
    let _ = writeln!(body, "\nSitemap: {}/sitemap.xml", ctx.base_url);
    text("text/plain; charset=utf-8", body)
}

/// The public pages of the route table that take no parameter and answer with HTML: every area's
/// front page, present and future, without a list to keep up by hand.
pub fn listed_paths() -> impl Iterator<Item = &'static str> {
    ROUTES
        .iter()
        .filter(|r| r.method == "get" && r.access == Access::Public)
        .map(|r| r.path)
        .filter(|p| !p.contains('{') && !p.starts_with("/api/") && !p.starts_with("/assets/"))
        .filter(|p| !p.rsplit('/').next().unwrap_or_default().contains('.'))
        .filter(|p| !PRIVATE.iter().any(|x| p.starts_with(x)))
}

/// `sitemap.xml`: the area pages, then each published plan and its items.
pub async fn sitemap(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let db = st.reader(&ctx);
    let org = ctx.org_id();
    let (plans, items) = tokio::try_join!(
        crate::plans::store::plans(db, org),
        crate::plans::store::published_item_ids(db, org),
    )?;
    let mut urls: Vec<String> = listed_paths().map(str::to_string).collect();
    urls.extend(
        plans
            .iter()
            .filter(|p| crate::policy::can_see_plan(None, &p.status))
            .map(|p| format!("/plans/{}", p.id)),
    );
    urls.extend(items.iter().map(|id| format!("/plans/items/{id}")));
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        // Paths from the route table and numbers: nothing to escape in XML.
        let _ = writeln!(body, "<url><loc>{}{u}</loc></url>", ctx.base_url);
    }
    body.push_str("</urlset>\n");
    Ok(text("application/xml; charset=utf-8", body))
}

fn text(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sitemap_lists_area_pages_and_nothing_private() {
        let paths: Vec<&str> = super::listed_paths().collect();
        for p in [
            "/",
            "/plans",
            "/evaluation",
            "/surveys",
            "/minutes",
            "/cases",
            "/finance",
        ] {
            assert!(paths.contains(&p), "{p} missing from {paths:?}");
        }
        for p in &paths {
            assert!(
                !p.starts_with("/staff") && !p.starts_with("/hq") && !p.contains('.'),
                "{p}"
            );
            assert!(!p.starts_with("/login") && !p.starts_with("/api"), "{p}");
        }
    }
}
