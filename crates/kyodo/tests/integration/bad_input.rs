//! Random bytes, huge values, wrong types and missing fields on every route: always a 4xx or a
//! page with a message, never a 500.

use crate::support::*;
use axum::http::StatusCode;
use kyodo::policy::Access;
use kyodo::web::routes::ROUTES;

fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

const QUERIES: [&str; 7] = [
    "?next=%ff%fe%00&token=%00%01",
    "?from=2025-13-45&to=%E4%BB%A4%E5%92%8C99%E5%B9%B4&before=abc",
    "?before=99999999999999999999999&action=%27%3B%20DROP%20TABLE%20users%3B--",
    "?lang=xx&text=%3Cscript%3E&contrast=1&back=%2F%2Fevil.example",
    "?token=",
    "?from=R7.11.24&to=2025-11-24&actor=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "?a[]=1&a[x]=2&&&==",
];

#[tokio::test]
async fn no_route_answers_garbage_with_a_server_error() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let id = t.user_id(org, "staff@demo.kyodo.jp").await.to_string();
        // Open311 clients authenticate with an API key in the body (403 without one): the garbage
        // carries a valid key so that it reaches the handler.
        let api_key = kyodo::cases::open311::issue_key(&t.app, org, "garbage").await.unwrap();
        let mut failures = Vec::new();
        // Routes whose handler (not only the guard) saw some of the garbage.
        let mut reached = std::collections::HashSet::new();
        // Each route is tried anonymously and with the role it needs, so that the garbage gets
        // past the guard to the handler (with the sysadmin alone, the HQ and committee routes
        // stopped at the guard).
        let needed = |access: Access| match access {
            Access::Public => None,
            Access::SignedIn => Some("citizen@demo.kyodo.jp"),
            Access::Staff => Some("staff@demo.kyodo.jp"),
            Access::Committee => Some("committee@demo.kyodo.jp"),
            Access::ReformHq => Some("hq@demo.kyodo.jp"),
            Access::SysAdmin => Some("admin@demo.kyodo.jp"),
            Access::Restricted => Some("compliance@demo.kyodo.jp"),
        };
        for who in [
            None,
            Some("citizen@demo.kyodo.jp"),
            Some("staff@demo.kyodo.jp"),
            Some("committee@demo.kyodo.jp"),
            Some("hq@demo.kyodo.jp"),
            Some("admin@demo.kyodo.jp"),
            Some("compliance@demo.kyodo.jp"),
        ] {
            let mut c = match who {
                Some(e) => t.signed_in(e).await,
                None => t.client(),
            };
            for r in ROUTES
                .iter()
                .filter(|r| r.path != "/logout")
                .filter(|r| who.is_none() || needed(r.access) == who)
            {
                for path_id in [id.as_str(), "abc", "-1", "99999999999999999999"] {
                    let path = r.path.replace("{id}", path_id);
                    for (i, q) in QUERIES.iter().enumerate() {
                        let res = if r.method == "get" {
                            c.get(&format!("{path}{q}")).await
                        } else {
                            let mut body = format!("csrf={}&", c.csrf_token()).into_bytes();
                            if path.starts_with("/api/open311/") {
                                body.extend(format!("api_key={api_key}&").bytes());
                            }
                            body.extend(noise(i as u64 + 1, 64 * (i + 1)));
                            c.post_raw(&format!("{path}{q}"), "application/x-www-form-urlencoded", body).await
                        };
                        if res.status.is_server_error() {
                            failures.push(format!("{:?} {} {path}{q}: {}", who, r.method, res.status));
                        }
                        if !matches!(res.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                            && res.location() != "/login"
                            && !res.location().starts_with("/login?")
                        {
                            reached.insert((r.method, r.path));
                        }
                    }
                    if r.method == "post" {
                        let token = c.csrf_token();
                        for (ct, body) in [
                            ("application/json", format!("{{\"code\": 1, \"name\": [], \"level\": {{}}, \"csrf\": \"{token}\"}}")),
                            ("application/x-www-form-urlencoded", format!("csrf={token}&code={}&name={}&level=bu&email=a%40b.jp&display_name={}&parent_id=12abc&department_id=-5&role=sysadmin&scope_id=1e9", "9".repeat(5000), "名".repeat(5000), "x".repeat(100_000))),
                            ("text/plain", format!("csrf={token}")),
                            ("application/x-www-form-urlencoded", format!("csrf={token}&email=%ff%fe&password=%00")),
                        ] {
                            let res = if ct == "application/json" {
                                c.post_json(&path, &serde_json::from_str(&body).unwrap()).await
                            } else {
                                c.post_raw(&path, ct, body.into_bytes()).await
                            };
                            if res.status.is_server_error() {
                                failures.push(format!("{:?} post {path} ({ct}): {}", who, res.status));
                            }
                        }
                    }
                    if !r.path.contains("{id}") {
                        break;
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{} server errors on {}:\n{}", failures.len(), t.backend, failures.join("\n"));
        let unreached: Vec<_> = ROUTES
            .iter()
            .filter(|r| r.path != "/logout" && !reached.contains(&(r.method, r.path)))
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        assert!(unreached.is_empty(), "garbage never got past the guard of: {unreached:?}");
        t
    })
    .await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let mut body = format!("csrf={}&email=", c.csrf_token()).into_bytes();
        body.extend(std::iter::repeat_n(b'a', t.app.config.max_body_bytes + 10));
        let res = c
            .post_raw("/login", "application/x-www-form-urlencoded", body)
            .await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
        t
    })
    .await;
}

#[tokio::test]
async fn sql_metacharacters_are_data_not_code() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        let name = "x'); DROP TABLE users; --";
        let res = admin
            .submit(
                "/admin/departments",
                &[("code", "D'1\"--"), ("name", name), ("level", "bu")],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let depts = kyodo::accounts::departments::list(&t.app.db, t.demo_org().await)
            .await
            .unwrap();
        assert!(depts.iter().any(|d| d.name == name));
        assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
        let res = admin.get("/admin/audit?action=%27%20OR%201%3D1%20--").await;
        assert!(res.body.contains("該当する記録はありません"));
        t
    })
    .await;
}
