//! Surveys in Chromium: a citizen answers the open survey with the keyboard alone (after a rejected
//! empty submission), a hostile free-text answer shows as text on the results page, the browser is
//! then told it has answered; every results page (portfolio, trend, cross-tabulation) in both
//! languages. axe runs on each page.

use super::*;

const PAYLOAD: &str = "<img src=x onerror=\"window.__xss=1\">一言";

async fn hrefs(s: &Session, css: &str) -> Vec<String> {
    let script =
        format!("return [...document.querySelectorAll({css:?})].map(a => a.getAttribute('href'));");
    s.c.execute(&script, vec![])
        .await
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

pub async fn flow(s: &mut Session) {
    s.set_lang("ja").await;
    s.visit("[ja surveys]", "/surveys").await;
    let answer = hrefs(s, "main a[href^='/surveys/']:not([href$='/results'])").await;
    let form = answer.first().expect("an open survey to answer").clone();
    let results = hrefs(s, "main a[href$='/results']").await;
    assert!(results.len() >= 3, "{results:?}");

    // An empty submission: every required question is marked and listed in the summary.
    s.visit("[ja survey form]", &form).await;
    s.click("form.survey-form button[type=submit]").await;
    let text = s.body_text().await;
    assert!(text.contains("入力してください"), "{text}");
    s.axe("[ja survey errors]").await;

    // Keyboard only: the first option of every required choice, a word in the free text, send.
    s.open(&form).await;
    let required: Vec<String> =
        s.c.execute(
            "return [...document.querySelectorAll('section.question')] \
               .filter(q => q.querySelector('.required') && q.querySelector('input[type=radio]')) \
               .map(q => q.querySelector('input[type=radio]').id);",
            vec![],
        )
        .await
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    assert!(required.len() >= 3, "{required:?}");
    s.press(Key::Tab).await;
    for id in &required {
        s.tab_to(id).await;
        s.press(Key::Space).await;
    }
    let free_text: String =
        s.c.execute(
            "return [...document.querySelectorAll('section.question input[type=text]')].pop().id",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    s.tab_to(&free_text).await;
    s.type_text(PAYLOAD).await;
    s.tab_to("回答を送信する").await;
    s.press(Key::Enter).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let text = s.body_text().await;
    assert!(
        text.contains("ご回答ありがとうございました"),
        "keyboard answer failed: {text}"
    );
    s.axe("[ja survey thanks]").await;

    // The public results count the written answer without showing it.
    s.visit("[ja survey results]", &format!("{form}/results"))
        .await;
    assert!(
        !s.body_text().await.contains(PAYLOAD),
        "written answers are for the HQ only"
    );
    // The browser has answered: the form says so instead of asking again.
    s.visit("[ja survey answered]", &form).await;
    assert!(s.body_text().await.contains("すでに回答いただいています"));

    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        for page in &results {
            s.visit(&format!("[{lang} survey results]"), page).await;
            let has_attributes =
                s.c.execute("return !!document.querySelector('#f-by')", vec![])
                    .await
                    .unwrap();
            if has_attributes == true {
                s.c.execute(
                    "const by = document.querySelector('#f-by'); by.selectedIndex = 1; by.form.submit();",
                    vec![],
                )
                .await
                .unwrap();
                tokio::time::sleep(Duration::from_millis(300)).await;
                assert!(
                    s.c.current_url()
                        .await
                        .unwrap()
                        .query()
                        .unwrap_or("")
                        .contains("by=")
                );
                s.axe(&format!("[{lang} survey cross-tabulation]")).await;
            }
        }
    }
    let text = s.body_text().await;
    assert!(text.contains("Respondents"), "English results: {text}");
    s.set_lang("ja").await;

    // The HQ builds a survey: create (after a rejected empty form), add a question with the
    // keyboard, then the paper entry page of the demo wave.
    s.keyboard_login("hq@demo.kyodo.jp").await;
    // The HQ reads the hostile written answer as text: it never becomes an element (the CSP would
    // stop its handler anyway, so the DOM is what shows the escaping).
    s.visit("[ja hq survey results]", &format!("{form}/results"))
        .await;
    assert!(
        s.body_text().await.contains(PAYLOAD),
        "written answer listed for the HQ"
    );
    let parsed =
        s.c.execute(
            "return document.querySelector('img[onerror]') !== null",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        parsed,
        Value::from(false),
        "a survey answer became an element"
    );
    s.visit("[ja hq surveys]", "/hq/surveys").await;
    s.click("form[action='/hq/surveys'] button").await;
    s.axe("[ja hq new survey errors]").await;
    s.fill("#f-title", "ブラウザで作るアンケート").await;
    s.fill("#f-fiscal_year", "令和8年度").await;
    s.click("form[action='/hq/surveys'] button").await;
    let builder = s.path().await;
    assert!(builder.starts_with("/hq/surveys/"), "{builder}");
    s.axe("[ja survey builder]").await;
    s.tab_to("f-label").await;
    s.type_text("窓口の案内はわかりやすかったですか").await;
    s.tab_to("f-options").await;
    s.type_text("はい").await;
    s.press(Key::Enter).await;
    s.type_text("いいえ").await;
    s.tab_to("設問を追加する").await;
    s.press(Key::Enter).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        s.body_text()
            .await
            .contains("窓口の案内はわかりやすかったですか"),
        "keyboard question"
    );
    s.axe("[ja survey builder with a question]").await;
    s.open("/hq/surveys").await;
    let paper = hrefs(s, "main a[href$='/paper']").await;
    assert!(!paper.is_empty(), "the demo surveys can take paper answers");
    s.visit("[ja paper entry]", &paper[0]).await;
    s.keyboard_logout().await;
}
