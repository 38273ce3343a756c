//! 会議録 in Chromium: from the home page to the search, a search typed with the keyboard, its
//! hits marked, the meeting page with the hits marked, a query refused beside its field, and the
//! HQ's import of a plain-text file — axe on each, in Japanese and English.

use crate::session::Session;
use fantoccini::Locator;
use fantoccini::key::Key;

pub async fn flow(s: &mut Session) {
    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        s.open("/").await;
        s.click("main a[href='/minutes']").await;
        assert_eq!(s.path().await, "/minutes");
        s.axe(&format!("[{lang} minutes]")).await;
        s.tab_to("f-q").await;
        s.type_text("行政改革").await;
        s.press(Key::Enter).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let marks = s.c.find_all(Locator::Css("ol.hits mark")).await.unwrap();
        assert!(!marks.is_empty(), "{}", s.body_text().await);
        s.axe(&format!("[{lang} minutes results]")).await;
        // The demo 庁議's items match too, listed after the speeches.
        let agenda =
            s.c.find_all(Locator::Css("ol.agenda-hits a"))
                .await
                .unwrap();
        assert!(!agenda.is_empty(), "{}", s.body_text().await);
        s.click("ol.hits:not(.agenda-hits) a").await;
        assert!(s.path().await.starts_with("/minutes/meetings/"));
        assert!(
            !s.c.find_all(Locator::Css("ol.speeches mark"))
                .await
                .unwrap()
                .is_empty()
        );
        s.axe(&format!("[{lang} minutes meeting]")).await;
        s.visit_expecting(
            &format!("[{lang} minutes bad date]"),
            "/minutes?q=a&from=R99.13.1",
            422,
        )
        .await;
    }
    s.set_lang("ja").await;
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.visit("[ja minutes import]", "/hq/minutes/import").await;
    let path =
        std::env::temp_dir().join(format!("kyodo-browser-minutes-{}.txt", std::process::id()));
    std::fs::write(
        &path,
        "令和7年9月定例会 本会議 第1号\n令和7年9月2日(火曜日)\n○議長（ブラウザ太郎君）　ブラウザから取り込んだ会議録です。\n",
    )
    .unwrap();
    s.c.find(Locator::Css("#f-file"))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    s.fill("#f-body", "本会議").await;
    s.click("form[action='/hq/minutes/import'] button[type=submit]")
        .await;
    assert!(
        s.path().await.starts_with("/minutes/meetings/"),
        "{}",
        s.body_text().await
    );
    assert!(
        s.body_text()
            .await
            .contains("ブラウザから取り込んだ会議録です")
    );
    s.axe("[ja minutes imported]").await;
    // The meeting's details: a line that is not a web address is refused beside the field.
    s.click("main a[href^='/hq/minutes/meetings/']").await;
    s.axe("[ja minutes details]").await;
    s.fill("#f-documents", "資料｜javascript:alert(1)").await;
    s.click("main form button[type=submit]").await;
    assert!(s.body_text().await.contains("行 1: アドレスは"));
    s.axe("[ja minutes details refused]").await;
    s.fill("#f-documents", "議案資料｜https://www.example.jp/a.pdf")
        .await;
    s.click("main form button[type=submit]").await;
    assert!(s.path().await.starts_with("/minutes/meetings/"));
    assert!(s.body_text().await.contains("議案資料"));
    let _ = std::fs::remove_file(&path);
    s.keyboard_logout().await;
}
