//! The programme master: creation with bad input reported beside each field, editing, and 統合・
//! 分割 with the lineage shown on both programmes' public pages — on both backends.

use crate::support::*;
use axum::http::StatusCode;

async fn programme(t: &TestApp, org: i64, code: &str) -> (i64, String, Option<i64>) {
    sqlx::query_as(
        "SELECT id, status, last_year FROM programmes WHERE organization_id = $1 AND code = $2",
    )
    .bind(org)
    .bind(code)
    .fetch_one(&t.app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn programmes_are_created_merged_and_split_with_history() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let dept: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE organization_id = $1 AND code = '120'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let dept = dept.to_string();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        assert_eq!(hq.get("/hq/evaluation/programmes").await.status, StatusCode::OK);

        // Bad input: a taken code, a bad year, an unknown method — each beside its field.
        let res = hq
            .post("/hq/evaluation/programmes", &[("code", "0101"), ("name", "重複"), ("department_id", &dept), ("first_year", "令和"), ("method", "magic")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for f in ["code", "first_year", "method"] {
            assert!(res.body.contains(&format!("id=\"e-{f}\"")), "no message beside {f}");
        }
        let res = hq
            .post("/hq/evaluation/programmes", &[("code", "0199"), ("name", "市民協働ポータル運営"), ("department_id", &dept), ("first_year", "2026"), ("method", "contract"), ("is_new", "1")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (new_id, status, _) = programme(&t, org, "0199").await;
        assert_eq!(status, "active");

        // 統合: 0105 joins 0199 from 2027.
        let (old, _, _) = programme(&t, org, "0105").await;
        let path = format!("/hq/evaluation/programmes/{old}/merge");
        let res = hq.post(&path, &[("into", &old.to_string()), ("merge_year", "2027")]).await;
        assert!(res.body.contains("id=\"e-into\""), "a programme cannot merge into itself");
        let res = hq.submit(&path, &[("into", &new_id.to_string()), ("merge_year", "2027"), ("merge_note", "類似事業の統合")]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(programme(&t, org, "0105").await, (old, "merged".into(), Some(2026)));
        let public = t.client().get(&format!("/evaluation/programmes/{new_id}")).await;
        assert!(public.body.contains("統合元") && public.body.contains("0105"), "the successor shows where it came from");
        let res = hq.post(&path, &[("into", &new_id.to_string()), ("merge_year", "2028")]).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "a merged programme cannot merge again");

        // 分割: 0102 into two programmes; a repeated code is refused and nothing is created.
        let (whole, _, _) = programme(&t, org, "0102").await;
        let path = format!("/hq/evaluation/programmes/{whole}/split");
        let res = hq.post(&path, &[("split_into", "0102A 講座(基礎)\n0102A 講座(応用)"), ("split_year", "2027")]).await;
        assert!(res.body.contains("id=\"e-split_into\""));
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM programmes WHERE organization_id = $1 AND code LIKE '0102A%'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(n, 0);
        let res = hq.submit(&path, &[("split_into", "0102A 講座(基礎)\n0102B 講座(応用)"), ("split_year", "2027")]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(programme(&t, org, "0102").await.1, "split");
        let (a, _, _) = programme(&t, org, "0102B").await;
        let page = t.client().get(&format!("/evaluation/programmes/{whole}")).await;
        assert!(page.body.contains("分割先") && page.body.contains("0102A") && page.body.contains("0102B"));
        let page = t.client().get(&format!("/evaluation/programmes/{a}")).await;
        assert!(page.body.contains("分割元"));
        // A new year's sheets skip programmes that ended.
        let res = hq.post("/hq/evaluation/cycles", &[("fiscal_year", "2027")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let codes: Vec<String> = sqlx::query_scalar(
            "SELECT p.code FROM eval_sheets s JOIN programmes p ON p.organization_id = s.organization_id AND p.id = s.programme_id \
             JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id WHERE s.organization_id = $1 AND c.fiscal_year = 2027",
        )
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        assert!(codes.contains(&"0199".to_string()) && codes.contains(&"0102A".to_string()));
        assert!(!codes.contains(&"0105".to_string()) && !codes.contains(&"0102".to_string()));
        // That year has no external committee: no sheet can wait for one.
        let sheet: i64 = sqlx::query_scalar(
            "SELECT s.id FROM eval_sheets s JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id \
             WHERE s.organization_id = $1 AND c.fiscal_year = 2027 LIMIT 1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let res = hq.post(&format!("/hq/evaluation/sheets/{sheet}/external"), &[]).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert!(res.body.contains("委員会が設定されていない"));
        t
    })
    .await;
}

#[tokio::test]
async fn the_hq_keeps_the_policy_hierarchy_and_its_indicators() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post(
                "/hq/evaluation/policies/plans",
                &[
                    ("plan_title", "第8次総合計画"),
                    ("plan_first_year", "2027"),
                    ("plan_last_year", "2026"),
                ],
            )
            .await;
        assert!(
            res.body.contains("id=\"e-plan_last_year\""),
            "a period that ends before it starts"
        );
        let res = hq
            .submit(
                "/hq/evaluation/policies/plans",
                &[
                    ("plan_title", "第8次総合計画"),
                    ("plan_first_year", "2027"),
                    ("plan_last_year", "2036"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let plan: i64 = sqlx::query_scalar(
            "SELECT id FROM policy_plans WHERE organization_id = $1 AND title = '第8次総合計画'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let p = plan.to_string();
        hq.post(
            "/hq/evaluation/policies/nodes",
            &[("plan", &p), ("number", "1"), ("title", "人がつながるまち")],
        )
        .await;
        let policy: i64 =
            sqlx::query_scalar("SELECT id FROM policy_nodes WHERE plan_id = $1 AND number = '1'")
                .bind(plan)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        let res = hq
            .post(
                "/hq/evaluation/policies/nodes",
                &[
                    ("plan", &p),
                    ("parent", &policy.to_string()),
                    ("number", "1"),
                    ("title", "重複"),
                ],
            )
            .await;
        assert!(
            res.body
                .contains("この番号はこの計画ですでに使われています")
        );
        let res = hq
            .submit(
                "/hq/evaluation/policies/nodes",
                &[
                    ("plan", &p),
                    ("parent", &policy.to_string()),
                    ("number", "1-1"),
                    ("title", "地域活動の活性化"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let (measure, level): (i64, String) = sqlx::query_as(
            "SELECT id, level FROM policy_nodes WHERE plan_id = $1 AND number = '1-1'",
        )
        .bind(plan)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(level, "measure", "a node under a 政策 is a 施策");
        let name = format!("ind_name-{measure}");
        hq.post(
            "/hq/evaluation/policies/indicators",
            &[
                ("node", &measure.to_string()),
                (&name, "地域活動に参加した市民の割合"),
                (&format!("ind_unit-{measure}"), "%"),
            ],
        )
        .await;
        let ind: i64 = sqlx::query_scalar(
            "SELECT id FROM eval_indicators WHERE owner_kind = 'policy' AND owner_id = $1",
        )
        .bind(measure)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let (y, tg, ac) = (
            format!("year-{ind}"),
            format!("target-{ind}"),
            format!("actual-{ind}"),
        );
        let res = hq
            .post(
                "/hq/evaluation/policies/values",
                &[
                    ("indicator", &ind.to_string()),
                    (&y, "2027"),
                    (&tg, "40"),
                    (&ac, "たくさん"),
                ],
            )
            .await;
        assert!(res.body.contains(&format!("id=\"e-{ac}\"")));
        let res = hq
            .submit(
                "/hq/evaluation/policies/values",
                &[
                    ("indicator", &ind.to_string()),
                    (&y, "2027"),
                    (&tg, "40"),
                    (&ac, "30"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("令和9年度(2027年度): 40 / 30"));
        t
    })
    .await;
}

#[tokio::test]
async fn a_policy_node_is_corrected_and_removed_only_when_unused() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        // A demo 施策 with programmes, and a 政策 above it.
        let (measure, parent, plan): (i64, i64, i64) = sqlx::query_as(
            "SELECT n.id, n.parent_id, n.plan_id FROM policy_nodes n WHERE n.organization_id = $1 AND n.level = 'measure' \
             AND EXISTS (SELECT 1 FROM programmes p WHERE p.policy_node_id = n.id) \
             AND NOT EXISTS (SELECT 1 FROM policy_nodes c WHERE c.parent_id = n.id) ORDER BY n.number LIMIT 1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let page = hq.get(&format!("/hq/evaluation/policy-nodes/{measure}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let listing = hq.get("/hq/evaluation/policies").await.body;
        assert!(listing.contains(&format!("href=\"/hq/evaluation/policy-nodes/{measure}\"")));
        // Another node's number is refused beside the field; nothing changes.
        let (taken,): (String,) = sqlx::query_as("SELECT number FROM policy_nodes WHERE plan_id = $1 AND id <> $2 LIMIT 1")
            .bind(plan)
            .bind(measure)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let res = hq
            .post(&format!("/hq/evaluation/policy-nodes/{measure}"), &[("number", &taken), ("title", "")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-number\"") && res.body.contains("id=\"e-title\""));
        let res = hq
            .post(
                &format!("/hq/evaluation/policy-nodes/{measure}"),
                &[("number", "9-9"), ("title", "改めた施策名"), ("goal", "めざす姿")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let public = t.client().get(&format!("/evaluation/policies/{measure}")).await.body;
        assert!(public.contains("改めた施策名"), "the public 施策 page shows the new title");
        // In use: refused with the reason, kept.
        for (node, reason) in [(parent, "下位の項目があるため"), (measure, "事務事業があるため")] {
            let res = hq.post(&format!("/hq/evaluation/policy-nodes/{node}/delete"), &[]).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(res.body.contains(reason), "{node}: {reason}");
        }
        // A new, unused node goes; the audit log keeps what it was.
        let p = plan.to_string();
        hq.post(
            "/hq/evaluation/policies/nodes",
            &[("plan", &p), ("number", "99"), ("title", "誤って追加した政策")],
        )
        .await;
        let (spare,): (i64,) = sqlx::query_as("SELECT id FROM policy_nodes WHERE plan_id = $1 AND number = '99'")
            .bind(plan)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let res = hq.post(&format!("/hq/evaluation/policy-nodes/{spare}/delete"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM policy_nodes WHERE id = $1")
            .bind(spare)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(left, 0);
        kyodo::audit::seal_all(&t.app).await.unwrap();
        let (logged,): (String,) = sqlx::query_as("SELECT before_json FROM audit_log WHERE action = 'eval.policy_node_delete'")
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert!(logged.contains("誤って追加した政策"));
        assert_eq!(
            hq.get(&format!("/hq/evaluation/policy-nodes/{spare}")).await.status,
            StatusCode::NOT_FOUND
        );
        t
    })
    .await;
}
