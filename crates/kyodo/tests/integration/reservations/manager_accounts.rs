//! 指定管理者 accounts: staff assign an account by e-mail (an unknown address refused beside the
//! field, a facility the city runs itself refused), its holder is told by mail, sends the
//! facility's reports itself (bad numbers refused, nothing saved) and reaches no other facility,
//! no staff page, and nothing once the assignment is taken away.

use super::*;
use axum::http::StatusCode;

async fn facility(t: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM rsv_facilities WHERE organization_id = $1 AND name = $2")
        .bind(t.demo_org().await)
        .bind(name)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_designated_managers_account_reports_for_its_facility_only() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (gym, hall) = (
            facility(&t, "総合運動公園(デモ)").await,
            facility(&t, "市民交流センター(デモ)").await,
        );
        let reports = || {
            let db = t.app.db.clone();
            async move {
                sqlx::query_as::<_, (i64, i64)>(
                    "SELECT users, submitted_by FROM rsv_manager_reports WHERE organization_id = $1",
                )
                .bind(org)
                .fetch_all(&db)
                .await
                .unwrap()
            }
        };
        let month = kyodo::reservations::today().format("%Y-%m").to_string();
        let good = [("month", month.as_str()), ("users", "１,２００"), ("revenue", "456,000")];

        // Not assigned: an empty list, the facility as if it did not exist.
        let mut manager = t.signed_in("citizen@demo.kyodo.jp").await;
        let list = manager.get("/manager/facilities").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("報告を入力できる施設はありません"), "{}", list.body);
        assert_eq!(manager.get(&format!("/manager/facilities/{gym}")).await.status, StatusCode::NOT_FOUND);
        let res = manager.post(&format!("/manager/facilities/{gym}/reports"), &good).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(reports().await.is_empty());

        // Staff assign: an unknown address beside the field; a directly run facility has no manager.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let assign = format!("/staff/facilities/{gym}/management/managers");
        let res = staff.post(&assign, &[("email", "nobody@demo.kyodo.jp")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-email\"") && res.body.contains("アカウントはありません"), "{}", res.body);
        let res = staff
            .post(&format!("/staff/facilities/{hall}/management/managers"), &[("email", "citizen@demo.kyodo.jp")])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = staff.post(&assign, &[("email", "Citizen@Demo.Kyodo.jp")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(t.outbox(org).await.iter().any(|m| m.to == "citizen@demo.kyodo.jp" && m.body.contains("/manager/facilities")));
        let page = staff.get(&format!("/staff/facilities/{gym}/management")).await;
        assert!(page.body.contains("citizen@demo.kyodo.jp"), "{}", page.body);

        // The manager's own page: figures and the report form, not the department's evaluation.
        let list = manager.get("/manager/facilities").await;
        assert!(list.body.contains(&format!("href=\"/manager/facilities/{gym}\"")), "{}", list.body);
        let page = manager.get(&format!("/manager/facilities/{gym}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&format!("action=\"/manager/facilities/{gym}/reports\"")), "{}", page.body);
        assert!(!page.body.contains("management/evaluation") && !page.body.contains("management/managers"));
        let res = manager
            .post(&format!("/manager/facilities/{gym}/reports"), &[("month", month.as_str()), ("users", "たくさん"), ("revenue", "1")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-users\""), "{}", res.body);
        assert!(reports().await.is_empty(), "nothing saved");
        let res = manager.post(&format!("/manager/facilities/{gym}/reports"), &good).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let citizen = t.user_id(org, "citizen@demo.kyodo.jp").await;
        assert_eq!(reports().await, vec![(1200, citizen)], "sent as the manager's account");
        let public = t.client().get(&format!("/facilities/{gym}")).await;
        assert!(public.body.contains("456,000円"), "{}", public.body);

        // Nothing else: another facility, the staff pages.
        assert_eq!(manager.get(&format!("/manager/facilities/{hall}")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(manager.get(&format!("/staff/facilities/{gym}/management")).await.status, StatusCode::FORBIDDEN);

        // Taken away.
        let res = staff.post(&assign, &[("remove", &citizen.to_string())]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(manager.get(&format!("/manager/facilities/{gym}")).await.status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}
