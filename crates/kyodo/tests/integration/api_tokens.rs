//! API tokens: made on one's account page (secret shown once), sent as `Authorization: Bearer`,
//! limited to their scopes and to their user's roles, revocable and expiring; writes made with one
//! are audited as the token; a token opens nothing but the API.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

/// Makes a token on the account page of `email` with `scopes`; returns (id, secret).
/// The secret shown once on the answer to a token's creation.
fn secret_of(page: &str) -> String {
    page.split("<code id=\"token-secret\">")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .unwrap()
        .to_string()
}

pub async fn make(t: &TestApp, email: &str, scopes: &[&str]) -> (i64, String) {
    let mut c = t.signed_in(email).await;
    let mut fields = vec![("name", "財務会計システム連携"), ("days", "30")];
    fields.extend(scopes.iter().map(|s| ("scope", *s)));
    let res = c.post("/account/tokens", &fields).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.headers[header::CACHE_CONTROL], "no-store");
    let secret = secret_of(&res.body);
    assert!(secret.starts_with("kyodo_"));
    // Never shown again: the list has no secret.
    assert!(!c.get("/account/tokens").await.body.contains(&secret));
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM api_tokens WHERE digest = $1")
        .bind(kyodo::accounts::tokens::digest(&secret))
        .fetch_one(&t.app.db)
        .await
        .unwrap();
    (id, secret)
}

pub async fn call(t: &TestApp, method: &str, path: &str, secret: &str, json: Option<&str>) -> Res {
    call_with(t, method, path, secret, json, &[]).await
}

/// As `call`, with more request headers (`Idempotency-Key` …).
pub async fn call_with(
    t: &TestApp,
    method: &str,
    path: &str,
    secret: &str,
    json: Option<&str>,
    headers: &[(&str, &str)],
) -> Res {
    let mut c = t.client();
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, &c.host)
        .header(header::AUTHORIZATION, format!("Bearer {secret}"));
    if json.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = json.map_or_else(Body::empty, |j| Body::from(j.to_string()));
    c.send(req.body(body).unwrap()).await
}

const NEW_DEPT: &str = r#"{"code": "API1", "name": "API連携課", "level": "bu"}"#;

#[tokio::test]
async fn a_token_does_what_its_scopes_and_its_user_allow_and_no_more() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (id, admin) = make(&t, "admin@demo.kyodo.jp", &["read:staff", "write:admin"]).await;
        let users = call(&t, "GET", "/api/v1/admin/users", &admin, None).await;
        assert_eq!(users.status, StatusCode::OK, "{}", users.body);
        assert!(users.body.contains("\"users\""));
        // Public data needs read:published, which this token lacks.
        let plans = call(&t, "GET", "/api/v1/plans", &admin, None).await;
        assert_eq!(plans.status, StatusCode::FORBIDDEN);
        assert!(plans.body.contains("read:published"), "{}", plans.body);
        assert!(
            plans.headers[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .contains("insufficient_scope")
        );
        // A write without a CSRF token or cookie: the token is the authority, audited as itself.
        let made = call(
            &t,
            "POST",
            "/api/v1/admin/departments",
            &admin,
            Some(NEW_DEPT),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let mut a = t.signed_in("admin@demo.kyodo.jp").await;
        let log = a.get("/api/v1/admin/audit").await.body;
        assert!(log.contains(&format!("token:{id}")), "audited as the token");
        let (used,): (Option<String>,) =
            sqlx::query_as("SELECT last_used_at FROM api_tokens WHERE id = $1")
                .bind(id)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        assert!(used.is_some(), "the last use is recorded");
        // A token opens the API only: an HTML page treats its bearer as anonymous.
        let page = call(&t, "GET", "/admin/users", &admin, None).await;
        assert_ne!(page.status, StatusCode::OK);

        // A read-only token: reads published data, nothing else.
        let (_, reader) = make(&t, "admin@demo.kyodo.jp", &["read:published"]).await;
        assert_eq!(
            call(&t, "GET", "/api/v1/plans", &reader, None).await.status,
            StatusCode::OK
        );
        let denied = call(&t, "GET", "/api/v1/admin/users", &reader, None).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert!(denied.body.contains("read:staff"));
        let denied = call(
            &t,
            "POST",
            "/api/v1/admin/departments",
            &reader,
            Some(NEW_DEPT),
        )
        .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert!(denied.body.contains("write:admin"));

        // A staff member's token with every scope still has a staff member's roles.
        let (_, staff) = make(&t, "staff@demo.kyodo.jp", &["read:staff", "write:admin"]).await;
        let denied = call(
            &t,
            "POST",
            "/api/v1/admin/departments",
            &staff,
            Some(NEW_DEPT),
        )
        .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert_eq!(
            call(&t, "GET", "/api/v1/admin/users", &staff, None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // Revoked, expired or unknown: 401 invalid_token.
        let mut owner = t.signed_in("admin@demo.kyodo.jp").await;
        let res = owner
            .post(&format!("/account/tokens/{id}/revoke"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let gone = call(&t, "GET", "/api/v1/admin/users", &admin, None).await;
        assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
        assert!(gone.body.contains("invalid_token"));
        sqlx::query("UPDATE api_tokens SET expires_on = '2000-01-01' WHERE digest = $1")
            .bind(kyodo::accounts::tokens::digest(&reader))
            .execute(&t.app.db)
            .await
            .unwrap();
        assert_eq!(
            call(&t, "GET", "/api/v1/plans", &reader, None).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            call(&t, "GET", "/api/v1/plans", "kyodo_not-a-token", None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        // Someone else's token cannot be revoked by another user.
        let mut other = t.signed_in("hq@demo.kyodo.jp").await;
        assert_eq!(
            other
                .post(&format!("/account/tokens/{id}/revoke"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // The form's mistakes are shown beside their fields.
        let res = owner
            .post("/account/tokens", &[("name", ""), ("days", "999")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for id in ["e-name", "e-scope", "e-days"] {
            assert!(res.body.contains(&format!("id=\"{id}\"")), "{id}");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn a_system_administrator_makes_a_systems_token_and_can_revoke_any() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        // For the reform HQ's account (standing in for a system's), with the area's write scope.
        let res = admin
            .post(
                "/account/tokens",
                &[
                    ("name", "統計システム"),
                    ("days", "30"),
                    ("scope", "write:indicators"),
                    ("for_email", "HQ@demo.kyodo.jp"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let secret = secret_of(&res.body);
        let (id, user): (i64, i64) =
            sqlx::query_as("SELECT id, user_id FROM api_tokens WHERE digest = $1")
                .bind(kyodo::accounts::tokens::digest(&secret))
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        let (hq,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = 'hq@demo.kyodo.jp'")
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(user, hq, "the token is the HQ account's");
        // The administrator's list shows it with its account; the HQ's own list too.
        assert!(
            admin
                .get("/account/tokens")
                .await
                .body
                .contains("統計システム")
        );
        let mut owner = t.signed_in("hq@demo.kyodo.jp").await;
        let theirs = owner.get("/account/tokens").await.body;
        assert!(
            theirs.contains("統計システム") && !theirs.contains("for_email"),
            "no account field for others"
        );
        // Unknown accounts are refused beside the field; others cannot name an account.
        let res = admin
            .post(
                "/account/tokens",
                &[
                    ("name", "x"),
                    ("days", "30"),
                    ("scope", "read:published"),
                    ("for_email", "nobody@example.jp"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-for_email\""));
        let res = owner
            .post(
                "/account/tokens",
                &[
                    ("name", "x"),
                    ("days", "30"),
                    ("scope", "read:published"),
                    ("for_email", "admin@demo.kyodo.jp"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // The administrator revokes it; it stops working.
        let res = admin
            .post(&format!("/account/tokens/{id}/revoke"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(
            call(&t, "GET", "/api/v1/plans", &secret, None).await.status,
            StatusCode::UNAUTHORIZED
        );
        t
    })
    .await;
}
