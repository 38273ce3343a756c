//! ふりがな: a visitor who turns it on reads every Japanese page with ruby from the IPADIC
//! dictionary (scripts/test.sh installs Debian's `mecab-ipadic`; `KYODO_TEST_REQUIRE_FURIGANA=1`
//! turns its absence into a failure); everyone else gets the cached page without it.

use crate::support::*;
use axum::http::StatusCode;

fn installed() -> bool {
    let there = std::path::Path::new(kyodo_furigana::DEBIAN_IPADIC)
        .join("matrix.def")
        .is_file();
    assert!(
        there || std::env::var_os("KYODO_TEST_REQUIRE_FURIGANA").is_none(),
        "mecab-ipadic is not installed"
    );
    there
}

#[tokio::test]
async fn furigana_is_added_for_the_visitor_who_asks_and_for_nobody_else() {
    if !installed() {
        eprintln!("furigana test skipped: mecab-ipadic not installed");
        return;
    }
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut plain = t.client();
        let home = plain.get("/").await;
        assert!(
            home.body.contains("ふりがなをつける"),
            "the switch is offered"
        );
        assert!(!home.body.contains("<ruby>"));

        let mut reader = t.client();
        let back = reader.get("/prefs?ruby=on&back=/plans").await;
        assert_eq!(back.status, StatusCode::SEE_OTHER);
        for _ in 0..2 {
            // Twice: the second is not a page cached without ruby.
            let page = reader.get("/plans").await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                page.body
                    .contains("<rp>(</rp><rt>けいかく</rt><rp>)</rp></ruby>"),
                "計画 read けいかく: {}",
                &page.body[..page.body.len().min(3000)]
            );
            assert!(
                page.body.contains("/prefs?ruby=off"),
                "the switch turns it off"
            );
            // The head (title, JSON-LD) is left alone.
            let head = page.body.split("</head>").next().unwrap();
            assert!(!head.contains("<ruby>"));
        }
        // The other visitor still gets the page without ruby.
        assert!(!plain.get("/plans").await.body.contains("<ruby>"));
        // In English nothing is added, and the switch is not offered.
        reader.get("/prefs?lang=en").await;
        let en = reader.get("/plans").await.body;
        assert!(!en.contains("<ruby>") && !en.contains("Show furigana"));
        reader.get("/prefs?lang=ja").await;
        reader.get("/prefs?ruby=off").await;
        assert!(!reader.get("/plans").await.body.contains("<ruby>"));
        t
    })
    .await;
}
