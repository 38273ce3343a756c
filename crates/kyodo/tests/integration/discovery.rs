//! What search engines and shared links see: robots.txt, the sitemap, the icons and each page's
//! description, canonical link and Open Graph tags — per organization.

use crate::support::each_backend;
use axum::http::StatusCode;

#[tokio::test]
async fn crawlers_find_the_public_pages_and_shared_links_show_a_title_and_summary() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let robots = c.get("/robots.txt").await;
        assert_eq!(robots.status, StatusCode::OK);
        assert!(robots.body.contains("Disallow: /staff"), "{}", robots.body);
        let sitemap_line = robots
            .body
            .lines()
            .find(|l| l.starts_with("Sitemap: "))
            .unwrap();
        assert!(
            sitemap_line.ends_with("/sitemap.xml") && sitemap_line.contains("://"),
            "{sitemap_line}"
        );

        let map = c.get("/sitemap.xml").await;
        assert_eq!(map.status, StatusCode::OK);
        assert!(
            map.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/xml")
        );
        let locs: Vec<&str> = map
            .body
            .split("<loc>")
            .skip(1)
            .map(|s| s.split("</loc>").next().unwrap())
            .collect();
        let paths: Vec<String> = locs
            .iter()
            .map(|l| {
                l.splitn(4, '/')
                    .nth(3)
                    .map_or("/".into(), |p| format!("/{p}"))
            })
            .collect();
        for p in ["/", "/plans", "/evaluation", "/cases/voices", "/finance"] {
            assert!(paths.iter().any(|x| x == p), "{p} not in the sitemap");
        }
        assert!(
            paths.iter().any(|p| p.starts_with("/plans/items/")),
            "the plan's items are listed"
        );
        assert!(
            !paths
                .iter()
                .any(|p| p.starts_with("/staff") || p.starts_with("/hq") || p.contains('{'))
        );
        // Every listed page answers a visitor.
        for p in paths.iter().take(40) {
            assert_eq!(c.get(p).await.status, StatusCode::OK, "{p}");
        }

        let icon = c.get("/favicon.ico").await;
        assert_eq!(icon.status, StatusCode::OK);
        assert_eq!(&icon.bytes[..4], &[0, 0, 1, 0], "an ICO file");
        assert_eq!(
            c.get("/assets/icon-192.png").await.bytes[..4],
            [0x89, b'P', b'N', b'G']
        );

        let home = c.get("/").await.body;
        // The value of the tag holding `attr`: its content (meta) or href (link).
        let meta = |page: &str, attr: &str| -> String {
            let start = page.find(attr).unwrap_or_else(|| panic!("{attr} missing"));
            let tag_start = page[..start].rfind('<').unwrap();
            let tag = &page[tag_start..start + page[start..].find('>').unwrap()];
            let v = tag
                .split("content=\"")
                .nth(1)
                .or_else(|| tag.split("href=\"").nth(1))
                .unwrap();
            v.split('"').next().unwrap().to_string()
        };
        assert!(
            meta(&home, "name=\"description\"").contains("市民"),
            "a description"
        );
        assert!(meta(&home, "property=\"og:title\"").contains("ホーム"));
        assert!(meta(&home, "rel=\"canonical\"").ends_with("/"));
        // Structured data: the organization publishes the page; JSON that a `<script>` cannot end.
        let ld = home
            .split("<script type=\"application/ld+json\">")
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .expect("JSON-LD on the home page");
        let ld: serde_json::Value = serde_json::from_str(ld).expect("valid JSON-LD");
        assert_eq!(ld["@graph"][0]["@type"], "GovernmentOrganization");
        assert_eq!(ld["@graph"][1]["@type"], "WebPage");
        assert_eq!(ld["@graph"][1]["publisher"]["@id"], ld["@graph"][0]["@id"]);
        assert!(ld["@graph"][0]["name"].as_str().unwrap().contains("市"));
        // A plan item's own text is its description, and its address is its canonical link.
        let item = paths
            .iter()
            .find(|p| p.starts_with("/plans/items/"))
            .unwrap();
        let page = c.get(&format!("{item}?year=2008")).await.body;
        assert!(
            meta(&page, "rel=\"canonical\"").ends_with(item.as_str()),
            "no query in the canonical link"
        );
        assert!(
            !meta(&page, "name=\"description\"").contains("市の計画の進み具合"),
            "the item's own summary"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_home_page_leads_to_what_is_open_what_is_new_and_the_figures() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let home = c.get("/").await.body;
        let section = |id: &str| -> String {
            let start = home
                .find(&format!("id=\"{id}\""))
                .unwrap_or_else(|| panic!("{id}"));
            home[start..]
                .split("</section>")
                .next()
                .unwrap()
                .to_string()
        };
        // The demo's open consultation, with its closing date in 和暦, links to its page.
        let open = section("open-title");
        assert!(
            open.contains("href=\"/consultations/") && open.contains("締切: 令和"),
            "{open}"
        );
        let figures = section("figures-title");
        for href in [
            "href=\"/plans/",
            "href=\"/consultations\"",
            "href=\"/cases/voices\"",
        ] {
            assert!(figures.contains(href), "{href} in {figures}");
        }
        assert!(
            figures.contains("千円"),
            "the fiscal effect in 千円: {figures}"
        );
        let news = section("news-title");
        assert!(
            news.contains("結果公表") && news.contains("/feed.atom"),
            "{news}"
        );

        let feed = c.get("/feed.atom").await;
        assert_eq!(feed.status, StatusCode::OK);
        assert!(
            feed.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/atom+xml")
        );
        let entries = feed.body.matches("<entry>").count();
        assert!(entries >= 2, "{}", feed.body);
        assert!(feed.body.contains("<link href=\"http"), "absolute links");
        assert!(!feed.body.contains("<link href=\"/"), "no relative links");
        // The demo's meetings are news too, each linking to its minutes.
        assert!(
            feed.body.contains("/minutes/meetings/") && feed.body.contains("会議録: "),
            "{}",
            feed.body
        );
        // Published progress reports and answers to 市民の声 are news too.
        assert!(
            feed.body.contains("進捗報告: ") && feed.body.contains("/plans/items/"),
            "{}",
            feed.body
        );
        assert!(
            feed.body.contains("市民の声への回答: ") && feed.body.contains("/cases/voices"),
            "{}",
            feed.body
        );
        // A meeting's page says, as structured data, that it is about an event on its date.
        let at = feed.body.find("/minutes/meetings/").unwrap();
        let meeting: String = feed.body[at..]
            .chars()
            .take_while(|c| *c != '"' && *c != '<')
            .collect();
        let page = c.get(&meeting).await.body;
        let ld = page
            .split("<script type=\"application/ld+json\">")
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .unwrap();
        let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
        let event = &ld["@graph"][2];
        assert_eq!(event["@type"], "Event", "{ld}");
        let start = event["startDate"].as_str().unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").is_ok(),
            "{start}"
        );

        // A public council meeting is an Event too, starting at its time in JST.
        let (meeting, starts_at): (i64, String) = sqlx::query_as(
            "SELECT id, starts_at FROM cn_meetings \
             WHERE organization_id = $1 AND is_public = 1 AND starts_at <> '' LIMIT 1",
        )
        .bind(t.demo_org().await)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let page = c.get(&format!("/councils/meetings/{meeting}")).await.body;
        let ld = page
            .split("<script type=\"application/ld+json\">")
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .unwrap();
        let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
        assert_eq!(ld["@graph"][2]["@type"], "Event", "{ld}");
        assert_eq!(
            ld["@graph"][2]["startDate"].as_str().unwrap()[10..],
            format!("T{starts_at}:00+09:00"),
            "{ld}"
        );

        // In English the kinds and figures are English.
        c.get("/prefs?lang=en").await;
        let home = c.get("/").await.body;
        assert!(home.contains("Open now") && home.contains("The city in figures"));
        t
    })
    .await;
}

/// The home page is made from each area's part kept apart (`pages/front_sources.rs`): a write to
/// one area shows there at once, in every language, and the other areas' parts stay as they were.
#[tokio::test]
async fn a_write_to_one_area_shows_on_the_home_page_at_once() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let (plan, title): (i64, String) = sqlx::query_as(
            "SELECT id, title FROM plans WHERE organization_id = $1 AND status <> 'draft' \
             ORDER BY first_year DESC, id LIMIT 1",
        )
        .bind(t.demo_org().await)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let before = c.get("/").await.body;
        assert!(before.contains(&title), "{before}");
        assert!(
            before.contains("締切: 令和"),
            "the consultations' part: {before}"
        );
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let renamed = format!("{title}(改訂版)");
        let saved = hq
            .post(
                &format!("/hq/plans/{plan}"),
                &[
                    ("plan_title", renamed.as_str()),
                    ("plan_goal", "持続可能な行財政運営"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let after = c.get("/").await.body;
        assert!(after.contains(&renamed), "{after}");
        assert!(
            after.contains("締切: 令和"),
            "the other parts kept: {after}"
        );
        // Another language is another page, made from the same kept parts.
        c.get("/prefs?lang=en").await;
        let en = c.get("/").await.body;
        assert!(en.contains(&renamed) && en.contains("Open now"), "{en}");
        t
    })
    .await;
}
