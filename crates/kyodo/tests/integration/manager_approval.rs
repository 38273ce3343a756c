//! 所属長承認 at object level: who may take the department head's step on a report and a sheet,
//! and what changes when an organization turns the step off.

use crate::authz_matrix::ROLES;
use crate::support::*;
use axum::http::StatusCode;

/// 企画調整課's S-1.3.1 report for 2011, submitted by its staff member: (node, period, editor path).
async fn submitted_report(t: &TestApp, org: i64) -> (i64, String, String) {
    let (plan, node): (i64, i64) = sqlx::query_as(
        "SELECT plan_id, id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = 'S-1.3.1'",
    )
    .bind(org)
    .fetch_one(&t.app.db)
    .await
    .unwrap();
    let (period,): (i64,) = sqlx::query_as(
        "SELECT id FROM reporting_periods WHERE plan_id = $1 AND fiscal_year = 2011",
    )
    .bind(plan)
    .fetch_one(&t.app.db)
    .await
    .unwrap();
    let period = period.to_string();
    let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
    let report = format!("/plans/items/{node}/report");
    let fields = [
        ("period", period.as_str()),
        ("progress", "in_progress"),
        ("rating", "A"),
        ("did", "実施した"),
        ("evaluation", "成果あり"),
        ("next_steps", "継続"),
    ];
    assert_eq!(
        staff
            .post(&format!("{report}/submit"), &fields)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    (node, period, report)
}

/// Was the request refused (not signed in here, or not allowed)?
fn refused(res: &Res) -> bool {
    matches!(res.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED)
        || (res.status == StatusCode::SEE_OTHER && res.location().starts_with("/login"))
}

/// 所属長承認 at object level, role by role: on a report and an evaluation sheet of 企画調整課 only
/// that department's manager takes the step (not its staff, not the HQ, not an administrator),
/// and the HQ approves only after it. Each refused attempt must leave the state as it was.
#[tokio::test]
async fn the_department_head_step_admits_exactly_the_department_manager() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (node, period, report) = submitted_report(&t, org).await;
        let (report_id,): (i64,) = sqlx::query_as(
            "SELECT id FROM progress_reports WHERE organization_id = $1 AND node_id = $2 AND period_id = $3",
        )
        .bind(org)
        .bind(node)
        .bind(period.parse::<i64>().unwrap())
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        // A sheet of the same department that waits for its manager.
        let (sheet,): (i64,) = sqlx::query_as(
            "SELECT s.id FROM eval_sheets s JOIN programmes p ON p.organization_id = s.organization_id AND p.id = s.programme_id \
             JOIN departments d ON d.organization_id = p.organization_id AND d.id = p.department_id \
             WHERE s.organization_id = $1 AND s.stage = 'first' AND s.manager_approved_at IS NULL AND d.code = '110' \
             ORDER BY s.id LIMIT 1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .expect("the demo has a 企画調整課 sheet awaiting its manager");
        let status = |sql: &'static str, id: i64| {
            let db = t.app.db.clone();
            async move {
                let (v,): (Option<String>,) = sqlx::query_as(sql).bind(id).fetch_one(&db).await.unwrap();
                v
            }
        };
        let report_status = "SELECT status FROM progress_reports WHERE id = $1";
        let sheet_approved = "SELECT manager_approved_at FROM eval_sheets WHERE id = $1";
        let review = format!("{report}/review");
        let approval = format!("/staff/evaluation/sheets/{sheet}/approval");
        let mut failures = Vec::new();
        for (role, email) in ROLES {
            if role == "dept_manager" {
                continue;
            }
            let mut c = match (role, email) {
                ("foreign_sysadmin", Some(e)) => {
                    let mut c = t.foreign_client();
                    c.login(e, PASSWORD).await;
                    c.host = HOST.into();
                    c
                }
                (_, Some(e)) => t.signed_in(e).await,
                (_, None) => t.client(),
            };
            let res = c.post(&format!("{review}/confirm"), &[("period", &period),]).await;
            if !refused(&res) {
                failures.push(format!("{role} confirmed the report: {}", res.status));
            }
            let res = c.post(&approval, &[]).await;
            if !refused(&res) {
                failures.push(format!("{role} approved the sheet: {}", res.status));
            }
            let res = c.post(&format!("{approval}/return"), &[]).await;
            if !refused(&res) {
                failures.push(format!("{role} returned the sheet: {}", res.status));
            }
        }
        assert!(failures.is_empty(), "{}: {failures:#?}", t.backend);
        assert_eq!(status(report_status, report_id).await.as_deref(), Some("submitted"));
        assert_eq!(status(sheet_approved, sheet).await, None);
        // The HQ cannot skip the step, on either.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq.post(&format!("{review}/approve"), &[("period", &period),]).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        let verdict = [("operator", "city"), ("direction", "continue"), ("reason", "理由")];
        let res = hq.post(&format!("/hq/evaluation/sheets/{sheet}/verdict"), &verdict).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        // The department's manager takes it; then the HQ can.
        let mut manager = t.signed_in("manager@demo.kyodo.jp").await;
        let res = manager.post(&format!("{review}/confirm"), &[("period", &period),]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(status(report_status, report_id).await.as_deref(), Some("confirmed"));
        let res = manager.submit(&approval, &[]).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(status(sheet_approved, sheet).await.is_some());
        let res = hq.post(&format!("{review}/approve"), &[("period", &period),]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        t
    })
    .await;
}

/// Turned off by the HQ, the step disappears: a submitted report goes straight to the HQ, and the
/// manager has nothing to confirm.
#[tokio::test]
async fn without_the_department_head_step_the_hq_reviews_directly() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let page = hq.get("/hq/settings/approval").await;
        assert!(page.body.contains("value=\"on\" checked"), "on by default");
        let bad = hq
            .post("/hq/settings/approval", &[("manager_approval", "maybe")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"e-manager_approval\""));
        let off = hq
            .submit("/hq/settings/approval", &[("manager_approval", "off")])
            .await;
        assert_eq!(off.status, StatusCode::OK);
        assert!(off.body.contains("value=\"off\" checked"));
        assert!(
            !kyodo::accounts::approval::required(&t.app.db, org)
                .await
                .unwrap()
        );
        // Another organization's setting is its own.
        let other = kyodo::accounts::organizations::by_code(&t.app.db, "130001")
            .await
            .unwrap()
            .unwrap()
            .id;
        assert!(
            kyodo::accounts::approval::required(&t.app.db, other)
                .await
                .unwrap()
        );
        let (_, period, report) = submitted_report(&t, org).await;
        let review = format!("{report}/review");
        let mut manager = t.signed_in("manager@demo.kyodo.jp").await;
        let editor = manager.get(&format!("{report}?period={period}")).await;
        assert!(!editor.body.contains("value=\"confirm\""));
        let res = manager
            .post(&format!("{review}/confirm"), &[("period", &period)])
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        let res = hq
            .post(&format!("{review}/approve"), &[("period", &period)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        t
    })
    .await;
}
