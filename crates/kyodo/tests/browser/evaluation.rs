//! 行政評価 in Chromium: the HQ opens a year; a division fills in a sheet (after a rejected empty
//! submission) and submits it; the division's head approves it; the HQ gives 二次評価 and chooses it for 外部評価; a committee member
//! records 外部評価; the HQ decides and publishes; the public sees the programme with every stage's
//! verdict. Frames, 施策 and list pages in both languages. axe runs on every page.

use super::*;

async fn select(s: &Session, css: &str, value: &str) {
    let script = format!(
        "const e = document.querySelector({css:?}); if (!e) return false; e.value = {value:?}; return e.value === {value:?};"
    );
    let ok = s.c.execute(&script, vec![]).await.unwrap();
    assert_eq!(ok, Value::from(true), "cannot choose {value} in {css}");
}

/// Fills the verdict fields of the form on the page and records it.
async fn give_verdict(s: &mut Session, label: &str, operator: &str, direction: &str, reason: &str) {
    select(s, "#f-operator", operator).await;
    select(s, "#f-direction", direction).await;
    s.fill("#f-reason", reason).await;
    s.click("#record-verdict").await;
    s.axe(label).await;
}

pub async fn flow(s: &mut Session) {
    s.set_lang("ja").await;
    // The HQ opens 令和8年度 with the external evaluation committee.
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.visit("[ja eval hq]", "/hq/evaluation").await;
    s.fill("#f-fiscal_year", "2026").await;
    let committee =
        s.c.execute(
            "return [...document.querySelectorAll('#f-committee_id option')].find(o => o.textContent.includes('行政評価委員会')).value",
            vec![],
        )
        .await
        .unwrap();
    select(s, "#f-committee_id", committee.as_str().unwrap()).await;
    s.fill("#f-sheets_due", "令和9年5月31日").await;
    s.click("form[action='/hq/evaluation/cycles'] button").await;
    assert!(
        s.path().await.starts_with("/hq/evaluation/cycles/"),
        "{}",
        s.body_text().await
    );
    s.axe("[ja eval cycle]").await;
    let cycle = s.path().await;
    s.keyboard_logout().await;

    // The division: an empty submission is refused with messages; then a complete sheet.
    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.visit("[ja eval work]", "/staff/evaluation").await;
    let sheet = s.link_in_row("行政評価システム運営", 0).await;
    s.visit("[ja eval sheet]", &sheet).await;
    s.click("button[formaction$='/submit']").await;
    let text = s.body_text().await;
    assert!(text.contains("入力してください"), "{text}");
    s.axe("[ja eval sheet errors]").await;
    for (id, v) in [
        ("#f-cost-settled-general", "2,500"),
        ("#f-cost-settled-national", "1000"),
        ("#f-cost-next_budget-general", "3000"),
        ("#f-fte-settled-regular", "0.5"),
        ("#f-contact_name", "ブラウザ 太郎"),
        ("#f-contact_phone", "0242-39-7777"),
    ] {
        s.fill(id, v).await;
    }
    for c in ["necessity", "effectiveness", "efficiency", "fairness"] {
        select(s, &format!("#f-score-{c}"), "2").await;
    }
    select(s, "#f-operator", "city").await;
    select(s, "#f-direction", "improve").await;
    s.fill("#f-reason", "ブラウザから提出した一次評価").await;
    s.click("button[formaction$='/submit']").await;
    let text = s.body_text().await;
    assert!(
        text.contains("提出しました") && text.contains("7,700"),
        "{text}"
    );
    s.axe("[ja eval sheet submitted]").await;
    s.visit("[ja eval frames staff]", "/staff/evaluation/frames")
        .await;
    s.keyboard_logout().await;

    // The division's head (所属長) approves it for the HQ.
    s.keyboard_login("manager@demo.kyodo.jp").await;
    s.visit("[ja eval sheet manager]", &sheet).await;
    s.click("#manager-approve").await;
    assert!(s.body_text().await.contains("所属長として承認しました"));
    s.axe("[ja eval sheet approved by the department head]")
        .await;
    s.keyboard_logout().await;

    // The HQ: 二次評価, chosen for 外部評価.
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.visit("[ja eval sheet hq]", &sheet).await;
    give_verdict(
        s,
        "[ja eval second]",
        "outsource",
        "improve",
        "ブラウザの二次評価",
    )
    .await;
    s.click("button[value=external_on]").await;
    s.axe("[ja eval external chosen]").await;
    s.keyboard_logout().await;

    // The committee member records 外部評価.
    s.keyboard_login("committee@demo.kyodo.jp").await;
    s.visit("[ja eval committee]", "/committee/evaluation")
        .await;
    let external = s.link_in_row("行政評価システム運営", 0).await;
    s.visit("[ja eval committee sheet]", &external).await;
    assert!(
        !s.body_text().await.contains("ブラウザ 太郎"),
        "committee pages carry no contacts"
    );
    give_verdict(
        s,
        "[ja eval external]",
        "partnership",
        "merge",
        "ブラウザの外部評価",
    )
    .await;
    assert_eq!(s.path().await, "/committee/evaluation");
    s.keyboard_logout().await;

    // The HQ decides and publishes.
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open(&sheet).await;
    give_verdict(
        s,
        "[ja eval final]",
        "outsource",
        "merge",
        "ブラウザの最終決定",
    )
    .await;
    s.open(&cycle).await;
    s.click("button[value=publish]").await;
    // Sheets of other divisions are still drafts: the HQ is asked first.
    assert!(s.body_text().await.contains("下書きのままです"));
    s.axe("[ja eval publish confirm]").await;
    s.click("#confirm-publish button").await;
    assert!(s.body_text().await.contains("公表しました"));
    s.axe("[ja eval published]").await;
    s.visit("[ja eval frames hq]", "/staff/evaluation/frames")
        .await;
    for (label, path) in [
        ("[ja eval policies]", "/hq/evaluation/policies".to_string()),
        (
            "[ja eval programmes]",
            "/hq/evaluation/programmes".to_string(),
        ),
        ("[ja eval import]", format!("{cycle}/import")),
    ] {
        s.visit(label, &path).await;
    }
    // An import without a file, and a programme with bad input: messages, still accessible.
    s.click("form[action$='/import'] button[type=submit]").await;
    s.axe("[ja eval import error]").await;
    import_flow(s, &cycle).await;
    s.open("/hq/evaluation/programmes").await;
    s.fill("#f-code", "0101").await;
    s.click("form[action='/hq/evaluation/programmes'] button[type=submit]")
        .await;
    assert!(s.body_text().await.contains("すでに使われています"));
    s.axe("[ja eval programme errors]").await;
    let edit = s.link_in_row("公用車管理", 0).await;
    s.visit("[ja eval programme edit]", &edit).await;
    // A 政策 of the comprehensive plan: its correction page, and a removal refused with the reason.
    s.open("/hq/evaluation/policies").await;
    s.click("a[href^='/hq/evaluation/policy-nodes/']").await;
    s.axe("[ja eval policy node]").await;
    s.click("form[action$='/delete'] button").await;
    assert!(s.body_text().await.contains("削除できません"));
    s.axe("[ja eval policy node refused]").await;
    s.keyboard_logout().await;

    // The public: the programme with all four verdicts, and no contact details.
    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        s.visit(
            &format!("[{lang} eval list]"),
            "/evaluation?year=2026&sort=cost_desc",
        )
        .await;
        let programme = s.link_in_row("行政評価システム運営", 0).await;
        s.visit(&format!("[{lang} eval programme]"), &programme)
            .await;
        let text = s.body_text().await;
        for v in [
            "ブラウザから提出した一次評価",
            "ブラウザの二次評価",
            "ブラウザの外部評価",
            "ブラウザの最終決定",
        ] {
            assert!(text.contains(v), "[{lang}] programme page lacks {v}");
        }
        assert!(!text.contains("ブラウザ 太郎") && !text.contains("0242-39-7777"));
        s.open("/evaluation?year=2026").await;
        let policy = s.link_in_row("行政評価システム運営", 0).await;
        assert!(policy.starts_with("/evaluation/programmes/"));
        s.visit(&format!("[{lang} eval policy]"), "/evaluation")
            .await;
    }
    // A 施策 page from the HQ's rollup.
    s.set_lang("ja").await;
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open(&cycle).await;
    let policy = s.link_in_row("行政改革の推進", 0).await;
    s.keyboard_logout().await;
    s.visit("[ja eval policy page]", &policy).await;
    assert!(s.body_text().await.contains("施策を構成する事務事業"));
}

/// The HQ imports a city's own workbook from the import pages: a title row above the header, its
/// own headers (mapped by choosing them), a direction to translate, a fractional amount to round
/// and an earlier year's block (shown in the preview as the earlier sheet it fills).
async fn import_flow(s: &mut Session, cycle: &str) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "令和8年度 事務事業評価一覧").unwrap();
    let header = [
        "事業ID",
        "事業名称",
        "担当課",
        "今後の方向性",
        "令和8年度決算 一般財源",
        "令和6年度決算 一般財源",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    ws.write_string(2, 0, "8001").unwrap();
    ws.write_string(2, 1, "ブラウザで取り込んだ事業").unwrap();
    ws.write_string(2, 2, "企画調整課").unwrap();
    ws.write_string(2, 3, "１　現状維持").unwrap();
    ws.write_number(2, 4, 1200.5).unwrap();
    ws.write_number(2, 5, 900.0).unwrap();
    let path =
        std::env::temp_dir().join(format!("kyodo-browser-import-{}.xlsx", std::process::id()));
    wb.save(&path).unwrap();
    s.open(&format!("{cycle}/import")).await;
    s.c.find(Locator::Css("#f-file"))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    s.click("form[action$='/import'] button[type=submit]").await;
    assert!(s.path().await.starts_with("/hq/evaluation/imports/"));
    assert!(
        s.body_text()
            .await
            .contains("2行目を見出しとして読みました")
    );
    s.axe("[ja eval import review]").await;
    for (field, header) in [
        ("code", "事業ID"),
        ("name", "事業名称"),
        ("department", "担当課"),
        ("direction", "今後の方向性"),
    ] {
        select(s, &format!("#f-map_{field}"), header).await;
    }
    s.click("button[value=check]").await;
    let text = s.body_text().await;
    assert!(
        text.contains("値の読み替え") && text.contains("千円単位の整数"),
        "{text}"
    );
    s.axe("[ja eval import translation]").await;
    select(s, "#f-tc_direction_0", "continue").await;
    s.click("input[name=round]").await;
    s.click("button[value=check]").await;
    let text = s.body_text().await;
    assert!(text.contains("1個のセルを四捨五入します"), "{text}");
    assert!(text.contains("過去の年度のシート"), "{text}");
    s.axe("[ja eval import preview]").await;
    s.click("button[value=apply]").await;
    let text = s.body_text().await;
    assert!(text.contains("1事業を取り込みました"), "{text}");
    s.axe("[ja eval import report]").await;
    let _ = std::fs::remove_file(&path);
}
