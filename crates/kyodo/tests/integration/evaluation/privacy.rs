//! Public pages, open data and sheet files carry no staff names or phone numbers — on both backends.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn public_pages_and_open_data_carry_no_staff_names_or_phones() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut pages = vec![
            "/evaluation".to_string(),
            "/evaluation?sort=cost_desc".to_string(),
        ];
        let programmes: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM programmes WHERE organization_id = $1")
                .bind(org)
                .fetch_all(&t.app.db)
                .await
                .unwrap();
        pages.extend(
            programmes
                .iter()
                .map(|p| format!("/evaluation/programmes/{p}")),
        );
        let measures: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM policy_nodes WHERE organization_id = $1 AND level = 'measure'",
        )
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        pages.extend(measures.iter().map(|m| format!("/evaluation/policies/{m}")));
        let cycles: Vec<(i64, i64)> =
            sqlx::query_as("SELECT id, published FROM eval_cycles WHERE organization_id = $1")
                .bind(org)
                .fetch_all(&t.app.db)
                .await
                .unwrap();
        for (id, published) in &cycles {
            let path = format!("/evaluation/cycles/{id}/programmes.csv");
            if *published == 0 {
                assert_eq!(
                    t.client().get(&path).await.status,
                    StatusCode::NOT_FOUND,
                    "unpublished years are not open data"
                );
            } else {
                pages.push(path);
            }
        }
        let staff_names: Vec<String> = sqlx::query_scalar(
            "SELECT display_name FROM users WHERE organization_id = $1 AND kind = 'staff'",
        )
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        let contacts: Vec<(String, String)> = sqlx::query_as(
            "SELECT contact_name, contact_phone FROM eval_sheets WHERE organization_id = $1",
        )
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        assert!(
            contacts.iter().all(|(n, p)| !n.is_empty() && !p.is_empty()),
            "the demo has contacts to leak"
        );
        let mut c = t.client();
        for path in &pages {
            let res = c.get(path).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
            for (name, phone) in &contacts {
                assert!(
                    !res.body.contains(name.as_str()) && !res.body.contains(phone.as_str()),
                    "{path} shows {name} {phone}"
                );
            }
            for name in &staff_names {
                assert!(!res.body.contains(name.as_str()), "{path} shows {name}");
            }
        }
        let list = c.get("/evaluation").await;
        assert!(
            list.body.contains("30事業") || list.body.contains("30 programmes"),
            "every programme of the year is listed"
        );
        t
    })
    .await;
}
