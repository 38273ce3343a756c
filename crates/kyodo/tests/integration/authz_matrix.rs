//! Every route × every role × a foreign organization's administrator. The expected access of each
//! level is written out here independently of `policy.rs`, so a change to either is caught.

use crate::support::*;
use axum::http::StatusCode;
use kyodo::policy::Access;
use kyodo::web::routes::ROUTES;

pub(crate) const ROLES: [(&str, Option<&str>); 10] = [
    ("anonymous", None),
    ("citizen", Some("citizen@demo.kyodo.jp")),
    ("staff", Some("staff@demo.kyodo.jp")),
    ("dept_manager", Some("manager@demo.kyodo.jp")),
    ("reform_hq", Some("hq@demo.kyodo.jp")),
    ("committee", Some("committee@demo.kyodo.jp")),
    ("sysadmin", Some("admin@demo.kyodo.jp")),
    // コンプライアンス担当: staff who keeps the 働きかけ記録 with the HQ.
    ("compliance", Some("compliance@demo.kyodo.jp")),
    // 外部有識者: a citizen account registered as an adviser (its pages check the assignment).
    ("adviser", Some("adviser@demo.kyodo.jp")),
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
            "compliance",
            "adviser",
            "foreign_sysadmin",
        ],
        Access::SignedIn => &[
            "adviser",
            "citizen",
            "staff",
            "dept_manager",
            "reform_hq",
            "committee",
            "sysadmin",
            "compliance",
        ],
        Access::Staff => &[
            "staff",
            "dept_manager",
            "reform_hq",
            "sysadmin",
            "compliance",
        ],
        Access::Committee => &["committee", "reform_hq"],
        Access::ReformHq => &["reform_hq"],
        Access::SysAdmin => &["sysadmin"],
        Access::Restricted => &["reform_hq", "compliance"],
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
const NOT_PUBLIC_ELSEWHERE: [(&str, &str, &str); 37] = [
    ("get", "/facilities/lotteries/{id}/apply", "SignedIn"),
    ("post", "/facilities/lotteries/{id}/apply", "SignedIn"),
    ("get", "/facilities/my", "SignedIn"),
    ("get", "/facilities/register", "SignedIn"),
    ("post", "/facilities/register", "SignedIn"),
    ("get", "/facilities/rooms/{id}/book", "SignedIn"),
    ("post", "/facilities/rooms/{id}/book", "SignedIn"),
    ("post", "/facilities/bookings/{id}/cancel", "SignedIn"),
    ("post", "/logout", "SignedIn"),
    ("post", "/plans/items/{id}/rating", "SignedIn"),
    ("post", "/plans/items/{id}/comments", "SignedIn"),
    ("post", "/comments/{id}/flag", "SignedIn"),
    ("post", "/plans/items/{id}/opinions", "Committee"),
    ("post", "/plans/{id}/opinions", "Committee"),
    ("post", "/evaluation/policies/{id}/opinions", "Committee"),
    ("get", "/plans/items/{id}/change", "Staff"),
    ("post", "/plans/items/{id}/change", "Staff"),
    ("get", "/plans/items/{id}/report", "Staff"),
    ("post", "/plans/items/{id}/report", "Staff"),
    ("post", "/plans/items/{id}/report/submit", "Staff"),
    ("post", "/plans/items/{id}/report/attachments", "Staff"),
    ("post", "/plans/items/{id}/report/review/confirm", "Staff"),
    ("post", "/plans/items/{id}/report/review/return", "Staff"),
    ("post", "/plans/items/{id}/report/review/approve", "Staff"),
    ("post", "/plans/items/{id}/report/review/publish", "Staff"),
    ("get", "/api/v1/me", "SignedIn"),
    // The API's area writes: each as its page's form (and a token needs the area's scope).
    ("post", "/api/v1/plans/indicators/{id}/values", "ReformHq"),
    ("post", "/api/v1/evaluation/sheets/{id}/costs", "Staff"),
    ("post", "/api/v1/minutes/import", "ReformHq"),
    ("post", "/api/v1/cases/{id}/status", "Staff"),
    ("post", "/api/v1/cases/{id}/note", "Staff"),
    ("get", "/adviser", "SignedIn"),
    ("get", "/adviser/assignments/{id}", "SignedIn"),
    ("post", "/adviser/assignments/{id}/comments", "SignedIn"),
    ("get", "/manager/facilities", "SignedIn"),
    ("get", "/manager/facilities/{id}", "SignedIn"),
    ("post", "/manager/facilities/{id}/reports", "SignedIn"),
];

/// The access a path must have: by prefix (`/admin` only system administrators, `/hq` only the
/// reform HQ, `/staff` staff, `/committee` committee members, `/compliance` the HQ and the
/// compliance officer, `/account` any signed-in account),
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
    } else if under("/compliance") {
        "Restricted"
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
