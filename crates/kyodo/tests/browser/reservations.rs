//! 施設予約 in Chromium: from the home page to a room's availability without signing in, the demo
//! citizen's 仮予約 (a refused one first, its message beside the field), the counter's 本予約 and the
//! 利用許可書, the staff's lottery, closure, import and official-car pages — axe on each, in Japanese and English.

use crate::session::Session;
use fantoccini::Locator;

pub async fn flow(s: &mut Session) {
    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        s.open("/").await;
        s.click("main a[href='/facilities']").await;
        assert_eq!(s.path().await, "/facilities");
        s.axe(&format!("[{lang} facilities]")).await;
        s.click("main a[href^='/facilities/rooms/']").await;
        assert!(s.path().await.starts_with("/facilities/rooms/"));
        s.axe(&format!("[{lang} availability]")).await;
        s.click("a[href*='month=']:last-of-type").await;
        s.axe(&format!("[{lang} availability next month]")).await;
        s.click("main p a[href^='/facilities/']").await;
        s.axe(&format!("[{lang} facility]")).await;
    }
    s.set_lang("ja").await;
    s.keyboard_login("citizen@demo.kyodo.jp").await;
    s.open("/facilities").await;
    s.click("main a[href^='/facilities/rooms/']").await;
    s.click("a[href*='month=']:last-of-type").await;
    s.click("td.cell-free a").await;
    assert!(s.path().await.ends_with("/book"), "{}", s.path().await);
    s.axe("[ja book form]").await;
    let date =
        s.c.find(Locator::Css("#f-date"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
    s.fill("#f-purpose", "自治会の総会").await;
    s.fill("#f-attendees", "999").await;
    s.click("form[action$='/book'] button[type=submit]").await;
    assert_eq!(s.status().await, 422);
    assert!(
        s.c.find(Locator::Css("#f-attendees[aria-invalid='true']"))
            .await
            .is_ok()
    );
    s.axe("[ja book refused]").await;
    s.fill("#f-attendees", "３０").await;
    s.click("form[action$='/book'] button[type=submit]").await;
    assert_eq!(s.path().await, "/facilities/my", "{}", s.body_text().await);
    assert!(s.body_text().await.contains("仮予約を受け付けました"));
    s.axe("[ja my bookings]").await;
    // The demo group's registration with its members; one member is too few, refused beside the box.
    s.visit("[ja registration]", "/facilities/register").await;
    s.fill("#f-members_resident", "デモ 市民").await;
    s.fill("#f-members_other", "").await;
    s.click("form[action='/facilities/register'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    assert!(
        s.c.find(Locator::Css("#f-members_resident[aria-invalid='true']"))
            .await
            .is_ok()
    );
    s.axe("[ja registration refused]").await;
    assert!(s.fits_360().await, "the registration form fits 360 px");
    s.keyboard_logout().await;

    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.visit("[ja counter]", &format!("/staff/facilities?date={date}"))
        .await;
    s.click("form[action$='/confirm'] button").await;
    assert!(s.body_text().await.contains("本予約にしました"));
    s.click("a[href$='/permit']").await;
    assert!(s.body_text().await.contains("施設利用許可書"));
    s.axe("[ja permit]").await;
    s.visit("[ja facility users]", "/staff/facilities/users")
        .await;
    s.visit("[ja lotteries]", "/staff/facilities/lotteries")
        .await;
    s.click("form[action='/staff/facilities/lotteries'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja lottery refused]").await;
    s.visit("[ja closures]", "/staff/facilities/closures").await;
    s.visit("[ja facility import]", "/staff/facilities/import")
        .await;
    // The 指定管理者's page, from the facility's page as staff see it.
    s.open("/facilities").await;
    s.c.find(Locator::XPath("//main//h2/a[contains(., '総合運動公園')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    s.click("a[href$='/management']").await;
    assert_eq!(s.status().await, 200);
    s.axe("[ja designated manager]").await;
    // The manager's account: an unknown address refused beside the field, then the citizen's.
    s.fill("#f-email", "nobody@demo.kyodo.jp").await;
    s.click("form[action$='/management/managers'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja manager account refused]").await;
    s.fill("#f-email", "citizen@demo.kyodo.jp").await;
    s.click("form[action$='/management/managers'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("citizen@demo.kyodo.jp"));
    s.visit("[ja rooms]", "/staff/facilities/rooms").await;
    s.click("form[action='/staff/facilities/rooms'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja room refused]").await;
    // A facility's edit form, reached from the rooms page; an empty name refused beside it.
    s.visit("[ja rooms]", "/staff/facilities/rooms").await;
    s.click("main a[href$='/edit']").await;
    s.axe("[ja facility edit]").await;
    s.c.find(fantoccini::Locator::Css("#f-name"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    s.click("main form button[type=submit]").await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja facility edit refused]").await;
    s.visit("[ja cars]", "/staff/cars").await;
    s.click("form[action='/staff/cars/bookings'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja car refused]").await;
    s.keyboard_logout().await;

    // The manager sends a month's report from its own page.
    s.keyboard_login("citizen@demo.kyodo.jp").await;
    s.visit("[ja manager's facilities]", "/manager/facilities")
        .await;
    s.click("main a[href^='/manager/facilities/']").await;
    s.axe("[ja manager's facility]").await;
    s.fill("#f-users", "たくさん").await;
    s.click("form[action$='/reports'] button[type=submit]")
        .await;
    assert_eq!(s.status().await, 422);
    s.axe("[ja manager's report refused]").await;
    s.keyboard_logout().await;
}
