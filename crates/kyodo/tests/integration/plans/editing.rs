//! Editing plans in the UI and change requests (変更・中止) decided by the HQ and kept as history.

use super::*;
use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_hq_builds_a_plan_in_the_ui() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let bad = hq
            .post(
                "/hq/plans/new",
                &[
                    ("title", ""),
                    ("first_year", "令和9年度"),
                    ("last_year", "令和7年度"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"e-title\"") && bad.body.contains("id=\"e-last_year\""));
        let created = hq
            .post(
                "/hq/plans/new",
                &[
                    ("title", "第3次行政改革実施計画"),
                    ("goal", "持続可能な行財政運営"),
                    ("first_year", "令和7年度"),
                    ("last_year", "R9"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER);
        let plan = id_after(created.location(), "/hq/plans/");
        let top = hq
            .post(
                &format!("/hq/plans/{plan}/nodes"),
                &[("number", "1"), ("title", "市民協働の推進")],
            )
            .await;
        let viewpoint = id_after(top.location(), "/hq/nodes/");
        let d110 = dept(&t, "110").await;
        let vp = viewpoint.to_string();
        let item = hq
            .post(
                &format!("/hq/plans/{plan}/nodes"),
                &[
                    ("parent_id", &vp),
                    ("number", "1-1"),
                    ("title", "オンライン申請の拡大"),
                    ("trackable", "1"),
                    ("departments", &d110),
                    ("step_2025", "study"),
                    ("step_2026", "implement"),
                ],
            )
            .await;
        assert_eq!(item.status, StatusCode::SEE_OTHER, "{}", item.body);
        let node = id_after(item.location(), "/hq/nodes/");
        let bad_step = hq
            .post(
                &format!("/hq/nodes/{node}"),
                &[
                    ("number", "1-1"),
                    ("title", "オンライン申請の拡大"),
                    ("step_2026", "fly"),
                ],
            )
            .await;
        assert_eq!(bad_step.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_step.body.contains("id=\"e-step_2026\""));
        let saved = hq
            .post(
                &format!("/hq/nodes/{node}"),
                &[
                    ("number", "1-1"),
                    ("title", "オンライン申請の拡大"),
                    ("trackable", "1"),
                    ("departments", &d110),
                    ("step_2025", "study"),
                    ("step_2026", "implement"),
                    ("step_2027", "continue"),
                    ("body", "電子申請を100手続に広げる"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert_eq!(
            hq.post(
                &format!("/hq/nodes/{node}/indicators"),
                &[
                    ("name", "電子申請できる手続数"),
                    ("unit", "件"),
                    ("baseline_year", "令和6年度"),
                    ("baseline_value", "40"),
                    ("direction", "higher")
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let (ind,): (i64,) = sqlx::query_as("SELECT id FROM indicators WHERE node_id = $1")
            .bind(node)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let bad_value = hq
            .post(&format!("/hq/indicators/{ind}"), &[("target_2026", "abc")])
            .await;
        assert_eq!(bad_value.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad_value
                .body
                .contains(&format!("id=\"e-target_2026_{ind}\""))
        );
        assert_eq!(
            hq.post(
                &format!("/hq/indicators/{ind}"),
                &[
                    ("target_2025", "60"),
                    ("target_2026", "80"),
                    ("target_2027", "１００"),
                    ("actual_2025", "58")
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let bad_effect = hq
            .post(
                &format!("/hq/nodes/{node}/effects"),
                &[
                    ("fiscal_year", "2026"),
                    ("kind", "cut"),
                    ("account", "general"),
                    ("planned", "12.5"),
                ],
            )
            .await;
        assert_eq!(bad_effect.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_effect.body.contains("id=\"e-planned\""));
        assert_eq!(
            hq.post(
                &format!("/hq/nodes/{node}/effects"),
                &[
                    ("fiscal_year", "2026"),
                    ("kind", "cut"),
                    ("account", "general"),
                    ("planned", "3,000"),
                    ("recurring", "1")
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        // The plan's title and goal can be corrected; an unused node can be deleted, one with history not.
        let empty = hq
            .post(
                &format!("/hq/plans/{plan}"),
                &[("plan_title", ""), ("plan_goal", "x")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("id=\"e-plan_title\""));
        assert_eq!(
            hq.post(
                &format!("/hq/plans/{plan}"),
                &[
                    ("plan_title", "第3次行政改革実施計画(案)"),
                    ("plan_goal", "持続可能な行財政運営")
                ]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let spare = hq
            .post(
                &format!("/hq/plans/{plan}/nodes"),
                &[
                    ("parent_id", &vp),
                    ("number", "1-9"),
                    ("title", "誤って追加した項目"),
                ],
            )
            .await;
        let spare = id_after(spare.location(), "/hq/nodes/");
        assert_eq!(
            hq.post(&format!("/hq/nodes/{spare}/delete"), &[])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            hq.post(&format!("/hq/nodes/{node}/delete"), &[])
                .await
                .status,
            StatusCode::BAD_REQUEST,
            "it has an indicator"
        );
        assert_eq!(
            hq.post(&format!("/hq/nodes/{viewpoint}/delete"), &[])
                .await
                .status,
            StatusCode::BAD_REQUEST,
            "it has children"
        );
        // Draft until adopted.
        let mut public = t.client();
        assert_eq!(
            public.get(&format!("/plans/items/{node}")).await.status,
            StatusCode::NOT_FOUND
        );
        hq.post(
            &format!("/hq/plans/{plan}/status"),
            &[("status", "adopted")],
        )
        .await;
        let page = public.get(&format!("/plans/items/{node}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("電子申請を100手続に広げる")
                && page.body.contains("96.7%")
                && page.body.contains("3,000")
        );
        // The division writes its report for the new item.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(
            staff
                .get(&format!("/plans/items/{node}/report"))
                .await
                .status,
            StatusCode::OK
        );
        // Staff cannot edit the plan.
        assert_eq!(
            staff
                .post(
                    &format!("/hq/nodes/{node}"),
                    &[("number", "x"), ("title", "x")]
                )
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        t
    })
    .await;
}

#[tokio::test]
async fn change_requests_are_decided_by_the_hq_and_kept_as_history() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (plan, node): (i64, i64) = sqlx::query_as("SELECT plan_id, id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = 'S-1.3.2'").bind(org).fetch_one(&t.app.db).await.unwrap();
        let url = format!("/plans/items/{node}/change");
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let empty = staff.post(&url, &[("kind", "change"), ("reason", "")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("id=\"e-reason\"") && empty.body.contains("id=\"e-new_title\""));
        let sent = staff.submit(&url, &[("kind", "change"), ("reason", "評価制度の見直しに合わせるため"), ("new_title", "行政評価制度の再構築"), ("new_step_2011", "done")]).await;
        assert_eq!(sent.status, StatusCode::OK);
        assert!(sent.body.contains("申請しました"));
        let mut public = t.client();
        assert!(!public.get(&format!("/plans/items/{node}")).await.body.contains("行政評価制度の再構築"), "pending requests are not public");
        // Another division cannot request changes to this item.
        let (_, other): (i64, i64) = sqlx::query_as("SELECT plan_id, id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = 'S-2.2.4'").bind(org).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(staff.post(&format!("/plans/items/{other}/change"), &[("kind", "cancel"), ("reason", "x")]).await.status, StatusCode::FORBIDDEN);

        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let dash = hq.get(&format!("/hq/plans/{plan}")).await;
        assert!(dash.body.contains("行政評価制度の再構築") && dash.body.contains("評価制度の見直しに合わせるため"));
        let (req,): (i64,) = sqlx::query_as("SELECT id FROM change_requests WHERE node_id = $1").bind(node).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(hq.post(&format!("/hq/changes/{req}/approve"), &[("comment", ""), ("plan", &plan.to_string())]).await.status, StatusCode::SEE_OTHER);
        let (title,): (String,) = sqlx::query_as("SELECT title FROM plan_nodes WHERE id = $1").bind(node).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(title, "行政評価制度の再構築");
        let (step,): (String,) = sqlx::query_as("SELECT step FROM plan_schedule WHERE node_id = $1 AND fiscal_year = 2011").bind(node).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(step, "done");
        assert_eq!(hq.post(&format!("/hq/changes/{req}/reject"), &[("comment", "二重")]).await.status, StatusCode::NOT_FOUND, "decided once");
        let page = public.get(&format!("/plans/items/{node}")).await;
        assert!(page.body.contains("評価制度の見直しに合わせるため") && page.body.contains("行政評価制度の再構築"));
        assert!(page.body.contains("マネジメントサイクルの充実 → 行政評価制度の再構築"), "history shows before and after");

        // A discontinuation: rejecting needs a reason; approving marks the item.
        staff.post(&url, &[("kind", "cancel"), ("reason", "他の取組に統合するため")]).await;
        let (cancel,): (i64,) = sqlx::query_as("SELECT id FROM change_requests WHERE node_id = $1 AND kind = 'cancel'").bind(node).fetch_one(&t.app.db).await.unwrap();
        assert_eq!(hq.post(&format!("/hq/changes/{cancel}/reject"), &[("comment", "")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(hq.post(&format!("/hq/changes/{cancel}/approve"), &[]).await.status, StatusCode::SEE_OTHER);
        assert!(public.get(&format!("/plans/items/{node}")).await.body.contains("中止されました"));
        t
    })
    .await;
}
