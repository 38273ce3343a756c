//! 窓口 in Chromium: a guest sends a 市民の声 without an account (the form refused first, beside
//! its fields), gets a number and key, looks the case up; staff find it in the work list and
//! answer it; the submitter sees the answer; the public page of published answers and counts —
//! axe on each page, the form and the status page without sideways scrolling at 360 px; the
//! procedure catalogue, an application sent with a file, the published decisions on 民間提案,
//! 職員提案 and 働きかけ記録.

use crate::session::Session;

pub async fn flow(s: &mut Session) {
    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        s.open("/").await;
        s.click("main a[href='/cases']").await;
        s.axe(&format!("[{lang} case desk]")).await;
        s.click("main a[href^='/cases/types/']").await;
        s.axe(&format!("[{lang} case form]")).await;
        s.open("/cases/voices").await;
        s.axe(&format!("[{lang} voices]")).await;
        s.open("/cases/status").await;
        s.axe(&format!("[{lang} case look-up]")).await;
        s.open("/procedures").await;
        s.axe(&format!("[{lang} procedures]")).await;
        assert!(s.fits_360().await, "the procedure catalogue fits 360 px");
        s.open("/cases/proposals").await;
        s.axe(&format!("[{lang} private proposals]")).await;
        assert!(
            s.fits_360().await,
            "the decisions table scrolls in its own box"
        );
    }
    s.set_lang("ja").await;
    s.open("/cases").await;
    s.click("main a[href^='/cases/types/']").await;
    assert!(s.fits_360().await, "the form fits 360 px");
    // Sent empty: refused with a message beside each required question.
    s.click("form.survey-form button[type=submit]").await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja case form refused]").await;
    choose_the_last_options(s).await;
    s.fill(
        "form.survey-form section.question input[type=text]",
        "図書館の開館時間",
    )
    .await;
    s.fill(
        "form.survey-form section.question textarea",
        "平日は夜8時まで開けてほしい。",
    )
    .await;
    s.fill("#f-email", "hanako@example.jp").await;
    s.click("#f-consent").await;
    s.click("form.survey-form button[type=submit]").await;
    assert_eq!(s.status().await, 200, "{}", s.body_text().await);
    s.axe("[ja case receipt]").await;
    let client = s.c.clone();
    let text = move |css: &'static str| {
        let c = client.clone();
        async move {
            c.find(fantoccini::Locator::Css(css))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let number = text("#case-number").await;
    let key = text("#case-key code").await;

    // Looked up by number and key.
    s.open("/cases/status").await;
    s.fill("#f-number", &number).await;
    s.fill("#f-key", &key).await;
    s.click("form[action='/cases/status'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("図書館の開館時間"));
    s.axe("[ja case status]").await;
    assert!(s.fits_360().await, "the status page fits 360 px");

    // Staff answer it from the work list.
    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.open("/staff").await;
    s.click("main a[href='/staff/cases']").await;
    s.axe("[ja staff cases]").await;
    s.click("main table a[href^='/staff/cases/']").await;
    s.axe("[ja staff case]").await;
    s.open("/staff/cases").await;
    let link = s.link_in_row(&number, 0).await;
    s.open(&link).await;
    s.fill("#f-answer", "来年度から試行します。").await;
    s.click("form[action$='/answer'] button[type=submit]").await;
    assert!(s.body_text().await.contains("回答を送りました"));
    s.axe("[ja staff case answered]").await;
    s.keyboard_logout().await;

    s.open("/cases/status").await;
    s.fill("#f-number", &number).await;
    s.fill("#f-key", &key).await;
    s.click("form[action='/cases/status'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("来年度から試行します。"));
    s.axe("[ja case status answered]").await;

    // 電子申請 with a file: a guest applies from the catalogue, choosing the identity document in
    // the form's file field (sent as multipart), and finds the file on the status page.
    s.open("/procedures").await;
    let form = s
        .c
        .execute(
            "return [...document.querySelectorAll(\"main a[href^='/cases/types/']\")].find(a => a.closest('section, li, article, tr').textContent.includes('証明書の郵送請求')).getAttribute('href')",
            vec![],
        )
        .await
        .unwrap();
    s.open(form.as_str().unwrap()).await;
    s.axe("[ja application form with a file field]").await;
    choose_the_last_options(s).await;
    s.fill(
        "form.survey-form section.question input[type=text]",
        "住民票 1通",
    )
    .await;
    s.fill("form.survey-form section.question textarea", "年金の手続")
        .await;
    let scan = std::env::temp_dir().join(format!("kyodo-honnin-{}.pdf", std::process::id()));
    std::fs::write(&scan, b"%PDF-1.4\n% scan of an identity document\n").unwrap();
    s.c.find(fantoccini::Locator::Css(
        "form.survey-form input[type=file]",
    ))
    .await
    .unwrap()
    .send_keys(scan.to_str().unwrap())
    .await
    .unwrap();
    s.click("form.survey-form button[type=submit]").await;
    assert_eq!(s.status().await, 200, "{}", s.body_text().await);
    let number = text("#case-number").await;
    let key = text("#case-key code").await;
    let _ = std::fs::remove_file(&scan);
    s.open("/cases/status").await;
    s.fill("#f-number", &number).await;
    s.fill("#f-key", &key).await;
    s.click("form[action='/cases/status'] button[type=submit]")
        .await;
    assert!(
        s.body_text().await.contains("kyodo-honnin-"),
        "the sent file is listed"
    );
    s.axe("[ja case status with a file]").await;
    assert!(s.fits_360().await, "the status page with files fits 360 px");

    // The kinds' staff pages: 職員提案 by year and one with the committee's scores (HQ), and the
    // 働きかけ記録 kept by the compliance officer.
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open("/staff/proposals").await;
    s.axe("[ja staff proposals]").await;
    assert!(
        s.fits_360().await,
        "the proposals table scrolls in its own box"
    );
    s.click("main table a[href^='/staff/cases/']").await;
    assert!(s.body_text().await.contains("審査委員の評点"));
    s.axe("[ja staff proposal with scores]").await;
    s.keyboard_logout().await;
    s.keyboard_login("compliance@demo.kyodo.jp").await;
    s.open("/compliance/approaches").await;
    s.axe("[ja approach records]").await;
    s.keyboard_logout().await;
}

/// Ticks the last choice of each fieldset of the form on the page.
async fn choose_the_last_options(s: &Session) {
    s.c.execute(
        "document.querySelectorAll('form.survey-form fieldset').forEach(f => [...f.querySelectorAll('input[type=radio]')].pop().click())",
        vec![],
    )
    .await
    .unwrap();
}
