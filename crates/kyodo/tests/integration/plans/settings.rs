//! Reporting periods and code lists are configurable per organization.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn periods_and_code_lists_are_configurable() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (plan,): (i64,) =
            sqlx::query_as("SELECT id FROM plans WHERE organization_id = $1 AND is_demo = 1")
                .bind(org)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        assert_eq!(
            hq.post(&format!("/hq/plans/{plan}/periods"), &[("year", "2010")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM reporting_periods WHERE plan_id = $1")
                .bind(plan)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        assert_eq!(n, 5 + 4);
        assert_eq!(
            hq.post(&format!("/hq/plans/{plan}/periods"), &[("year", "1999")])
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let (period,): (i64,) = sqlx::query_as(
            "SELECT id FROM reporting_periods WHERE plan_id = $1 AND fiscal_year = 2008",
        )
        .bind(plan)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let bad = hq
            .post(
                &format!("/hq/periods/{period}"),
                &[("label", "平成20年度"), ("due_on", "令和8年13月1日")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains(&format!("id=\"e-due_on-{period}\"")));
        assert_eq!(
            hq.post(
                &format!("/hq/periods/{period}"),
                &[("label", "平成20年度 実績"), ("due_on", "平成21年6月30日")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let (due,): (String,) =
            sqlx::query_as("SELECT due_on FROM reporting_periods WHERE id = $1")
                .bind(period)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        assert_eq!(due, "2009-06-30");
        // Relabel a rating and add a schedule step.
        assert_eq!(
            hq.submit(
                "/hq/codes",
                &[
                    ("list", "rating"),
                    ("code", "A"),
                    ("label", "A(順調)"),
                    ("sort_order", "1")
                ]
            )
            .await
            .status,
            StatusCode::OK
        );
        assert_eq!(
            hq.submit(
                "/hq/codes",
                &[
                    ("list", "schedule_step"),
                    ("code", "review"),
                    ("label", "見直し"),
                    ("label_en", "Review"),
                    ("sort_order", "5")
                ]
            )
            .await
            .status,
            StatusCode::OK
        );
        assert_eq!(
            hq.post(
                "/hq/codes",
                &[("list", "rating"), ("code", ""), ("label", "")]
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            hq.post(
                "/hq/codes",
                &[("list", "nonsense"), ("code", "x"), ("label", "x")]
            )
            .await
            .status,
            StatusCode::BAD_REQUEST
        );
        assert!(
            t.client()
                .get(&format!("/plans/{plan}"))
                .await
                .body
                .contains("A(順調)")
        );
        let (node,): (i64,) = sqlx::query_as(
            "SELECT id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = 'S-1.1.1'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert!(
            hq.get(&format!("/hq/nodes/{node}"))
                .await
                .body
                .contains("見直し")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_list_added_by_an_upgrade_reaches_existing_organizations_and_edited_lists_stay() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let count = |list: &'static str| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM code_lists WHERE organization_id = $1 AND list = $2")
                    .bind(org)
                    .bind(list)
                    .fetch_one(&db)
                    .await
                    .unwrap()
            }
        };
        // As before the upgrade: no eligibility list; a city that cut its council categories to one.
        for sql in [
            "DELETE FROM code_lists WHERE organization_id = $1 AND list = 'consultation_eligibility'",
            "DELETE FROM code_lists WHERE organization_id = $1 AND list = 'council_category' AND code <> 'public'",
        ] {
            sqlx::query(sql).bind(org).execute(&t.app.db).await.unwrap();
        }
        let filled = kyodo::codes::add_missing_lists(&t.app.db).await.unwrap();
        assert_eq!(filled, 1, "only the missing list");
        assert_eq!(count("consultation_eligibility").await, 4);
        assert_eq!(count("council_category").await, 1, "an edited list keeps exactly its codes");
        assert_eq!(kyodo::codes::add_missing_lists(&t.app.db).await.unwrap(), 0, "nothing to write the second time");
        t
    })
    .await;
}
