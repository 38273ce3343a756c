use crate::support::*;
use axum::body::Body;
use axum::http::StatusCode;

#[tokio::test]
async fn state_changes_without_a_matching_token_are_refused() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.signed_in("admin@demo.kyodo.jp").await;
        let form = "code=999&name=x&level=bu";
        // No token at all.
        let res = c
            .post_raw(
                "/admin/departments",
                "application/x-www-form-urlencoded",
                form.into(),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(res.body.contains("再読み込み"));
        // A token that does not match the cookie.
        let res = c
            .post_raw(
                "/admin/departments",
                "application/x-www-form-urlencoded",
                format!("csrf=forged-token-forged-token-forged&{form}").into(),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // The right token from another site's page.
        let req = c
            .request("POST", "/admin/departments")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "https://evil.example")
            .body(Body::from(format!("csrf={CSRF}&{form}")))
            .unwrap();
        assert_eq!(c.send(req).await.status, StatusCode::FORBIDDEN);
        let req = c
            .request("POST", "/admin/departments")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from(format!("csrf={CSRF}&{form}")))
            .unwrap();
        assert_eq!(c.send(req).await.status, StatusCode::FORBIDDEN);
        // The API needs the header.
        let req = c
            .request("POST", "/api/v1/admin/departments")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"code":"998","name":"x","level":"bu"}"#))
            .unwrap();
        let res = c.send(req).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(res.body.contains("\"code\":\"csrf\""), "{}", res.body);
        // Nothing was created.
        let depts = kyodo::accounts::departments::list(&t.app.db, t.demo_org().await)
            .await
            .unwrap();
        assert!(!depts.iter().any(|d| d.code == "999" || d.code == "998"));
        // Same-origin with the token works.
        let req = c
            .request("POST", "/admin/departments")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", format!("http://{HOST}"))
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(format!("csrf={CSRF}&{form}")))
            .unwrap();
        assert_eq!(c.send(req).await.status, StatusCode::OK);
        t
    })
    .await;
}

#[tokio::test]
async fn a_form_page_hands_out_a_token_cookie_and_accepts_it_back() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        c.cookies.clear();
        let page = c.get("/login").await;
        let cookie = c.cookies.get("kyodo_csrf").cloned().expect("csrf cookie");
        assert!(page.body.contains(&format!("value=\"{cookie}\"")));
        assert_eq!(page.headers.get("cache-control").unwrap(), "no-store");
        // The home page has no form and sets no cookie, so shared caches may keep it.
        let mut fresh = t.client();
        fresh.cookies.clear();
        let home = fresh.get("/").await;
        assert!(home.headers.get("set-cookie").is_none());
        let body = format!("csrf={cookie}&email=staff%40demo.kyodo.jp&password={PASSWORD}");
        let res = c
            .post_raw(
                "/login",
                "application/x-www-form-urlencoded",
                body.into_bytes(),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        t
    })
    .await;
}
