//! The plans area in the browser: the report workflow from a division's draft to publication, a
//! citizen's rating and comment, and a committee opinion with the HQ's response.

use super::*;

/// The plan workflow of the seed plan: a division writes and submits a report, the HQ returns it,
/// the division's head approves it for the HQ, which approves and publishes it; a citizen rates and comments; a committee member writes an opinion
/// and the HQ responds. Every page on the way is checked with axe.
pub(crate) async fn plans_flow(s: &mut Session) {
    const ITEM: &str = "重点施策等の進行管理への市民参加の推進";
    s.set_lang("ja").await;
    s.open("/plans").await;
    s.axe("[ja plans list]").await;
    s.click("main a[href^='/plans/']").await;
    let plan_path = s.path().await;
    s.axe("[ja plan]").await;
    assert!(
        s.body_text()
            .await
            .contains("デモンストレーション用のデータ")
    );
    s.click("#f-viewpoint option:nth-child(2)").await;
    s.click("form.filters button").await;
    s.axe("[ja plan filtered]").await;
    s.visit("[ja annual report]", &format!("{plan_path}/annual-report"))
        .await;
    s.open(&plan_path).await;
    let item_path = s.link_in_row(ITEM, 0).await;
    s.visit("[ja item]", &item_path).await;

    // The division writes and submits the 平成22年度 report.
    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.visit("[ja staff reports]", "/staff/reports").await;
    let report_path = s.link_in_row(ITEM, 2).await;
    s.visit("[ja report editor]", &report_path).await;
    s.click("button[formaction$='/report/submit']").await;
    s.axe("[ja report errors]").await;
    assert!(s.body_text().await.contains("入力してください"));
    s.fill("#f-did", "市民委員が参加する進行管理会議を3回開催した。")
        .await;
    s.fill("#f-evaluation", "委員の意見を計画の見直しに反映できた。")
        .await;
    s.fill("#f-next_steps", "会議録を公開する。").await;
    s.click("button[formaction$='/report/submit']").await;
    assert!(
        s.body_text().await.contains("報告を提出しました"),
        "{}",
        s.body_text().await
    );
    s.axe("[ja report submitted]").await;
    s.keyboard_logout().await;

    // The HQ returns it with a comment.
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open(&plan_path.replace("/plans/", "/hq/plans/")).await;
    s.axe("[ja hq dashboard]").await;
    let waiting =
        s.c.find(Locator::Css("section[aria-labelledby='waiting-title'] a"))
            .await
            .unwrap();
    let review_path = waiting.attr("href").await.unwrap().unwrap();
    s.open(&review_path).await;
    s.fill("#f-comment", "参加した委員の人数を書いてください。")
        .await;
    s.click("button[value='return']").await;
    s.axe("[ja report returned]").await;
    s.keyboard_logout().await;

    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.open(&report_path).await;
    assert!(
        s.body_text()
            .await
            .contains("参加した委員の人数を書いてください。")
    );
    s.fill(
        "#f-did",
        "市民委員12名が参加する進行管理会議を3回開催した。",
    )
    .await;
    s.click("button[formaction$='/report/submit']").await;
    s.keyboard_logout().await;

    // The division's head (所属長) approves it for the HQ.
    s.keyboard_login("manager@demo.kyodo.jp").await;
    s.open(&review_path).await;
    s.axe("[ja report awaiting the department head]").await;
    s.click("button[value='confirm']").await;
    assert!(s.body_text().await.contains("所属長承認済み"));
    s.keyboard_logout().await;

    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open(&review_path).await;
    s.click("button[value='approve']").await;
    s.click("button[value='publish']").await;
    assert!(s.body_text().await.contains("公表済み"));
    s.axe("[ja report published]").await;
    s.visit("[ja moderation]", "/hq/comments").await;
    // Plan administration and editing pages, with their error states.
    let hq_plan = plan_path.replace("/plans/", "/hq/plans/");
    for (label, p) in [
        ("[ja plan admin]", "/hq/plans".to_string()),
        ("[ja plan edit]", format!("{hq_plan}/edit")),
        ("[ja periods]", format!("{hq_plan}/periods")),
        ("[ja codes]", "/hq/codes".to_string()),
        ("[ja import]", "/hq/plans/import".to_string()),
        ("[ja new plan]", "/hq/plans/new".to_string()),
    ] {
        s.visit(label, &p).await;
    }
    s.click("form[action='/hq/plans/new'] button").await;
    s.axe("[ja new plan errors]").await;
    s.open("/hq/plans/import").await;
    s.click("form[action='/hq/plans/import'] button").await;
    s.axe("[ja import errors]").await;
    s.open(&format!("{hq_plan}/edit")).await;
    s.click("table a[href^='/hq/nodes/']").await;
    s.axe("[ja node editor]").await;
    s.click("form[action$='/effects'] button").await;
    s.axe("[ja node editor errors]").await;
    s.keyboard_logout().await;
    // The division asks for a schedule change.
    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.open(&format!("{item_path}/change")).await;
    s.axe("[ja change request]").await;
    s.click("form[action$='/change'] button").await;
    s.axe("[ja change request errors]").await;
    s.fill("#f-reason", "国の制度改正に合わせるため").await;
    s.fill("#f-new_title", "進行管理への市民参加の拡大").await;
    s.click("form[action$='/change'] button").await;
    assert!(s.body_text().await.contains("申請しました"));
    s.keyboard_logout().await;
    s.open(&item_path).await;
    assert!(
        s.body_text().await.contains("市民委員12名が参加する"),
        "published report is public"
    );

    // A citizen rates and comments.
    s.keyboard_login("citizen@demo.kyodo.jp").await;
    s.open(&item_path).await;
    s.click("input[name='score'][value='4']").await;
    s.click("form[action$='/rating'] button").await;
    s.axe("[ja item rated]").await;
    s.fill("#f-body", "会議録の公開を期待しています。").await;
    s.click("form[action$='/comments'] button").await;
    assert!(s.body_text().await.contains("確認してから公開します"));
    s.axe("[ja comment sent]").await;
    s.keyboard_logout().await;

    // A committee member writes an opinion; the HQ publishes the comment and responds.
    s.keyboard_login("committee@demo.kyodo.jp").await;
    s.open(&item_path).await;
    s.fill("#f-opinion", "会議の成果を指標で示すこと。").await;
    s.click("form[action$='/opinions'] button").await;
    s.axe("[ja opinion sent]").await;
    s.keyboard_logout().await;
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open("/hq/comments").await;
    s.click("button[value='publish']").await;
    s.open(&plan_path.replace("/plans/", "/hq/plans/")).await;
    // Oldest first: the demo's opinion on the whole plan waits above the one just written.
    s.fill(
        "section[aria-labelledby='opinions-title'] article:last-of-type textarea[name='response']",
        "次年度から参加者数を指標に加えます。",
    )
    .await;
    s.click("section[aria-labelledby='opinions-title'] article:last-of-type form[action^='/hq/opinions/'] button")
        .await;
    s.keyboard_logout().await;
    s.open(&item_path).await;
    let text = s.body_text().await;
    assert!(
        text.contains("会議録の公開を期待しています。")
            && text.contains("次年度から参加者数を指標に加えます。"),
        "{text}"
    );
    s.axe("[ja item with participation]").await;

    // The same pages in English.
    s.set_lang("en").await;
    for p in [
        "/plans".to_string(),
        plan_path.clone(),
        item_path.clone(),
        format!("{plan_path}/annual-report"),
    ] {
        s.visit("[en plans]", &p).await;
    }
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.visit(
        "[en hq dashboard]",
        &plan_path.replace("/plans/", "/hq/plans/"),
    )
    .await;
    s.visit("[en report]", &review_path).await;
    s.visit("[en moderation]", "/hq/comments").await;
    s.visit("[en staff reports]", "/staff/reports").await;
    s.visit(
        "[en node editor]",
        &format!("{}/edit", plan_path.replace("/plans/", "/hq/plans/")),
    )
    .await;
    s.visit("[en codes]", "/hq/codes").await;
    s.visit("[en import]", "/hq/plans/import").await;
    s.keyboard_logout().await;
    s.set_lang("ja").await;
}
