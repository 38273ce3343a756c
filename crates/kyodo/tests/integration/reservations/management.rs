//! 指定管理者 on both databases: monthly reports (bad numbers refused beside their fields, a month
//! corrected not duplicated) and the yearly evaluation from the code list, both public on the
//! facility's page at once (its kept data is replaced by each write); a facility the city runs
//! itself has no such page.

use super::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_designated_manager_reports_and_is_evaluated_in_public() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let id = |name: &'static str| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT id FROM rsv_facilities WHERE organization_id = $1 AND name = $2",
                )
                .bind(org)
                .bind(name)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        let (gym, hall) = (
            id("総合運動公園(デモ)").await,
            id("市民交流センター(デモ)").await,
        );
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(
            staff
                .get(&format!("/staff/facilities/{hall}/management"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            staff
                .get(&format!("/staff/facilities/{gym}/management"))
                .await
                .status,
            StatusCode::OK
        );
        let month = kyodo::reservations::today().format("%Y-%m").to_string();
        let reports = format!("/staff/facilities/{gym}/management/reports");
        let res = staff
            .post(
                &reports,
                &[
                    ("month", &month),
                    ("users", "たくさん"),
                    ("revenue", "△5,000"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("金額は整数で") && res.body.contains("0以上の数"),
            "{}",
            res.body
        );
        for users in ["１,２００", "1,234"] {
            let res = staff
                .post(
                    &reports,
                    &[
                        ("month", &month),
                        ("users", users),
                        ("revenue", "456,000"),
                        ("complaints", "シャワーの湯温"),
                    ],
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        let n: i64 = scalar(
            &t,
            "SELECT COUNT(*) FROM rsv_manager_reports WHERE organization_id = $1",
            org,
        )
        .await;
        assert_eq!(n, 1, "a month corrected, not duplicated");
        // The facility's page data is kept between writes: the report shows at once, and the
        // evaluation below replaces what was kept (the page was seen before it was written).
        let seen = t.client().get(&format!("/facilities/{gym}")).await;
        assert!(seen.body.contains("1234"), "{}", seen.body);
        assert!(!seen.body.contains("利用者アンケートの満足度が高い。"));
        let fy = kyodo_jp::FiscalYear::containing(kyodo::reservations::today(), 4)
            .0
            .to_string();
        let evaluation = format!("/staff/facilities/{gym}/management/evaluation");
        let res = staff
            .post(
                &evaluation,
                &[("fiscal_year", &fy), ("rating", "Z"), ("comment", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = staff
            .post(
                &evaluation,
                &[
                    ("fiscal_year", &fy),
                    ("rating", "A"),
                    ("comment", "利用者アンケートの満足度が高い。"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = t.client().get(&format!("/facilities/{gym}")).await;
        for shown in [
            "A 良好",
            "利用者アンケートの満足度が高い。",
            "1234",
            "456,000円",
        ] {
            assert!(page.body.contains(shown), "{shown}: {}", page.body);
        }
        t
    })
    .await;
}
