//! A corpus of XSS payloads typed into every free-text field of the plans area (comments, report
//! texts, item titles and descriptions, change reasons, opinions and responses, code labels) must come
//! back as text: no script element, no event-handler attribute, no `javascript:` URL on any page
//! that shows them.

use crate::support::*;
use axum::http::StatusCode;

const PAYLOADS: [&str; 8] = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<svg onload=window.__xss=1>",
    "<a href=\"javascript:window.__xss=1\">x</a>",
    "\"><body onpageshow=window.__xss=1>",
    "'><iframe srcdoc='<script>parent.__xss=1</script>'>",
    "<style>@import 'javascript:alert(1)'</style>",
    "</textarea><script>window.__xss=1</script>",
];

/// The attributes of a tag's inside (`a href="x" class=y`), quotes respected: (name, value).
fn attributes(inside: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = inside.chars().peekable();
    // Skip the tag name.
    while chars.peek().is_some_and(|c| !c.is_whitespace()) {
        chars.next();
    }
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == '/') {
            chars.next();
        }
        let mut name = String::new();
        while let Some(c) = chars
            .peek()
            .copied()
            .filter(|c| !c.is_whitespace() && *c != '=')
        {
            name.push(c);
            chars.next();
        }
        if name.is_empty() {
            return out;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            match chars.peek().copied() {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some(c) = chars.peek().copied().filter(|c| !c.is_whitespace()) {
                        value.push(c);
                        chars.next();
                    }
                }
            }
        }
        out.push((name, value));
    }
}

/// Every tag in the page, checked for script elements, event handlers and javascript: URLs.
fn assert_inert(page: &str, where_: &str) {
    let mut lower = page.to_lowercase();
    // The page's own structured data, one JSON-LD block in <head>, is data, never run; the text
    // typed into the page reaches it escaped (no `<` inside), so it cannot end the block early.
    const OWN: &str = "<script type=\"application/ld+json\">";
    let head_end = lower.find("</head>").unwrap_or(0);
    if let Some(at) = lower.find(OWN).filter(|at| *at < head_end) {
        let json_end = at + OWN.len() + lower[at + OWN.len()..].find("</script>").unwrap();
        assert!(
            !lower[at + OWN.len()..json_end].contains('<'),
            "{where_}: a `<` inside the JSON-LD"
        );
        lower.replace_range(at..json_end + "</script>".len(), "");
    }
    assert_eq!(
        lower.matches("<body").count(),
        1,
        "{where_}: a second body element"
    );
    for tag in lower.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or("");
        let name = inside.split_whitespace().next().unwrap_or("");
        // Kyodo's pages have no scripts, frames, style elements or images (charts are inline SVG).
        assert!(
            !matches!(name, "script" | "iframe" | "style" | "img"),
            "{where_}: injected <{inside}>"
        );
        for (attr, value) in attributes(inside) {
            assert!(
                !attr.starts_with("on"),
                "{where_}: event handler in <{inside}>"
            );
            assert!(
                !value.trim_start().starts_with("javascript:"),
                "{where_}: javascript: URL in <{inside}>"
            );
        }
    }
}

/// A write that took: its page (200) or its redirect (303) — a refusal (4xx) would leave nothing
/// for the pages below to show, and they would be trivially inert.
fn stored(res: Res) {
    assert!(
        res.status == StatusCode::OK || res.status == StatusCode::SEE_OTHER,
        "write refused ({}): {}",
        res.status,
        res.body
    );
}

#[tokio::test]
async fn hostile_text_in_every_plan_field_stays_text() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (plan, node): (i64, i64) = sqlx::query_as("SELECT plan_id, id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = 'S-1.3.1'").bind(org).fetch_one(&t.app.db).await.unwrap();
        let (period,): (i64,) = sqlx::query_as("SELECT id FROM reporting_periods WHERE plan_id = $1 AND fiscal_year = 2010").bind(plan).fetch_one(&t.app.db).await.unwrap();
        let (fy2009,): (i64,) = sqlx::query_as("SELECT id FROM reporting_periods WHERE plan_id = $1 AND fiscal_year = 2009").bind(plan).fetch_one(&t.app.db).await.unwrap();
        let all = PAYLOADS.join(" ");
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        let mut member = t.signed_in("committee@demo.kyodo.jp").await;
        stored(hq.post("/hq/settings/comments", &[("mode", "after")]).await);
        for p in PAYLOADS {
            assert_eq!(citizen.post(&format!("/plans/items/{node}/comments"), &[("body", p)]).await.status, StatusCode::SEE_OTHER);
        }
        let period_s = period.to_string();
        let report = [("period", period_s.as_str()), ("progress", "in_progress"), ("rating", "A"), ("did", &all), ("evaluation", &all), ("next_steps", &all)];
        assert_eq!(staff.post(&format!("/plans/items/{node}/report/submit"), &report).await.status, StatusCode::SEE_OTHER);
        let review = format!("/plans/items/{node}/report/review");
        manager_confirms(&t, node, &period_s).await;
        stored(hq.post(&format!("{review}/approve"), &[("period", &period_s),]).await);
        assert_eq!(hq.post(&format!("{review}/publish"), &[("period", &period_s),]).await.status, StatusCode::SEE_OTHER);
        stored(staff.post(&format!("/plans/items/{node}/change"), &[("kind", "change"), ("reason", &all), ("new_title", PAYLOADS[1])]).await);
        stored(member.post(&format!("/plans/items/{node}/opinions"), &[("period", &fy2009.to_string()), ("opinion", &all)]).await);
        let (opinion,): (i64,) = sqlx::query_as("SELECT id FROM follow_up_opinions WHERE subject_id = $1 AND opinion LIKE '%onerror%'").bind(node).fetch_one(&t.app.db).await.unwrap();
        stored(hq.post(&format!("/hq/opinions/{opinion}"), &[("response", &all), ("plan", &plan.to_string())]).await);
        stored(hq.post("/hq/codes", &[("list", "rating"), ("code", "A"), ("label", PAYLOADS[1]), ("sort_order", "1")]).await);
        let (vp,): (i64,) = sqlx::query_as("SELECT parent_id FROM plan_nodes WHERE id = $1").bind(node).fetch_one(&t.app.db).await.unwrap();
        stored(hq.post(&format!("/hq/nodes/{vp}"), &[("number", PAYLOADS[2]), ("title", PAYLOADS[0]), ("body", &all)]).await);
        // Before the change request is decided the HQ sees it on the dashboard; then it is approved.
        let dash = hq.get(&format!("/hq/plans/{plan}")).await;
        assert!(dash.body.contains("onerror"), "the payload is shown, as text");
        assert_inert(&dash.body, "dashboard");
        let (req,): (i64,) = sqlx::query_as("SELECT id FROM change_requests WHERE node_id = $1").bind(node).fetch_one(&t.app.db).await.unwrap();
        stored(hq.post(&format!("/hq/changes/{req}/approve"), &[]).await);

        let mut public = t.client();
        for path in [
            format!("/plans/{plan}"),
            format!("/plans/items/{node}"),
            format!("/plans/{plan}/annual-report?year=2010"),
            "/plans".to_string(),
        ] {
            let page = public.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_inert(&page.body, &path);
        }
        for (path, staff_page) in [
            ("/hq/comments".to_string(), false),
            (format!("/plans/items/{node}/report?period={period}"), true),
            (format!("/plans/items/{node}/change"), true),
            (format!("/hq/nodes/{vp}"), false),
            ("/hq/codes".to_string(), false),
        ] {
            let page = if staff_page { staff.get(&path).await } else { hq.get(&path).await };
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_inert(&page.body, &path);
        }
        let item = public.get(&format!("/plans/items/{node}")).await;
        assert!(item.body.contains("window.__xss=1"), "the text itself is kept, escaped");
        t
    })
    .await;
}

#[test]
fn the_checker_catches_every_raw_payload() {
    for p in PAYLOADS {
        let page = format!("<html><body class=\"x\"><main><p>{p}</p></main></body></html>");
        assert!(
            std::panic::catch_unwind(|| assert_inert(&page, "probe")).is_err(),
            "missed {p}"
        );
    }
    assert_inert(
        "<html><body><p title=\"onload=x javascript:y\">&lt;script&gt;</p><svg role=\"img\"></svg></body></html>",
        "escaped",
    );
}
