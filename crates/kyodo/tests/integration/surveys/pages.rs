//! Sections and pages (見出し・改ページ): the builder lists them unnumbered, answering goes page by
//! page without JavaScript (each page checked when left, hidden pages skipped, answers carried),
//! sending returns to the first page with a problem, a draft resumes on its page, and a copied
//! wave keeps the sections in place — on both backends.

use crate::support::*;
use axum::http::StatusCode;

/// Posts the builder's add-question form; the question or section must be accepted.
async fn add(hq: &mut Client, id: i64, fields: &[(&str, &str)]) {
    let res = hq
        .post(&format!("/hq/surveys/{id}/questions"), fields)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// Rows of the survey in order: (id, kind).
async fn rows(t: &TestApp, survey: i64) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, kind FROM survey_questions WHERE survey_id = $1 ORDER BY position")
        .bind(survey)
        .fetch_all(&t.app.db)
        .await
        .unwrap()
}

fn hidden(body: &str, name: &str) -> Option<String> {
    body.split(&format!(r#"type="hidden" name="{name}" value=""#))
        .nth(1)
        .map(|r| r.split('"').next().unwrap().to_string())
}

/// Posts one page: the given answers plus the page's hidden fields (nonce, page, carried answers).
async fn post_page(
    c: &mut Client,
    id: i64,
    page: &str,
    nav: &str,
    answers: &[(&str, &str)],
) -> Res {
    let mut fields: Vec<(String, String)> = Vec::new();
    for chunk in page.split(r#"type="hidden" name=""#).skip(1) {
        let name = chunk.split('"').next().unwrap().to_string();
        let value = chunk
            .split(r#"value=""#)
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or("");
        if name != "csrf" && !answers.iter().any(|(k, _)| *k == name) {
            fields.push((name, value.to_string()));
        }
    }
    fields.extend(answers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    if !nav.is_empty() {
        fields.push(("nav".into(), nav.into()));
    }
    c.submit_owned(&format!("/surveys/{id}"), &fields).await
}

#[tokio::test]
async fn a_sectioned_survey_is_answered_page_by_page_and_copied_with_its_sections() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post(
                "/hq/surveys",
                &[("title", "公共施設の利用"), ("fiscal_year", "2026"), ("audience", "public")],
            )
            .await;
        let id: i64 = res.location().rsplit('/').next().unwrap().parse().unwrap();
        add(&mut hq, id, &[("kind", "single"), ("label", "施設を使いましたか"), ("options", "はい\nいいえ"), ("required", "1")]).await;
        // A section needs a heading; the refusal is beside the field.
        let res = hq
            .post(&format!("/hq/surveys/{id}/questions"), &[("kind", "section"), ("label", " ")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains(r#"id="e-label""#));
        add(&mut hq, id, &[("kind", "section"), ("label", "利用した施設について"), ("help", "使った方だけにお聞きします。")]).await;
        let q1 = rows(&t, id).await[0].0;
        let (yes, no): (i64, i64) = {
            let o: Vec<(i64,)> = sqlx::query_as("SELECT id FROM survey_options WHERE question_id = $1 ORDER BY position")
                .bind(q1)
                .fetch_all(&t.app.db)
                .await
                .unwrap();
            (o[0].0, o[1].0)
        };
        add(&mut hq, id, &[("kind", "text"), ("label", "使った施設の名前"), ("required", "1"), ("show_if", &format!("{q1}-{yes}"))]).await;
        add(&mut hq, id, &[("kind", "section"), ("label", "最後に")]).await;
        add(&mut hq, id, &[("kind", "scale"), ("label", "市の施設の満足度"), ("required", "1")]).await;
        let all = rows(&t, id).await;
        let kinds: Vec<&str> = all.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(kinds, ["single", "section", "text", "section", "scale"]);
        let (q2, q3) = (all[2].0, all[4].0);
        let builder = hq.get(&format!("/hq/surveys/{id}")).await.body;
        assert_eq!(builder.matches(r#"class="section-row""#).count(), 2);
        assert!(builder.contains("<td>3</td><th scope=\"row\">市の施設の満足度"), "questions keep numbers 1–3");
        // The draft's preview shows every page with its headings.
        let preview = hq.get(&format!("/surveys/{id}")).await.body;
        assert!(preview.contains("利用した施設について") && preview.contains("市の施設の満足度"));
        hq.post(&format!("/hq/surveys/{id}/status"), &[("status", "open")]).await;

        let mut c = t.client();
        let p1 = c.get(&format!("/surveys/{id}")).await.body;
        assert!(p1.contains("1 / 3 ページ") && p1.contains("次のページへ"));
        assert!(!p1.contains("使った施設の名前") && !p1.contains(r#"value="send""#));
        // Next checks the page being left.
        let res = post_page(&mut c, id, &p1, "next", &[]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains(&format!(r#"id="e-q{q1}""#)) && res.body.contains("1 / 3 ページ"));
        let q1f = format!("q{q1}");
        let (yes_s, no_s) = (yes.to_string(), no.to_string());
        let p2 = post_page(&mut c, id, &p1, "next", &[(&q1f, &yes_s)]).await;
        assert_eq!(p2.status, StatusCode::OK);
        assert!(p2.body.contains("2 / 3 ページ") && p2.body.contains("使った方だけにお聞きします。"));
        assert_eq!(hidden(&p2.body, &q1f), Some(yes_s.clone()), "page 1's answer travels along");
        assert!(p2.body.contains("前のページへ戻る"));
        let res = post_page(&mut c, id, &p2.body, "next", &[]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains(&format!(r#"id="e-q{q2}""#)));
        // Back checks nothing and shows page 1 with its answer chosen.
        let back = post_page(&mut c, id, &p2.body, "back", &[]).await;
        assert!(back.body.contains("1 / 3 ページ"));
        assert!(back.body.contains(&format!(r#"value="{yes}" checked"#)));
        // いいえ hides the only question of page 2: it is skipped.
        let p3 = post_page(&mut c, id, &back.body, "next", &[(&q1f, &no_s)]).await;
        assert!(p3.body.contains("3 / 3 ページ") && p3.body.contains(r#"value="send""#), "{}", p3.body);
        let res = post_page(&mut c, id, &p3.body, "back", &[]).await;
        assert!(res.body.contains("1 / 3 ページ"), "back skips the hidden page too");
        // Sending with an earlier page's problem returns to that page, answers kept.
        let q2f = format!("q{q2}");
        let q3f = format!("q{q3}");
        let mut crafted = p3.body.replace(&format!(r#"name="{q1f}" value="{no}""#), &format!(r#"name="{q1f}" value="{yes}""#));
        crafted = crafted.replace("次のページへ", "");
        let res = post_page(&mut c, id, &crafted, "send", &[(&q3f, "4")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("2 / 3 ページ") && res.body.contains(&format!(r#"id="e-q{q2}""#)));
        assert_eq!(hidden(&res.body, &q3f), Some("4".into()));
        assert!(res.body.contains(r#"value="next""#));
        let res = post_page(&mut c, id, &res.body, "next", &[(&q2f, "鶴ヶ城体育館")]).await;
        assert!(res.body.contains("3 / 3 ページ") && res.body.contains(r#"value="4" checked"#));
        let res = post_page(&mut c, id, &res.body, "send", &[(&q3f, "4")]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.body.contains("ご回答ありがとうございました"), "{}", res.body);
        let stored: Vec<(i64, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT question_id, value_text, level FROM survey_answers WHERE survey_id = $1 ORDER BY question_id",
        )
        .bind(id)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        assert_eq!(stored.len(), 3, "{stored:?}");
        assert!(stored.iter().any(|a| a.0 == q2 && a.1.as_deref() == Some("鶴ヶ城体育館")));
        assert!(stored.iter().any(|a| a.0 == q3 && a.2 == Some(4)));

        // A draft saved on page 3 resumes on page 3.
        let mut d = t.client();
        let p1 = d.get(&format!("/surveys/{id}")).await.body;
        let p3 = post_page(&mut d, id, &p1, "next", &[(&q1f, &no_s)]).await;
        let saved = post_page(&mut d, id, &p3.body, "", &[(&q3f, "2"), ("save_later", "1")]).await;
        let link = saved.body.split(&format!("href=\"/surveys/{id}?resume=")).nth(1).unwrap().split('"').next().unwrap().to_string();
        let resumed = d.get(&format!("/surveys/{id}?resume={link}")).await.body;
        assert!(resumed.contains("3 / 3 ページ"), "{resumed}");
        assert!(resumed.contains(r#"value="2" checked"#));

        // Results and exports know only questions.
        let csv = demo_csv(&hq.get(&format!("/hq/surveys/{id}/responses.csv")).await);
        let header = csv.lines().next().unwrap();
        assert!(header.contains("Q3 市の施設の満足度") && !header.contains("最後に"), "{header}");
        let results = t.client().get(&format!("/surveys/{id}/results")).await.body;
        assert!(results.contains("市の施設の満足度"));
        assert!(
            results.contains("<strong>最後に</strong>"),
            "results keep the section headings"
        );
        // Paper entry shows every page at once.
        let paper = hq.get(&format!("/hq/surveys/{id}/paper")).await.body;
        assert!(paper.contains("最後に") && paper.contains("使った施設の名前") && !paper.contains("ページ</p>"));

        // A copied wave keeps its sections in place.
        let res = hq.post(&format!("/hq/surveys/{id}/copy"), &[("fiscal_year", "2027")]).await;
        let copy: i64 = res.location().rsplit('/').next().unwrap().parse().unwrap();
        let kinds: Vec<String> = rows(&t, copy).await.into_iter().map(|r| r.1).collect();
        assert_eq!(kinds, ["single", "section", "text", "section", "scale"]);
        t
    })
    .await;
}
