//! Surveys (市民意識調査 and questionnaires), as the pages and routes of web/pages/surveys/.

mod answering;
mod building;
mod pages;
mod results;

use crate::support::*;

/// (public survey, first wave, second wave) of the demo organization (the 窓口's form, a survey of
/// audience `form`, is no survey).
async fn demo_surveys(t: &TestApp) -> (i64, i64, i64) {
    let org = t.demo_org().await;
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, audience, fiscal_year FROM surveys WHERE organization_id = $1 AND is_demo = 1 AND audience <> 'form' ORDER BY fiscal_year",
    )
    .bind(org)
    .fetch_all(&t.app.db)
    .await
    .unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let public = rows.iter().find(|r| r.1 == "public").unwrap().0;
    let waves: Vec<i64> = rows
        .iter()
        .filter(|r| r.1 == "codes")
        .map(|r| r.0)
        .collect();
    (public, waves[0], waves[1])
}

/// (question id, kind, label) in order, and option ids by question.
async fn questions(t: &TestApp, survey: i64) -> Vec<(i64, String, String)> {
    sqlx::query_as(
        "SELECT id, kind, label FROM survey_questions WHERE survey_id = $1 ORDER BY position",
    )
    .bind(survey)
    .fetch_all(&t.app.db)
    .await
    .unwrap()
}

async fn options(t: &TestApp, question: i64) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, label FROM survey_options WHERE question_id = $1 ORDER BY position")
        .bind(question)
        .fetch_all(&t.app.db)
        .await
        .unwrap()
}

pub(crate) fn nonce_in(body: &str) -> String {
    body.split(r#"name="nonce" value=""#)
        .nth(1)
        .expect("form has a nonce")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

pub(crate) fn id_in_location(res: &Res) -> i64 {
    res.location()
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}
