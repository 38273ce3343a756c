//! 予算・決算 in Chromium: the public page in both languages, "where my taxes go" worked out and
//! refused, the financial statements with their checks, the indicators, the outlook and two
//! editions compared, bidding results searched and one tender, the HQ's import page refusing a file without a header, the population and
//! indicator forms refusing a bad figure, the outlook import — axe on each page.

use crate::session::Session;

pub async fn flow(s: &mut Session) {
    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        s.open("/").await;
        s.click("main a[href='/finance']").await;
        s.axe(&format!("[{lang} finance]")).await;
        s.click("main a[href='/finance/statements']").await;
        s.axe(&format!("[{lang} financial statements]")).await;
        s.open("/finance").await;
        s.click("main a[href='/finance/indicators']").await;
        s.axe(&format!("[{lang} fiscal indicators]")).await;
        s.open("/finance").await;
        s.click("main a[href='/finance/outlook']").await;
        s.axe(&format!("[{lang} fiscal outlook]")).await;
        s.open("/finance").await;
        s.click("main a[href='/finance/bids']").await;
        s.axe(&format!("[{lang} bids]")).await;
    }
    // Bidding results searched and filtered with the form, then one tender with its bids.
    s.set_lang("ja").await;
    s.open("/finance/bids").await;
    s.fill("#f-q", "工事").await;
    s.click("form[action='/finance/bids'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("舗装補修工事"));
    s.axe("[ja bids searched]").await;
    s.click("main table a[href^='/finance/bids/']").await;
    assert!(s.body_text().await.contains("入札の経過"));
    s.axe("[ja one tender]").await;
    // Two editions of the outlook compared, chosen with the form's selects.
    s.set_lang("ja").await;
    s.open("/finance/outlook").await;
    s.c.find(fantoccini::Locator::Css("#f-compare option:nth-child(3)"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    s.click("form[action='/finance/outlook'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("見通しとの比較"));
    s.axe("[ja fiscal outlook compared]").await;
    // 財務書類: every identity holds on the demo's statements, and the 360 px page does not
    // scroll sideways (the wide tables scroll in their own boxes).
    s.set_lang("ja").await;
    s.open("/finance/statements").await;
    let text = s.body_text().await;
    assert!(text.contains("貸借対照表") && text.contains("一致") && !text.contains("不一致"));
    assert!(s.fits_360().await, "no sideways scrolling at 360 px");
    s.set_lang("ja").await;
    s.open("/finance").await;
    s.fill("#f-tax", "１２０，０００").await;
    s.click("form[action='/finance'] button.button:not(.secondary)")
        .await;
    assert!(s.body_text().await.contains("分野ごとの額"));
    s.axe("[ja where my taxes go]").await;
    s.fill("#f-tax", "たくさん").await;
    s.click("form[action='/finance'] button.button:not(.secondary)")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja where my taxes go refused]").await;

    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open("/hq").await;
    s.click("main a[href='/hq/finance/import']").await;
    s.axe("[ja finance import]").await;
    let file = std::env::temp_dir().join(format!("kyodo-browser-{}.csv", std::process::id()));
    // A file in a layout the reader does not know, twelve wide columns: refused with its first
    // rows shown for the column mapping.
    let wide = ["本年度予算額(千円)の内訳"; 12].join(",");
    std::fs::write(&file, format!("{wide}\n1,2\n")).unwrap();
    s.c.find(fantoccini::Locator::Css("#f-file"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    s.click("form[action='/hq/finance/import'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    assert!(s.body_text().await.contains("見出しの行が見つかりません"));
    s.axe("[ja finance import refused]").await;
    assert!(
        s.fits_360().await,
        "the file's rows scroll in their own box at 360 px"
    );
    let _ = std::fs::remove_file(&file);
    s.open("/hq").await;
    s.click("main a[href='/hq/finance/population']").await;
    s.axe("[ja population]").await;
    s.fill("#f-year", "令和6").await;
    s.fill("#f-population", "多い").await;
    s.click("form[action='/hq/finance/population'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja population refused]").await;
    s.open("/hq/finance/statements/import").await;
    s.axe("[ja statements import]").await;
    s.open("/hq").await;
    s.click("main a[href='/hq/finance/indicators']").await;
    s.fill("#f-year", "2023").await;
    s.fill("#f-v-current_balance", "高い").await;
    s.click("form[action='/hq/finance/indicators'][method=post] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja indicators refused]").await;
    s.open("/hq").await;
    s.click("main a[href='/hq/finance/outlook/import']").await;
    s.axe("[ja outlook import]").await;
    s.open("/hq").await;
    s.click("main a[href='/hq/finance/bids/import']").await;
    s.axe("[ja bids import]").await;
    s.keyboard_logout().await;
}
