//! 委員意見 on a whole plan and the open-data catalogue in Chromium: a committee member writes on
//! the plan's page (refused empty first), the HQ answers it on the list of opinions awaiting a
//! response, and the catalogue page in both languages — axe on each page.

use crate::session::Session;

pub async fn flow(s: &mut Session) {
    s.set_lang("ja").await;
    s.keyboard_login("committee@demo.kyodo.jp").await;
    s.open("/plans").await;
    s.click("main a[href^='/plans/']").await;
    s.axe("[ja plan with the committee's form]").await;
    s.click("form[action$='/opinions'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja committee opinion refused]").await;
    s.fill("#f-opinion", "ブラウザからの委員会意見です。").await;
    s.click("form[action$='/opinions'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("意見を受け付けました"));
    s.keyboard_logout().await;

    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open("/hq").await;
    s.click("main a[href='/hq/opinions']").await;
    s.axe("[ja opinions awaiting a response]").await;
    assert!(
        s.body_text()
            .await
            .contains("ブラウザからの委員会意見です。")
    );
    s.fill(
        "main article:last-of-type textarea",
        "ブラウザから記録した市の対応です。",
    )
    .await;
    s.click("main article:last-of-type button[type=submit]")
        .await;
    assert_eq!(s.path().await, "/hq/opinions");
    assert!(
        !s.body_text()
            .await
            .contains("ブラウザからの委員会意見です。")
    );
    s.keyboard_logout().await;

    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        s.visit(&format!("[{lang} open data]"), "/opendata").await;
    }
    s.set_lang("ja").await;
}
