//! Building and answering surveys in Chromium: the HQ builds a survey with every question kind, a
//! section (page break) and a condition through the builder's form and opens it; a citizen answers
//! it page by page (after a rejected empty page); the HQ reads its results, portfolio and
//! cross-tabulation. Then an invitation-code survey: codes generated from the builder, a
//! respondent answers with a code and is refused the second time; the HQ keys in a paper
//! questionnaire with digits and the keyboard alone. axe runs on every page.

use super::*;

/// Fills the builder's add-question form (field name → value; `show_if` by the text of the choice)
/// and sends it; the question must be accepted.
async fn add(s: &mut Session, fields: Value) {
    let script = r#"const [v] = arguments; const f = document.querySelector("form[action$='/questions']");
        for (const [k, x] of Object.entries(v)) {
          const el = f.elements[k];
          if (k === 'show_if') el.value = [...el.options].find(o => o.text.includes(x)).value;
          else if (el.type === 'checkbox') el.checked = true;
          else el.value = x;
        }
        f.querySelector('button[type=submit]').click();"#;
    s.c.execute(script, vec![fields.clone()]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    let text = s.body_text().await;
    assert!(
        !text.contains("入力内容を確認してください"),
        "{fields}: {text}"
    );
}

/// Creates a survey from the HQ's list page and returns the builder's path.
async fn create(s: &mut Session, title: &str, audience: &str) -> String {
    s.open("/hq/surveys").await;
    s.fill("#f-title", title).await;
    s.fill("#f-fiscal_year", "令和8年度").await;
    s.c.execute(
        "document.querySelector('#f-audience').value = arguments[0];",
        vec![Value::from(audience)],
    )
    .await
    .unwrap();
    s.click("form[action='/hq/surveys'] button").await;
    let path = s.path().await;
    assert!(path.starts_with("/hq/surveys/"), "{path}");
    path
}

/// Answers every question on the page: the first choice of each group (rank k for the k-th item of
/// a ranking), and a fitting text in each text field.
async fn answer_page(s: &Session) {
    s.c.execute(
        r#"for (const q of document.querySelectorAll('section.question')) {
             const title = q.querySelector('.question-title').textContent;
             q.querySelectorAll('fieldset').forEach((fs, k) =>
               fs.querySelectorAll('input')[title.includes('順位') ? k : 0].click());
             const t = q.querySelector('input[type=text], textarea');
             if (t) t.value = title.includes('日付') ? '令和8年4月1日' : title.includes('人数') ? '3' : '回答です';
           }"#,
        vec![],
    )
    .await
    .unwrap();
}

async fn press_button(s: &Session, value: &str) {
    s.click(&format!("form.survey-form button[value={value}]"))
        .await;
    tokio::time::sleep(Duration::from_millis(250)).await;
}

pub async fn flow(s: &mut Session) {
    s.set_lang("ja").await;
    s.keyboard_login("hq@demo.kyodo.jp").await;
    let builder = create(s, "全種類の設問のアンケート", "public").await;
    let yes = "窓口を利用しましたか = はい";
    for q in [
        json!({"kind": "single", "label": "お住まいの地区", "options": "北地区\n南地区", "required": "1", "attribute": "1"}),
        json!({"kind": "single", "label": "窓口を利用しましたか", "options": "はい\nいいえ", "required": "1"}),
        json!({"kind": "multi", "label": "知っている制度", "options": "電子申請\n施設予約\n市民の声", "max_choices": "2"}),
        json!({"kind": "text", "label": "一言"}),
        json!({"kind": "long_text", "label": "ご意見"}),
        json!({"kind": "number", "label": "世帯の人数"}),
        json!({"kind": "date", "label": "最後に来庁した日付"}),
        json!({"kind": "scale", "label": "窓口の満足度", "required": "1"}),
        json!({"kind": "section", "label": "施策について", "help": "市の取組の重要度と満足度をお聞きします。"}),
        json!({"kind": "pair", "label": "子育て支援", "subject": "子育て支援", "required": "1"}),
        json!({"kind": "matrix_single", "label": "施設の評価", "rows": "図書館\n体育館", "options": "良い\n普通\n悪い"}),
        json!({"kind": "matrix_multi", "label": "使う時間帯", "rows": "平日\n休日", "options": "午前\n午後"}),
        json!({"kind": "ranking", "label": "優先してほしい順位", "options": "道路\n公園\n福祉"}),
        json!({"kind": "text", "label": "利用した窓口", "required": "1", "show_if": yes}),
    ] {
        add(s, q).await;
    }
    let text = s.body_text().await;
    assert!(
        text.contains("利用した窓口") && text.contains("― ページ区切り ―"),
        "{text}"
    );
    s.axe("[ja survey builder, every kind]").await;
    let id = builder.rsplit('/').next().unwrap().to_string();
    s.visit("[ja survey preview]", &format!("/surveys/{id}"))
        .await;
    s.open(&builder).await;
    s.click("form[action$='/status'] button").await;
    s.keyboard_logout().await;

    // A citizen: an empty first page is refused beside its questions, then page by page.
    let form = format!("/surveys/{id}");
    s.visit("[ja paged survey page 1]", &form).await;
    assert!(s.body_text().await.contains("1 / 2 ページ"));
    press_button(s, "next").await;
    assert!(s.body_text().await.contains("入力してください"));
    s.axe("[ja paged survey errors]").await;
    answer_page(s).await;
    press_button(s, "next").await;
    let text = s.body_text().await;
    assert!(
        text.contains("2 / 2 ページ") && text.contains("利用した窓口"),
        "the condition holds: {text}"
    );
    s.axe("[ja paged survey page 2]").await;
    answer_page(s).await;
    press_button(s, "send").await;
    let text = s.body_text().await;
    assert!(text.contains("ご回答ありがとうございました"), "{text}");

    // The HQ: results with the portfolio, and the cross-tabulation by district.
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.visit("[ja built survey results]", &format!("{form}/results"))
        .await;
    let text = s.body_text().await;
    assert!(text.contains("子育て支援") && text.contains("優先してほしい順位"));
    let by: String =
        s.c.execute(
            "return document.querySelector('#f-by option:nth-child(2)').value",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    s.visit(
        "[ja built survey cross-tabulation]",
        &format!("{form}/results?by={by}"),
    )
    .await;
    assert!(s.body_text().await.contains("北地区"));

    // Invitation codes: generated from the builder's form (the CSV is the only copy).
    let builder = create(s, "市民意識調査(ブラウザ)", "codes").await;
    add(
        s,
        json!({"kind": "scale", "label": "住みやすさ", "required": "1"}),
    )
    .await;
    s.click("form[action$='/status'] button").await;
    let csv =
        s.c.execute_async(
            r#"const done = arguments[arguments.length - 1];
               const f = document.querySelector("form[action$='/codes']");
               f.elements.count.value = '2';
               fetch(f.action, {method: 'POST', body: new URLSearchParams(new FormData(f))})
                 .then(r => r.text()).then(done);"#,
            vec![],
        )
        .await
        .unwrap();
    // The demo organization's CSV starts with its demo row, then the header, then the codes.
    let text = csv.as_str().unwrap();
    assert!(text.contains(kyodo::web::demo_marks::DEMO_ROW), "{text}");
    let code = text
        .lines()
        .nth(2)
        .and_then(|l| l.split(',').next())
        .expect("a generated code")
        .to_string();
    let id = builder.rsplit('/').next().unwrap().to_string();
    s.keyboard_logout().await;
    let form = format!("/surveys/{id}");
    for attempt in 0..2 {
        s.open(&format!("{form}?code={code}")).await;
        answer_page(s).await;
        press_button(s, "send").await;
        let text = s.body_text().await;
        if attempt == 0 {
            assert!(text.contains("ご回答ありがとうございました"), "{text}");
        } else {
            assert!(text.contains("この招待コードは使えません"), "{text}");
            s.axe("[ja code refused]").await;
        }
    }

    // Paper entry of the same survey: saved, and the page is ready for the next sheet.
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.visit(
        "[ja paper entry, built survey]",
        &format!("/hq/surveys/{id}/paper"),
    )
    .await;
    // Fast entry: the level typed as a digit, Enter saves.
    let field: String =
        s.c.execute(
            "return document.querySelector('form.survey-form input[inputmode=numeric]').id",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    s.tab_to(&field).await;
    s.type_text("4").await;
    s.press(Key::Enter).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(s.path().await.ends_with("/paper"));
    assert!(s.body_text().await.contains("1件保存しました"));
    s.axe("[ja paper entry saved]").await;
    s.visit("[ja codes survey builder]", &builder).await;
    assert!(
        s.body_text().await.contains("回答者数 2"),
        "the coded and the paper answer are counted"
    );
    s.keyboard_logout().await;
}
