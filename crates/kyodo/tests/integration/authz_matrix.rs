//! Every route × every role × a foreign organization's administrator. The expected access of each
//! level is written out here independently of `policy.rs`, so a change to either is caught.

use crate::support::*;
use axum::http::StatusCode;
use kyodo::policy::Access;
use kyodo::web::routes::ROUTES;

const ROLES: [(&str, Option<&str>); 8] = [
    ("anonymous", None),
    ("citizen", Some("citizen@demo.kyodo.jp")),
    ("staff", Some("staff@demo.kyodo.jp")),
    ("dept_manager", Some("manager@demo.kyodo.jp")),
    ("reform_hq", Some("hq@demo.kyodo.jp")),
    ("committee", Some("committee@demo.kyodo.jp")),
    ("sysadmin", Some("admin@demo.kyodo.jp")),
    // Signed in at another organization; its cookie is presented here.
    ("foreign_sysadmin", Some("admin@other.example")),
];

fn expected(access: Access, role: &str) -> bool {
    let allowed: &[&str] = match access {
        Access::Public => &[
            "anonymous",
            "citizen",
            "staff",
            "dept_manager",
            "reform_hq",
            "committee",
            "sysadmin",
            "foreign_sysadmin",
        ],
        Access::SignedIn => &[
            "citizen",
            "staff",
            "dept_manager",
            "reform_hq",
            "committee",
            "sysadmin",
        ],
        Access::Staff => &["staff", "dept_manager", "reform_hq", "sysadmin"],
        Access::Committee => &["committee", "reform_hq"],
        Access::ReformHq => &["reform_hq"],
        Access::SysAdmin => &["sysadmin"],
    };
    allowed.contains(&role)
}

#[tokio::test]
async fn every_route_admits_exactly_the_roles_of_its_access_level() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let some_user = t.user_id(org, "staff@demo.kyodo.jp").await.to_string();
        // Sign-out last, so the session survives the other routes.
        let mut routes: Vec<_> = ROUTES.iter().collect();
        routes.sort_by_key(|r| r.path == "/logout");
        let mut failures = Vec::new();
        for (role, email) in ROLES {
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
            for r in &routes {
                let path = r.path.replace("{id}", &some_user);
                let res = match r.method {
                    "get" => c.get(&path).await,
                    "post" if path.starts_with("/api/") => {
                        c.post_json(&path, &serde_json::json!({})).await
                    }
                    _ => c.post(&path, &[]).await,
                };
                let denied = res.status == StatusCode::FORBIDDEN
                    || res.status == StatusCode::UNAUTHORIZED
                    || (res.status == StatusCode::SEE_OTHER
                        && res.location().starts_with("/login"));
                if res.status.is_server_error() {
                    failures.push(format!("{role} {} {path}: {}", r.method, res.status));
                } else if denied == expected(r.access, role) {
                    failures.push(format!(
                        "{role} {} {path}: got {} (access {:?})",
                        r.method, res.status, r.access
                    ));
                }
                // Anonymous page requests go to the sign-in form; signed-in ones get 403; the API 401/403.
                if denied && !expected(r.access, role) {
                    let api = path.starts_with("/api/");
                    let ok = match (api, role) {
                        (true, "anonymous" | "foreign_sysadmin") => {
                            res.status == StatusCode::UNAUTHORIZED
                        }
                        (false, "anonymous" | "foreign_sysadmin") => {
                            res.status == StatusCode::SEE_OTHER
                        }
                        _ => res.status == StatusCode::FORBIDDEN,
                    };
                    if !ok {
                        failures.push(format!(
                            "{role} {} {path}: denied with {}",
                            r.method, res.status
                        ));
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures on {}:\n{}",
            failures.len(),
            t.backend,
            failures.join("\n")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn an_administrator_cannot_reach_another_organizations_user_by_id() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let other = kyodo::accounts::organizations::by_code(&t.app.db, "130001")
            .await
            .unwrap()
            .unwrap()
            .id;
        let foreign_user = t.user_id(other, "admin@other.example").await;
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        assert_eq!(
            admin
                .get(&format!("/admin/users/{foreign_user}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let res = admin
            .post(
                &format!("/admin/users/{foreign_user}/grant"),
                &[("role", "sysadmin")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(
            kyodo::accounts::roles::of_user(&t.app.db, t.demo_org().await, foreign_user)
                .await
                .unwrap()
                .is_empty()
        );
        // And the foreign organization's data never appears in this organization's lists.
        let users = admin.get("/admin/users").await;
        assert!(!users.body.contains("admin@other.example"));
        let depts = admin.get("/api/v1/departments").await;
        assert!(!depts.body.contains("総務局"));
        t
    })
    .await;
}

/// Routes outside the prefixes below that are not public, written out by hand: the matrix above
/// reads each route's access from the route table itself, so a route wrongly declared `Public`
/// there would pass it. This list and the prefix rule do not come from the table.
const NOT_PUBLIC_ELSEWHERE: [(&str, &str, &str); 15] = [
    ("post", "/logout", "SignedIn"),
    ("post", "/plans/items/{id}/rating", "SignedIn"),
    ("post", "/plans/items/{id}/comments", "SignedIn"),
    ("post", "/comments/{id}/flag", "SignedIn"),
    ("post", "/plans/items/{id}/opinions", "Committee"),
    ("get", "/plans/items/{id}/change", "Staff"),
    ("post", "/plans/items/{id}/change", "Staff"),
    ("get", "/plans/items/{id}/report", "Staff"),
    ("post", "/plans/items/{id}/report", "Staff"),
    ("post", "/plans/items/{id}/report/attachments", "Staff"),
    ("post", "/plans/items/{id}/report/review/confirm", "Staff"),
    ("post", "/plans/items/{id}/report/review/return", "Staff"),
    ("post", "/plans/items/{id}/report/review/approve", "Staff"),
    ("post", "/plans/items/{id}/report/review/publish", "Staff"),
    ("get", "/api/v1/me", "SignedIn"),
];

/// The access a path must have: by prefix (`/admin` only system administrators, `/hq` only the
/// reform HQ, `/staff` staff, `/committee` committee members, `/account` any signed-in account),
/// else as listed above, else public.
fn access_by_rule(method: &str, path: &str) -> &'static str {
    let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
    if under("/admin") || under("/api/v1/admin") {
        "SysAdmin"
    } else if under("/hq") {
        "ReformHq"
    } else if under("/staff") {
        "Staff"
    } else if under("/committee") {
        "Committee"
    } else if under("/account") {
        "SignedIn"
    } else {
        NOT_PUBLIC_ELSEWHERE
            .iter()
            .find(|(m, p, _)| *m == method && *p == path)
            .map_or("Public", |(_, _, a)| a)
    }
}

#[test]
fn the_route_table_agrees_with_the_rules_by_path() {
    let wrong: Vec<String> = ROUTES
        .iter()
        .filter(|r| format!("{:?}", r.access) != access_by_rule(r.method, r.path))
        .map(|r| {
            format!(
                "{} {}: table says {:?}, rule says {}",
                r.method,
                r.path,
                r.access,
                access_by_rule(r.method, r.path)
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
    // Every hand-written entry names a route that exists.
    for (m, p, _) in NOT_PUBLIC_ELSEWHERE {
        assert!(
            ROUTES.iter().any(|r| r.method == m && r.path == p),
            "{m} {p} is not a route"
        );
    }
}

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
        ("action", "submit"),
        ("progress", "in_progress"),
        ("rating", "A"),
        ("did", "実施した"),
        ("evaluation", "成果あり"),
        ("next_steps", "継続"),
    ];
    assert_eq!(
        staff.post(&report, &fields).await.status,
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
        let res = manager.post(&approval, &[]).await;
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
            .post("/hq/settings/approval", &[("manager_approval", "off")])
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
