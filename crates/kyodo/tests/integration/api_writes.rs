//! The API's writes: each needs its area's scope (and its user's role), checks its input as the
//! area's form does (same field names and messages), is audited as the token, and is applied
//! once however often it is sent with the same `Idempotency-Key`.

use crate::api_tokens::{call, call_with, make};
use crate::support::*;
use axum::http::StatusCode;

async fn scalar(t: &TestApp, sql: &str, org: i64) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}

async fn audited(t: &TestApp, org: i64, token: i64, action: &str) -> i64 {
    kyodo::audit::seal_all(&t.app).await.unwrap();
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE organization_id = $1 AND actor_label = $2 AND action = $3",
    )
    .bind(org)
    .bind(format!("token:{token}"))
    .bind(action)
    .fetch_one(&t.app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn indicator_actuals_are_pushed_once_per_idempotency_key_and_checked_like_the_form() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (token, secret) = make(&t, "hq@demo.kyodo.jp", &["write:indicators"]).await;
        let indicator = scalar(&t, "SELECT MIN(id) FROM indicators WHERE organization_id = $1", org).await;
        let year = scalar(
            &t,
            "SELECT pl.first_year FROM indicators i JOIN plan_nodes n ON n.organization_id = i.organization_id AND n.id = i.node_id \
             JOIN plans pl ON pl.organization_id = n.organization_id AND pl.id = n.plan_id \
             WHERE i.organization_id = $1 ORDER BY i.id LIMIT 1",
            org,
        )
        .await;
        let path = format!("/api/v1/plans/indicators/{indicator}/values");
        let body = format!(r#"{{"values": [{{"fiscal_year": {year}, "target": 120, "actual": "87.5"}}]}}"#);
        let key = [("Idempotency-Key", "push-2026-12-05-001")];
        let first = call_with(&t, "POST", &path, &secret, Some(&body), &key).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert!(first.body.contains("87.5"), "{}", first.body);
        // The retry gets the same answer and changes nothing more.
        let again = call_with(&t, "POST", &path, &secret, Some(&body), &key).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.headers["idempotent-replayed"], "true");
        assert_eq!(again.body, first.body);
        assert_eq!(audited(&t, org, token, "plan.indicator_values").await, 1);
        // The same key for another request is refused.
        let other = body.replace("87.5", "90");
        let reused = call_with(&t, "POST", &path, &secret, Some(&other), &key).await;
        assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reused.body.contains("idempotency_key_reused"));

        // Only the actual sent: the stored target is kept.
        let only_actual = format!(r#"{{"values": [{{"fiscal_year": {year}, "actual": 91}}]}}"#);
        let res = call(&t, "POST", &path, &secret, Some(&only_actual)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.body.contains("\"target\":120.0") && res.body.contains("\"actual\":91.0"), "{}", res.body);

        // Two systems at once, one the target and one the actual of the same year: both land.
        let target_only = format!(r#"{{"values": [{{"fiscal_year": {year}, "target": 130}}]}}"#);
        let actual_only = format!(r#"{{"values": [{{"fiscal_year": {year}, "actual": 95}}]}}"#);
        let (a, b) = tokio::join!(
            call(&t, "POST", &path, &secret, Some(&target_only)),
            call(&t, "POST", &path, &secret, Some(&actual_only)),
        );
        assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK));
        let (target, actual): (Option<f64>, Option<f64>) = sqlx::query_as(
            "SELECT target, actual FROM indicator_values WHERE organization_id = $1 AND indicator_id = $2 AND fiscal_year = $3",
        )
        .bind(org)
        .bind(indicator)
        .bind(year)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!((target, actual), (Some(130.0), Some(95.0)));

        // Bad values: each beside its field, with the form's message; nothing written.
        let bad = format!(
            r#"{{"values": [{{"fiscal_year": {year}, "actual": "たくさん"}}, {{"fiscal_year": 1999, "actual": 1}}]}}"#
        );
        let res = call(&t, "POST", &path, &secret, Some(&bad)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains(&format!("\"field\":\"actual_{year}\"")), "{}", res.body);
        assert!(res.body.contains("\"field\":\"fiscal_year_1999\""), "{}", res.body);
        assert_eq!(audited(&t, org, token, "plan.indicator_values").await, 4);

        // Another area's write is outside this token's scope.
        let denied = call(&t, "POST", "/api/v1/cases/1/note", &secret, Some(r#"{"note": "x"}"#)).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert!(denied.body.contains("write:cases"), "{}", denied.body);
        // A staff member's token with the scope is still not the HQ.
        let (_, staff) = make(&t, "staff@demo.kyodo.jp", &["write:indicators"]).await;
        let res = call(&t, "POST", &path, &staff, Some(&only_actual)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        t
    })
    .await;
}

#[tokio::test]
async fn settled_costs_reach_a_draft_sheet_of_the_tokens_department_only() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (token, secret) = make(&t, "staff@demo.kyodo.jp", &["write:evaluation"]).await;
        let mine = "SELECT MIN(s.id) FROM eval_sheets s JOIN programmes p ON p.organization_id = s.organization_id AND p.id = s.programme_id \
             WHERE s.organization_id = $1 AND p.department_id {} (SELECT department_id FROM users WHERE organization_id = $1 AND email = 'staff@demo.kyodo.jp')";
        let sheet = scalar(&t, &mine.replace("{}", "="), org).await;
        let theirs = scalar(&t, &mine.replace("{}", "<>"), org).await;
        sqlx::query("UPDATE eval_sheets SET stage = 'draft' WHERE organization_id = $1 AND id IN ($2, $3)")
            .bind(org)
            .bind(sheet)
            .bind(theirs)
            .execute(&t.app.db)
            .await
            .unwrap();
        let body = r#"{"columns": {"settled": {"costs": {"general": 1200, "national": "300"}, "staff_years": {"regular": 0.5}}}}"#;
        let res = call(&t, "POST", &format!("/api/v1/evaluation/sheets/{sheet}/costs"), &secret, Some(body)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let (amount,): (i64,) = sqlx::query_as(
            "SELECT amount FROM eval_costs WHERE organization_id = $1 AND sheet_id = $2 AND col = 'settled' AND source = 'general'",
        )
        .bind(org)
        .bind(sheet)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(amount, 1200);
        assert_eq!(audited(&t, org, token, "eval.sheet_costs").await, 1);

        // The sheet form's checks and field names.
        let bad = r#"{"columns": {"settled": {"costs": {"general": -3, "nowhere": 1}, "staff_years": {"regular": "たくさん"}}, "someday": {}}}"#;
        let res = call(&t, "POST", &format!("/api/v1/evaluation/sheets/{sheet}/costs"), &secret, Some(bad)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        for field in ["cost-settled-nowhere", "fte-settled-regular", "column-someday"] {
            assert!(res.body.contains(&format!("\"field\":\"{field}\"")), "{field}: {}", res.body);
        }
        // Another department's sheet, and a submitted one, are refused.
        let res = call(&t, "POST", &format!("/api/v1/evaluation/sheets/{theirs}/costs"), &secret, Some(body)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        sqlx::query("UPDATE eval_sheets SET stage = 'first' WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(sheet)
            .execute(&t.app.db)
            .await
            .unwrap();
        let res = call(&t, "POST", &format!("/api/v1/evaluation/sheets/{sheet}/costs"), &secret, Some(body)).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
        t
    })
    .await;
}

#[tokio::test]
async fn a_case_system_sets_status_and_notes_and_a_vendor_imports_minutes() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (token, secret) = make(&t, "hq@demo.kyodo.jp", &["write:cases", "write:minutes"]).await;
        let case = scalar(
            &t,
            "SELECT MIN(id) FROM cases WHERE organization_id = $1 AND status IN ('received', 'checking', 'in_progress')",
            org,
        )
        .await;
        let res = call(&t, "POST", &format!("/api/v1/cases/{case}/status"), &secret, Some(r#"{"status": "in_progress"}"#)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = call(&t, "POST", &format!("/api/v1/cases/{case}/status"), &secret, Some(r#"{"status": "done-ish"}"#)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("\"field\":\"status\""), "{}", res.body);
        let res = call(&t, "POST", &format!("/api/v1/cases/{case}/note"), &secret, Some(r#"{"note": "財務会計システムから: 支払済"}"#)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(audited(&t, org, token, "cases.status").await, 1);
        assert_eq!(audited(&t, org, token, "cases.note").await, 1);

        let text = "令和7年度 第9回庁議\n日時：令和7年11月4日(火) 午前9時\n場所：本庁舎3階 第1会議室\n出席者　市長、副市長\n議題\n１　API連携の試行について（企画政策部）\n結果：原案のとおり了承\n";
        let body = serde_json::json!({"file_name": "chogi.txt", "content": text, "body": "庁議", "kind": "executive"}).to_string();
        let res = call(&t, "POST", "/api/v1/minutes/import", &secret, Some(&body)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        assert!(res.body.contains("\"imported\":1"), "{}", res.body);
        assert_eq!(audited(&t, org, token, "minutes.import").await, 1);
        // A file with problems: each listed by line, nothing written.
        let csv = "会議名,開催日,発言者,発言\n本会議,令和7年99月1日,議長,開会します\n";
        let body = serde_json::json!({"file_name": "speeches.csv", "content": csv}).to_string();
        let res = call(&t, "POST", "/api/v1/minutes/import", &secret, Some(&body)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("speeches.csv:"), "{}", res.body);
        let res = call(&t, "POST", "/api/v1/minutes/import", &secret, Some(r#"{"file_name": "a.txt"}"#)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("\"field\":\"content\""), "{}", res.body);
        t
    })
    .await;
}

/// Each write scope, one by one: a token with every scope but that one is refused at its
/// writes (403, naming the scope), and the reads stay as their own scopes allow.
#[tokio::test]
async fn each_scope_opens_its_own_writes_and_no_other() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let writes = [
            (
                "write:indicators",
                "/api/v1/plans/indicators/1/values",
                r#"{"values": []}"#,
            ),
            (
                "write:evaluation",
                "/api/v1/evaluation/sheets/1/costs",
                r#"{"columns": {}}"#,
            ),
            (
                "write:minutes",
                "/api/v1/minutes/import",
                r#"{"file_name": "a.txt"}"#,
            ),
            (
                "write:cases",
                "/api/v1/cases/1/status",
                r#"{"status": "checking"}"#,
            ),
            ("write:cases", "/api/v1/cases/1/note", r#"{"note": "x"}"#),
            (
                "write:admin",
                "/api/v1/admin/departments",
                r#"{"code": "X1", "name": "x", "level": "ka"}"#,
            ),
        ];
        let all = kyodo::accounts::api_tokens::Scope::ALL.map(|s| s.code());
        for (scope, path, body) in writes {
            let others: Vec<&str> = all.iter().copied().filter(|s| *s != scope).collect();
            let (_, secret) = make(&t, "hq@demo.kyodo.jp", &others).await;
            let res = call(&t, "POST", path, &secret, Some(body)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path} without {scope}");
            assert!(res.body.contains(scope), "{path}: {}", res.body);
            // With only its scope the token passes the scope check (what follows is the user's
            // role and the input: a 404 for id 1, 422 for the body, or 403 for write:admin,
            // which the HQ's user lacks).
            let (_, only) = make(&t, "hq@demo.kyodo.jp", &[scope]).await;
            let res = call(&t, "POST", path, &only, Some(body)).await;
            assert!(
                !res.body.contains("insufficient_scope"),
                "{path} with {scope}: {}",
                res.body
            );
            // No write scope reads anything.
            let read = call(&t, "GET", "/api/v1/plans", &only, None).await;
            assert_eq!(read.status, StatusCode::FORBIDDEN, "{scope} reads nothing");
        }
        t
    })
    .await;
}
