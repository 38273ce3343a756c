//! 意見公募 in Chromium: from the home page to an open consultation, a guest's opinion (refused
//! first, then sent and confirmed on its receipt page), the published result in both languages;
//! staff open a closed consultation's opinions, group and answer them and send the result; the HQ
//! publishes it; the HQ's councils dashboard (a body below its women's target, a term about to end)
//! and the public register, a 傍聴 registration past the capacity going to the waiting list — axe
//! on each page.

use crate::session::Session;
use fantoccini::Locator;

pub async fn flow(s: &mut Session) {
    s.set_lang("ja").await;
    s.open("/").await;
    s.click("main a[href='/consultations']").await;
    assert_eq!(s.path().await, "/consultations");
    s.axe("[ja consultations]").await;
    s.click("main h3 a[href^='/consultations/']").await;
    s.axe("[ja consultation]").await;
    s.click("main a[href$='/opinion']").await;
    s.axe("[ja opinion form]").await;
    s.fill("#f-body", "第2条に実施段階も含めてください。").await;
    s.click("form[action$='/opinion'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    assert!(
        s.c.find(Locator::Css("#f-email[aria-invalid='true']"))
            .await
            .is_ok()
    );
    s.axe("[ja opinion refused]").await;
    s.fill("#f-name", "ブラウザ 花子").await;
    s.fill("#f-address", "会津若松市追手町").await;
    s.fill("#f-email", "browser-opinion@example.jp").await;
    s.click("form[action$='/opinion'] button[type=submit]")
        .await;
    assert!(s.path().await.starts_with("/consultations/opinions/"));
    assert!(s.body_text().await.contains("確認待ち"));
    s.axe("[ja receipt]").await;
    s.click("form[action$='/confirm'] button").await;
    assert!(s.body_text().await.contains("提出が完了しました"));
    s.axe("[ja receipt confirmed]").await;
    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        s.open("/consultations").await;
        s.click("main a[href$='/result']").await;
        s.axe(&format!("[{lang} consultation result]")).await;
    }
    s.set_lang("ja").await;

    // A consultation whose period is over, with letters entered by staff.
    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.visit("[ja consultations staff]", "/staff/consultations")
        .await;
    s.click("form[action='/staff/consultations'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja consultation refused]").await;
    s.fill("#f-title", "ブラウザで作る案").await;
    s.fill("#f-starts_on", "令和7年1月6日").await;
    s.fill("#f-ends_on", "2025-02-28").await;
    s.fill("#f-draft", "# 第1条 目的\n協働を進める。").await;
    s.click("form[action='/staff/consultations'] button[type=submit]")
        .await;
    assert!(
        s.path().await.starts_with("/staff/consultations/"),
        "{}",
        s.body_text().await
    );
    s.fill("#f-body", "賛成です。").await;
    s.fill("#f-name", "郵送 太郎").await;
    s.fill("#f-address", "会津若松市").await;
    s.click("form[action$='/opinions'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("意見を登録しました"));
    s.axe("[ja consultation work]").await;
    s.click("input[name='opinion']").await;
    s.fill("#f-summary", "賛成の意見").await;
    s.click("#group-form button[type=submit]").await;
    assert!(s.body_text().await.contains("意見をまとめました"));
    s.fill("textarea[name='city_view']", "ご賛同として承ります。")
        .await;
    s.click("form[action*='/staff/consultations/groups/'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("市の考え方を保存しました"));
    s.click("form[action$='/submit'] button").await;
    assert!(s.body_text().await.contains("結果を本部へ提出しました"));
    let work = s.path().await;
    s.keyboard_logout().await;

    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open(&work).await;
    s.axe("[ja consultation decide]").await;
    s.click("form[action$='/decide'] button").await;
    assert!(s.body_text().await.contains("結果を公表しました"));
    s.click("a[href$='/result']").await;
    assert!(s.body_text().await.contains("1名1件"));
    assert!(!s.body_text().await.contains("郵送 太郎"));

    // 審議会等: the HQ sees a body below its women's target and a term about to end.
    s.open("/hq").await;
    s.click("main a[href='/hq/councils']").await;
    let text = s.body_text().await;
    assert!(
        text.contains("都市計画審議会(デモ): 女性委員の割合 20.0%"),
        "{text}"
    );
    assert!(
        text.contains("只見 四郎"),
        "a term ending within 90 days: {text}"
    );
    s.axe("[ja councils dashboard]").await;
    s.click("form[action='/hq/councils'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja council refused]").await;
    s.click("main table a[href^='/hq/councils/']").await;
    s.axe("[ja council members]").await;
    s.keyboard_logout().await;
    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        s.open("/").await;
        s.click("main a[href='/councils']").await;
        s.axe(&format!("[{lang} councils]")).await;
        s.click("main table a[href^='/councils/']").await;
        s.axe(&format!("[{lang} council]")).await;
    }
    s.set_lang("ja").await;
    // 傍聴: the demo's next meeting has two seats; the third registration waits.
    s.open("/councils").await;
    s.c.find(Locator::XPath(
        "//main//a[contains(., '行政改革推進委員会')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    s.click("main ul a[href^='/councils/meetings/']").await;
    for i in 1..=3 {
        s.fill("#f-name", "傍聴 希望").await;
        s.fill("#f-email", &format!("observer{i}@example.jp")).await;
        s.click("form[action$='/observe'] button[type=submit]")
            .await;
    }
    let text = s.body_text().await;
    assert!(text.contains("キャンセル待ち 1 番目"), "{text}");
    s.axe("[ja council meeting waiting list]").await;
    // 委員公募: the demo's open call, an application refused then sent.
    s.open("/councils").await;
    s.c.find(Locator::XPath(
        "//main//a[contains(., '行政改革推進委員会')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    s.click("main a[href^='/councils/calls/']").await;
    s.axe("[ja council call]").await;
    s.click("form[action$='/apply'] button[type=submit]").await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja council application refused]").await;
    s.fill("#f-name", "応募 太郎").await;
    s.fill("#f-address", "会津若松市").await;
    s.fill("#f-email", "applicant@example.jp").await;
    s.fill("#f-essay", "市民協働で公共交通を見直したい。").await;
    s.click("form[action$='/apply'] button[type=submit]").await;
    assert!(s.body_text().await.contains("応募を受け付けました"));
    // E-mail notice of new consultations: the form, refused then accepted.
    s.visit("[ja consultation subscribe]", "/consultations/subscribe")
        .await;
    s.click("form[action='/consultations/subscribe'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja consultation subscribe refused]").await;
    advisers_and_documents(s).await;
}

/// 外部有識者 and 配布資料: the adviser opens an assignment and comments (refused empty first); the
/// HQ adds a document to a meeting (the file chosen as a user would), publishes the comment; the
/// public register shows it.
async fn advisers_and_documents(s: &mut Session) {
    s.keyboard_login("adviser@demo.kyodo.jp").await;
    s.visit("[ja account of an adviser]", "/account").await;
    s.click("main a[href='/adviser']").await;
    s.axe("[ja adviser assignments]").await;
    s.click("main a[href^='/adviser/assignments/']").await;
    s.axe("[ja adviser material]").await;
    s.click("form[action$='/comments'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja adviser comment refused]").await;
    s.fill("#f-body", "ブラウザからの有識者意見です。").await;
    s.click("form[action$='/comments'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("意見を送りました"));
    s.keyboard_logout().await;

    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open("/hq").await;
    s.click("main a[href='/hq/advisers']").await;
    s.axe("[ja advisers hq]").await;
    // Newest first: the browser's comment is the first one with a publish switch.
    s.click("form[action$='/publish'] button").await;
    assert!(s.body_text().await.contains("意見を公表しました"));
    s.open("/hq/councils").await;
    s.c.find(Locator::XPath(
        "//main//table//a[contains(., '行政改革推進委員会')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    s.click("main a[href^='/hq/councils/meetings/']").await;
    s.axe("[ja council meeting hq]").await;
    let pdf = std::env::temp_dir().join(format!("kyodo-browser-{}.pdf", std::process::id()));
    std::fs::write(
        &pdf,
        b"%PDF-1.4
% browser test
",
    )
    .unwrap();
    s.fill("#f-document_title", "資料1 次第").await;
    s.c.find(Locator::Css("#f-document"))
        .await
        .unwrap()
        .send_keys(pdf.to_str().unwrap())
        .await
        .unwrap();
    s.click("form[action$='/documents'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("資料を追加しました"));
    assert!(s.body_text().await.contains("資料1 次第"));
    let _ = std::fs::remove_file(&pdf);
    s.keyboard_logout().await;
    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        s.open("/").await;
        s.click("main a[href='/advisers']").await;
        s.axe(&format!("[{lang} advisers]")).await;
    }
    assert!(
        s.body_text()
            .await
            .contains("ブラウザからの有識者意見です。")
    );
    s.set_lang("ja").await;
}
