//! Progress reports: the seed plan, the report workflow from draft to publication with every
//! version kept, actuals applied on publication — on both backends.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_demo_organization_has_the_seed_plan_with_its_staff_indicator() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        // Loading the demo twice adds nothing.
        kyodo::demo::load(&t.app, false).await.unwrap();
        let (plan, staff_node) = seed_item(&t, "S-2.2.4").await;
        let depths: Vec<(i64, i64)> = sqlx::query_as("SELECT depth, COUNT(*) FROM plan_nodes WHERE plan_id = $1 GROUP BY depth ORDER BY depth")
            .bind(plan)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        assert_eq!(depths, vec![(0, 3), (1, 8), (2, 37)]);
        let (target,): (f64,) = sqlx::query_as(
            "SELECT v.target FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id WHERE i.node_id = $1 AND v.fiscal_year = 2010",
        )
        .bind(staff_node)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(target, 1027.0);

        let mut c = t.client();
        let list = c.get("/plans").await;
        assert!(list.body.contains("第2次行政システム改革プラン") && list.body.contains("平成20年度(2008年度)〜平成24年度(2012年度)"));
        let page = c.get(&format!("/plans/{plan}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.body.matches("href=\"/plans/items/").count(), 37, "every measure is listed");
        assert!(page.body.contains("デモンストレーション用のデータ"), "demo data is marked");
        assert!(page.body.contains("職員数と給与等の適正化") && page.body.contains("住民自治への取り組み"));
        let item = c.get(&format!("/plans/items/{staff_node}")).await;
        assert!(item.body.contains("1,027") && item.body.contains("<svg") && item.body.contains("<table"));
        assert!(item.body.contains("職員数(各年度4月1日現在)"));
        // Filters: one viewpoint, and a rating.
        let (vp,): (i64,) = sqlx::query_as("SELECT id FROM plan_nodes WHERE plan_id = $1 AND seed_ref = 'S-3'").bind(plan).fetch_one(&t.app.db).await.unwrap();
        let filtered = c.get(&format!("/plans/{plan}?viewpoint={vp}")).await;
        assert_eq!(filtered.body.matches("href=\"/plans/items/").count(), 13, "viewpoint 3 has 7 + 6 measures");
        assert!(!filtered.body.contains("自治基本条例の検討"));
        let rated = c.get(&format!("/plans/{plan}?rating=C&year=2009")).await;
        // Counted apart from the page: items whose published 2009 report is rated C.
        let (rated_c,): (i64,) = sqlx::query_as(
            "SELECT COUNT(DISTINCT r.node_id) FROM progress_reports r \
             JOIN reporting_periods p ON p.organization_id = r.organization_id AND p.id = r.period_id \
             JOIN progress_report_versions v ON v.organization_id = r.organization_id AND v.report_id = r.id AND v.version = r.published_version \
             WHERE p.plan_id = $1 AND p.fiscal_year = 2009 AND v.rating = 'C'",
        )
        .bind(plan)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert!(rated_c > 0, "the demo has C-rated items in 2009");
        assert_eq!(rated.body.matches("href=\"/plans/items/").count() as i64, rated_c);
        assert_eq!(c.get(&format!("/plans/{plan}?year=1999")).await.status, StatusCode::BAD_REQUEST);
        // Another organization does not see the plan.
        let mut foreign = t.foreign_client();
        assert_eq!(foreign.get(&format!("/plans/{plan}")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(foreign.get(&format!("/plans/items/{staff_node}")).await.status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

#[tokio::test]
async fn a_report_goes_from_draft_to_publication_with_every_version_kept() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        // S-1.3.1 belongs to 企画調整課, the demo staff member's division.
        let (plan, node) = seed_item(&t, "S-1.3.1").await;
        let fy2010 = period(&t, plan, 2010).await.to_string();
        let report_url = format!("/plans/items/{node}/report");
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let form = staff.get(&format!("{report_url}?period={fy2010}")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("下書き保存"));
        let submit_url = format!("{report_url}/submit");
        let fields = |did: &'static str| {
            vec![
                ("period", fy2010.clone()),
                ("progress", "in_progress".into()),
                ("rating", "A".into()),
                ("did", did.into()),
                ("evaluation", "市民参加の委員会を3回開催した。".into()),
                ("next_steps", "評価結果を公表する。".into()),
            ]
        };
        // Submitting with an empty Do field is refused beside the field.
        let bad = staff.post(&submit_url, &refs(&fields(""))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"e-did\""));
        let saved = staff
            .post(
                &report_url,
                &refs(&fields("進行管理に市民委員が参加する仕組みを試行した。")),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let submitted = staff
            .post(
                &submit_url,
                &refs(&fields("進行管理に市民委員が参加する仕組みを導入した。")),
            )
            .await;
        assert_eq!(submitted.status, StatusCode::SEE_OTHER);
        // Locked while in review.
        let locked = staff.post(&report_url, &refs(&fields("変更"))).await;
        assert_eq!(locked.status, StatusCode::BAD_REQUEST);
        // Staff cannot review, and cannot write another division's item.
        let review_url = format!("{report_url}/review");
        assert_eq!(
            staff
                .post(&format!("{review_url}/approve"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let (_, other_node) = seed_item(&t, "S-2.2.4").await;
        assert_eq!(
            staff
                .get(&format!("/plans/items/{other_node}/report"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let dash = hq.get(&format!("/hq/plans/{plan}")).await;
        assert!(
            dash.body.contains("審査待ちの報告")
                && dash.body.contains("重点施策等の進行管理への市民参加の推進")
        );
        // Returning needs a reason.
        let no_reason = hq
            .post(
                &format!("{review_url}/return"),
                &[("period", &fy2010), ("comment", "")],
            )
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            hq.post(
                &format!("{review_url}/return"),
                &[
                    ("period", &fy2010),
                    ("comment", "参加人数を追記してください。")
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let returned = staff.get(&format!("{report_url}?period={fy2010}")).await;
        assert!(
            returned.body.contains("参加人数を追記してください。")
                && returned.body.contains("差し戻し")
        );
        assert_eq!(
            staff
                .post(
                    &submit_url,
                    &refs(&fields("市民委員12名が参加する進行管理を導入した。"))
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        // Publishing before approval is refused.
        assert_eq!(
            hq.post(&format!("{review_url}/publish"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        let mut public = t.client();
        let before = public.get(&format!("/plans/items/{node}")).await;
        assert!(
            !before.body.contains("市民委員12名"),
            "drafts and submitted versions stay private"
        );
        // 所属長承認 comes before the HQ's: approving a report the manager has not is refused.
        assert_eq!(
            hq.post(&format!("{review_url}/approve"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        let waiting = hq.get(&format!("{report_url}?period={fy2010}")).await;
        assert!(
            waiting
                .body
                .contains("この報告は所属長の承認を待っています"),
            "the HQ sees what it waits for"
        );
        manager_confirms(&t, node, &fy2010).await;
        assert!(
            staff
                .get(&format!("{report_url}?period={fy2010}"))
                .await
                .body
                .contains("所属長承認済み")
        );
        assert_eq!(
            hq.post(&format!("{review_url}/approve"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            hq.post(&format!("{review_url}/publish"), &[("period", &fy2010),])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let after = public.get(&format!("/plans/items/{node}")).await;
        assert!(
            after
                .body
                .contains("市民委員12名が参加する進行管理を導入した。"),
            "the anonymous cache was refreshed"
        );
        assert!(
            !after.body.contains("デモ 職員"),
            "staff names stay off public pages"
        );
        let (report,): (i64,) =
            sqlx::query_as("SELECT id FROM progress_reports WHERE node_id = $1 AND period_id = $2")
                .bind(node)
                .bind(fy2010.parse::<i64>().unwrap())
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM progress_report_versions WHERE report_id = $1",
                report
            )
            .await,
            3
        );
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM report_events WHERE report_id = $1",
                report
            )
            .await,
            9,
            "save, save+submit, return, save+submit, confirm, approve, publish"
        );
        // A revision after publication keeps the published version public.
        assert_eq!(
            staff
                .post(&report_url, &refs(&fields("改訂中の下書き")))
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let still = public.get(&format!("/plans/items/{node}")).await;
        assert!(still.body.contains("市民委員12名") && !still.body.contains("改訂中の下書き"));
        let history = staff.get(&format!("{report_url}?period={fy2010}")).await;
        assert!(
            history.body.contains("デモ 職員") && history.body.contains("デモ 行革本部"),
            "staff see who did what"
        );
        kyodo::audit::seal_all(&t.app).await.unwrap();
        let audit = scalar(
            &t,
            "SELECT COUNT(*) FROM audit_log WHERE organization_id = $1 AND action LIKE 'report.%'",
            t.demo_org().await,
        )
        .await;
        assert_eq!(
            audit, 8,
            "save, submit, return, submit, confirm, approve, publish, save"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn publishing_applies_indicator_and_effect_actuals_and_bad_numbers_are_refused() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan, node) = seed_item(&t, "S-2.2.4").await;
        let fy2011 = period(&t, plan, 2011).await.to_string();
        let (ind,): (i64,) = sqlx::query_as("SELECT id FROM indicators WHERE node_id = $1").bind(node).fetch_one(&t.app.db).await.unwrap();
        let (eff,): (i64,) = sqlx::query_as("SELECT id FROM fiscal_effects WHERE node_id = $1 AND fiscal_year = 2011").bind(node).fetch_one(&t.app.db).await.unwrap();
        let url = format!("/plans/items/{node}/report");
        let (ind_f, eff_f) = (format!("ind_{ind}"), format!("eff_{eff}"));
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        // This item's department has no 所属長 account in the demo: the HQ reviews directly.
        let off = hq.submit("/hq/settings/approval", &[("manager_approval", "off")]).await;
        assert_eq!(off.status, StatusCode::OK);
        let base = |ind_v: &'static str, eff_v: &'static str| {
            vec![("period", fy2011.clone()), ("progress", "in_progress".into()), ("rating", "A".into()), ("did", "定員適正化計画を実施".into()), ("evaluation", "目標を達成".into()), ("next_steps", "継続".into()), (ind_f.as_str(), ind_v.into()), (eff_f.as_str(), eff_v.into())]
        };
        let submit_url = format!("{url}/submit");
        let bad = hq.post(&submit_url, &refs(&base("千二十", "1.5"))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains(&format!("id=\"e-{ind_f}\"")) && bad.body.contains("数値で入力してください"));
        assert!(bad.body.contains(&format!("id=\"e-{eff_f}\"")) && bad.body.contains("金額は整数で入力してください"));
        assert_eq!(scalar(&t, "SELECT COUNT(*) FROM progress_reports WHERE node_id = $1 AND status <> 'published'", node).await, 0, "nothing saved");
        assert_eq!(hq.post(&submit_url, &refs(&base("１，０１８", "21,500"))).await.status, StatusCode::SEE_OTHER);
        let review = format!("{url}/review");
        assert_eq!(hq.post(&format!("{review}/approve"), &[("period", &fy2011),]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(hq.post(&format!("{review}/publish"), &[("period", &fy2011),]).await.status, StatusCode::SEE_OTHER);
        let (actual,): (Option<f64>,) = sqlx::query_as("SELECT actual FROM indicator_values WHERE indicator_id = $1 AND fiscal_year = 2011").bind(ind).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(actual, Some(1018.0));
        let (eff_actual,): (Option<i64>,) = sqlx::query_as("SELECT actual FROM fiscal_effects WHERE id = $1").bind(eff).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(eff_actual, Some(21_500));
        let page = t.client().get(&format!("/plans/items/{node}")).await;
        assert!(page.body.contains("1,018") && page.body.contains("21,500"));
        t
    })
    .await;
}
