//! 外部有識者 on both databases: registering (bad input beside its field; a new address gets an
//! account and a password link by mail), assignments opened only by their adviser within the term,
//! material without personal data, and comments public only once the HQ publishes them.

use super::*;
use axum::http::StatusCode;

async fn adviser_of(t: &TestApp, org: i64, email: &str) -> i64 {
    sqlx::query_scalar("SELECT a.id FROM advisers a JOIN users u ON u.organization_id = a.organization_id AND u.id = a.user_id WHERE a.organization_id = $1 AND u.email = $2")
        .bind(org)
        .bind(email)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}

async fn assignments_of(t: &TestApp, org: i64, adviser: i64) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, target_kind FROM adviser_assignments WHERE organization_id = $1 AND adviser_id = $2 ORDER BY assigned_at, id")
        .bind(org)
        .bind(adviser)
        .fetch_all(&t.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_adviser_opens_only_what_is_assigned_within_the_term() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let demo = adviser_of(&t, org, "adviser@demo.kyodo.jp").await;
        let assigned = assignments_of(&t, org, demo).await;
        assert_eq!(assigned.iter().map(|a| a.1.as_str()).collect::<Vec<_>>(), ["plan", "council"]);
        let plan_assignment = assigned[0].0;
        let mut adviser = t.signed_in("adviser@demo.kyodo.jp").await;
        let mine = adviser.get("/adviser").await;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(mine.body.contains(&format!("/adviser/assignments/{plan_assignment}")) && mine.body.contains("行政改革推進委員会(デモ)"), "{}", mine.body);
        // The plan's reports as they stand now (the current version, drafts included).
        let draft: String = sqlx::query_scalar(
            "SELECT v.did FROM progress_reports r JOIN progress_report_versions v ON v.organization_id = r.organization_id AND v.report_id = r.id AND v.version = r.current_version \
             JOIN plan_nodes n ON n.organization_id = r.organization_id AND n.id = r.node_id WHERE r.organization_id = $1 AND v.did <> '' ORDER BY r.updated_at DESC LIMIT 1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let page = adviser.get(&format!("/adviser/assignments/{plan_assignment}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&draft), "the latest report is material: {}", page.body);

        // The HQ assigns the adviser to an evaluation year: its sheets, never their contact person.
        let cycle: i64 = sqlx::query_scalar("SELECT id FROM eval_cycles WHERE organization_id = $1 ORDER BY fiscal_year DESC")
            .bind(org)
            .fetch_all(&t.app.db)
            .await
            .unwrap()[0];
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq.post("/hq/advisers/assignments", &[("adviser", &demo.to_string()), ("target", "plan:1")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "no such plan");
        let res = hq.post("/hq/advisers/assignments", &[("adviser", &demo.to_string()), ("target", &format!("evaluation_cycle:{cycle}"))]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = hq.post("/hq/advisers/assignments", &[("adviser", &demo.to_string()), ("target", &format!("evaluation_cycle:{cycle}"))]).await;
        assert!(res.body.contains("すでにこれを担当"), "{}", res.body);
        let on_cycle = assignments_of(&t, org, demo).await[2].0;
        let contacts: Vec<String> = sqlx::query_scalar("SELECT contact_phone FROM eval_sheets WHERE organization_id = $1 AND cycle_id = $2 AND contact_phone <> ''")
            .bind(org)
            .bind(cycle)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        let page = adviser.get(&format!("/adviser/assignments/{on_cycle}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("一次評価") || page.body.contains("所管課が入力中") || page.body.contains("最終決定"), "{}", page.body);
        for phone in &contacts {
            assert!(!page.body.contains(phone.as_str()), "a contact phone on the adviser's page");
        }

        // Nobody else opens an adviser's assignment: not the HQ, not a citizen, not another adviser.
        for who in ["hq@demo.kyodo.jp", "citizen@demo.kyodo.jp"] {
            let mut c = t.signed_in(who).await;
            assert_eq!(c.get(&format!("/adviser/assignments/{plan_assignment}")).await.status, StatusCode::NOT_FOUND, "{who}");
            assert_eq!(c.post(&format!("/adviser/assignments/{plan_assignment}/comments"), &[("body", "x")]).await.status, StatusCode::NOT_FOUND, "{who}");
        }
        let res = hq
            .post("/hq/advisers", &[("name", "監査 次郎"), ("email", "jiro@univ.example"), ("field", "公会計"), ("term_start", "2026-04-01"), ("term_end", "2099-03-31")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mut other = t.client();
        let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE organization_id = $1 AND email = 'jiro@univ.example'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        kyodo::accounts::service::set_password(&t.app, org, &kyodo::audit::Actor::system(), user, "other-adviser-pass-1").await.unwrap();
        other.login("jiro@univ.example", "other-adviser-pass-1").await;
        assert_eq!(other.get("/adviser").await.status, StatusCode::OK);
        assert_eq!(other.get(&format!("/adviser/assignments/{plan_assignment}")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(t.foreign_client().get(&format!("/adviser/assignments/{plan_assignment}")).await.status, StatusCode::SEE_OTHER);

        // Past the term, the adviser's own assignments close too.
        sqlx::query("UPDATE advisers SET term_end = '2020-03-31' WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(demo)
            .execute(&t.app.db)
            .await
            .unwrap();
        assert_eq!(adviser.get(&format!("/adviser/assignments/{plan_assignment}")).await.status, StatusCode::NOT_FOUND);
        assert!(adviser.get("/adviser").await.body.contains("任期外"));
        t
    })
    .await;
}

#[tokio::test]
async fn registering_checks_each_field_and_comments_are_public_only_once_published() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post(
                "/hq/advisers",
                &[
                    ("name", ""),
                    ("email", "not-an-address"),
                    ("field", "都市計画"),
                    ("term_start", "2027-04-01"),
                    ("term_end", "2026-03-31"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("id=\"e-name\"")
                && res.body.contains("id=\"e-email\"")
                && res.body.contains("id=\"e-term_end\""),
            "{}",
            res.body
        );
        assert!(res.body.contains("value=\"都市計画\""), "typed text kept");
        let res = hq
            .post(
                "/hq/advisers",
                &[
                    ("name", "都市 三郎"),
                    ("email", "adviser@demo.kyodo.jp"),
                    ("field", "都市計画"),
                    ("term_start", "2026-04-01"),
                    ("term_end", "2099-03-31"),
                ],
            )
            .await;
        assert!(res.body.contains("すでに有識者として登録"), "{}", res.body);
        // A new address: an account made in the same transaction, and a link to set its password.
        let res = hq
            .post(
                "/hq/advisers",
                &[
                    ("name", "都市 三郎"),
                    ("email", "Saburo@Univ.example"),
                    ("field", "都市計画"),
                    ("affiliation", "会津大学"),
                    ("term_start", "2026-04-01"),
                    ("term_end", "2099-03-31"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mail = t
            .outbox(org)
            .await
            .into_iter()
            .find(|m| m.to == "saburo@univ.example")
            .expect("a registration mail");
        assert!(
            mail.body.contains("/password/reset?token="),
            "{}",
            mail.body
        );
        let saburo = adviser_of(&t, org, "saburo@univ.example").await;
        let consultation: i64 = sqlx::query_scalar(
            "SELECT id FROM pc_consultations WHERE organization_id = $1 ORDER BY id",
        )
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap()[0];
        let res = hq
            .post(
                "/hq/advisers/assignments",
                &[
                    ("adviser", &saburo.to_string()),
                    ("target", &format!("consultation:{consultation}")),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        // Unnamed in public: the register says 外部有識者 and never shows an address.
        let public = t.client().get("/advisers").await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(
            !public.body.contains("都市 三郎")
                && public.body.contains("外部有識者")
                && public.body.contains("会津大学"),
            "{}",
            public.body
        );
        assert!(
            !public.body.contains("saburo@") && !public.body.contains("adviser@demo"),
            "no address in public"
        );
        // The demo's published comment is public; its internal one is not.
        assert!(
            public.body.contains("終期の設定と効果の測定") && !public.body.contains("数値の誤り"),
            "{}",
            public.body
        );

        // The demo adviser comments on the council: refused empty, internal until published.
        let demo = adviser_of(&t, org, "adviser@demo.kyodo.jp").await;
        let on_council = assignments_of(&t, org, demo).await[1].0;
        let mut adviser = t.signed_in("adviser@demo.kyodo.jp").await;
        let path = format!("/adviser/assignments/{on_council}/comments");
        let res = adviser.post(&path, &[("body", "  ")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-body\""));
        let res = adviser
            .post(
                &path,
                &[(
                    "body",
                    "<script>alert(1)</script>答申の実施状況を毎年報告してください。",
                )],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(
            !t.client()
                .get("/advisers")
                .await
                .body
                .contains("答申の実施状況")
        );
        let comment: i64 = sqlx::query_scalar(
            "SELECT id FROM adviser_comments WHERE organization_id = $1 AND assignment_id = $2",
        )
        .bind(org)
        .bind(on_council)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let publish = format!("/hq/advisers/comments/{comment}/publish");
        assert_eq!(
            adviser.post(&publish, &[("publish", "1")]).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            hq.post(&publish, &[("publish", "1")]).await.status,
            StatusCode::SEE_OTHER
        );
        let public = t.client().get("/advisers").await;
        assert!(
            public
                .body
                .contains("答申の実施状況を毎年報告してください。")
                && public.body.contains("デモ 有識者"),
            "{}",
            public.body
        );
        assert!(!public.body.contains("<script>alert(1)"), "escaped");
        assert_eq!(
            hq.post(&publish, &[("publish", "0")]).await.status,
            StatusCode::SEE_OTHER
        );
        assert!(
            !t.client()
                .get("/advisers")
                .await
                .body
                .contains("答申の実施状況")
        );
        t
    })
    .await;
}
