//! The HQ sets up a kind of case: refused settings beside their fields, a duplicate short name
//! refused, the empty form built with the survey builder, a routing rule added — and a case sent
//! through the new kind goes to the rule's department with the new kind's number and deadline.

use super::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_hq_sets_up_a_kind_of_case_that_routes_by_answer() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        assert_eq!(hq.get("/hq/cases").await.status, StatusCode::OK);
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(staff.get("/hq/cases").await.status, StatusCode::FORBIDDEN);

        let bad = [("name", "証明書の郵送請求"), ("code", "証明-郵送"), ("audience", "public"), ("deadline_days", "０")];
        let res = hq.post("/hq/cases", &bad).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-code\"") && res.body.contains("id=\"e-deadline_days\""), "{}", res.body);
        assert!(res.body.contains("value=\"証明書の郵送請求\""), "typed text kept");
        let res = hq.post("/hq/cases", &[("name", "重複"), ("code", "市民の声"), ("audience", "public"), ("deadline_days", "5")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("すでに使われています"), "{}", res.body);

        let good = [("name", "証明書の郵送請求"), ("code", "郵送請求"), ("audience", "public"), ("deadline_days", "１５"), ("description", "住民票の写しなどを郵送で請求できます。")];
        let res = hq.post("/hq/cases", &good).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let type_id: i64 = res.location().rsplit('/').next().unwrap().parse().unwrap();
        let (survey, deadline): (i64, i64) = sqlx::query_as("SELECT form_survey_id, deadline_days FROM case_types WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(type_id)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(deadline, 15);
        // The form is built with the survey builder; it never opens as a survey.
        let res = hq
            .post(&format!("/hq/surveys/{survey}/questions"), &[("kind", "single"), ("label", "請求する証明書"), ("options", "住民票の写し\n戸籍謄本"), ("required", "1")])
            .await;
        assert!(res.status.is_redirection(), "{}", res.body);
        let res = hq.post(&format!("/hq/surveys/{survey}/status"), &[("status", "open")]).await;
        assert!(res.status.is_client_error(), "a form stays a draft: {}", res.status);
        assert!(!t.client().get("/surveys").await.body.contains("証明書の郵送請求 入力フォーム"));

        // A rule: 戸籍謄本 → 総務課. A choice not of this form is refused beside its field.
        let page = hq.get(&format!("/hq/cases/{type_id}")).await;
        assert!(page.body.contains("設問 1 問"), "{}", page.body);
        let choice = {
            let from = page.body.find("戸籍謄本").unwrap();
            let before = &page.body[..from];
            let v = before.rfind("value=\"").unwrap() + 7;
            before[v..v + before[v..].find('"').unwrap()].to_string()
        };
        let general: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE organization_id = $1 AND code = '210'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let res = hq.post(&format!("/hq/cases/{type_id}/routes"), &[("choice", "1-2"), ("route_department", &general.to_string())]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-choice\""));
        let res = hq.submit(&format!("/hq/cases/{type_id}/routes"), &[("choice", &choice), ("route_department", &general.to_string())]).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("請求する証明書: 戸籍謄本"), "{}", res.body);

        // A case of the new kind goes to 総務課, numbered in its own series.
        let option = choice.split_once('-').unwrap().1.to_string();
        let question = choice.split_once('-').unwrap().0.to_string();
        let res = t.client().post(&format!("/cases/types/{type_id}"), &[(&format!("q{question}"), option.as_str())]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.body.contains("-郵送請求-00001"), "{}", res.body);
        let dept: i64 = sqlx::query_scalar("SELECT department_id FROM cases WHERE organization_id = $1 AND type_id = $2")
            .bind(org)
            .bind(type_id)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(dept, general);
        t
    })
    .await;
}
