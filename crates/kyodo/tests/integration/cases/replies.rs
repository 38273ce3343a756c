//! Working a case: 定型文 — the HQ keeps reply templates with a kind of case (a blank one refused
//! beside its fields, nothing stored), staff start an answer from one by its link (the case's
//! number and subject filled in), a removed template is gone — and 担当者, named among the active
//! staff of the case's department (anyone else refused beside the field).

use super::*;
use axum::http::StatusCode;

fn answer_box(body: &str) -> String {
    let from = body.find("id=\"f-answer\"").unwrap();
    let from = from + body[from..].find('>').unwrap() + 1;
    body[from..from + body[from..].find("</textarea>").unwrap()].to_string()
}

#[tokio::test]
async fn staff_start_an_answer_from_the_kinds_reply_template() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let (case, number, _) = send(
            &t,
            &mut guest,
            &v,
            v.fields("要望", "その他", "公園のベンチ", "ベンチを増やしてほしい。"),
        )
        .await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let kind = format!("/hq/cases/{}", v.type_id);
        assert!(
            hq.get(&kind).await.body.contains("対応済みのお知らせ"),
            "the demo's templates"
        );
        let count = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM case_reply_templates WHERE organization_id = $1",
            )
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap()
        };
        let before = count().await;
        let res = hq
            .post(
                &format!("{kind}/templates"),
                &[("template_title", " "), ("template_body", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(
            res.body.contains("id=\"e-template_title\"")
                && res.body.contains("id=\"e-template_body\""),
            "{}",
            res.body
        );
        assert_eq!(count().await, before, "nothing stored");
        let res = hq
            .post(
                &format!("{kind}/templates"),
                &[
                    ("template_title", "資料送付"),
                    (
                        "template_body",
                        "{整理番号}「{件名}」の資料をお送りします。",
                    ),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id: i64 = sqlx::query_scalar(
            "SELECT id FROM case_reply_templates WHERE organization_id = $1 AND title = '資料送付'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();

        let page = hq.get(&format!("/staff/cases/{case}")).await.body;
        assert!(
            page.contains(&format!(
                "href=\"/staff/cases/{case}?template={id}#answer\""
            )),
            "{page}"
        );
        assert_eq!(answer_box(&page), "", "no template chosen");
        let page = hq
            .get(&format!("/staff/cases/{case}?template={id}"))
            .await
            .body;
        assert_eq!(
            answer_box(&page),
            format!("{number}「公園のベンチ」の資料をお送りします。")
        );
        let page = hq
            .get(&format!("/staff/cases/{case}?template=12345"))
            .await
            .body;
        assert_eq!(answer_box(&page), "", "not one of the kind's templates");

        let remove = format!("{kind}/templates/remove");
        let res = hq
            .post(&remove, &[("template", id.to_string().as_str())])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(!hq.get(&kind).await.body.contains("資料送付"));
        let res = hq
            .post(&remove, &[("template", id.to_string().as_str())])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(count().await, before);
        t
    })
    .await;
}

#[tokio::test]
async fn the_assignee_is_named_among_the_cases_department_staff() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let (case, _, _) = send(
            &t,
            &mut guest,
            &v,
            v.fields("要望", "その他", "街灯", "街灯が切れています。"),
        )
        .await;
        let dept: i64 = sqlx::query_scalar(
            "SELECT department_id FROM cases WHERE organization_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(case)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let user = |email: &'static str| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT id FROM users WHERE organization_id = $1 AND email = $2",
                )
                .bind(org)
                .bind(email)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        let (staff, citizen) = (
            user("staff@demo.kyodo.jp").await,
            user("citizen@demo.kyodo.jp").await,
        );
        // staff@ works in the case's department; admin@ (staff too) in none of it.
        for (email, d) in [
            ("staff@demo.kyodo.jp", Some(dept)),
            ("admin@demo.kyodo.jp", None),
        ] {
            sqlx::query(
                "UPDATE users SET department_id = $3 WHERE organization_id = $1 AND email = $2",
            )
            .bind(org)
            .bind(email)
            .bind(d)
            .execute(&t.app.db)
            .await
            .unwrap();
        }
        let admin = user("admin@demo.kyodo.jp").await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let page = hq.get(&format!("/staff/cases/{case}")).await.body;
        assert!(
            page.contains(&format!("<option value=\"{staff}\"")),
            "{page}"
        );
        assert!(
            !page.contains(&format!("<option value=\"{admin}\"")),
            "{page}"
        );
        let take = format!("/staff/cases/{case}/take");
        for bad in [citizen.to_string(), admin.to_string(), "誰か".to_string()] {
            let res = hq.post(&take, &[("assignee", bad.as_str())]).await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{bad}: {}",
                res.body
            );
            assert!(res.body.contains("id=\"e-assignee\""), "{}", res.body);
        }
        let assignee = || async {
            sqlx::query_scalar::<_, Option<i64>>(
                "SELECT assignee_id FROM cases WHERE organization_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(case)
            .fetch_one(&t.app.db)
            .await
            .unwrap()
        };
        assert_eq!(assignee().await, None, "nothing saved by a bad choice");
        let res = hq
            .post(&take, &[("assignee", staff.to_string().as_str())])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(assignee().await, Some(staff));
        let page = hq.get(&format!("/staff/cases/{case}")).await.body;
        assert!(
            page.contains(&format!("<option value=\"{staff}\" selected")),
            "{page}"
        );
        t
    })
    .await;
}
