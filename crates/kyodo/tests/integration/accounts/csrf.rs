use crate::support::*;
use axum::body::Body;
use axum::http::StatusCode;

#[tokio::test]
async fn state_changes_without_a_matching_token_are_refused() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.signed_in("admin@demo.kyodo.jp").await;
        let form = "code=999&name=x&level=bu";
        let token = c.csrf_token();
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
            .body(Body::from(format!("csrf={token}&{form}")))
            .unwrap();
        assert_eq!(c.send(req).await.status, StatusCode::FORBIDDEN);
        let req = c
            .request("POST", "/admin/departments")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from(format!("csrf={token}&{form}")))
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
            .body(Body::from(format!("csrf={token}&{form}")))
            .unwrap();
        assert_eq!(c.send(req).await.status, StatusCode::SEE_OTHER);
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
        let token = form_token_on(&page.body);
        assert_ne!(token, cookie, "the cookie's secret is not itself the token");
        assert_eq!(page.headers.get("cache-control").unwrap(), "no-store");
        // The home page has no form and sets no cookie, so shared caches may keep it.
        let mut fresh = t.client();
        fresh.cookies.clear();
        let home = fresh.get("/").await;
        assert!(home.headers.get("set-cookie").is_none());
        // The old double submit (the cookie's value sent back as the token) no longer passes.
        let res = sign_in_with(&mut c, &cookie, "staff@demo.kyodo.jp").await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = sign_in_with(&mut c, &token, "staff@demo.kyodo.jp").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        t
    })
    .await;
}

/// Posts the sign-in form with `token` as its CSRF field and the demo password.
async fn sign_in_with(c: &mut Client, token: &str, email: &str) -> Res {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf", token)
        .append_pair("email", email)
        .append_pair("password", PASSWORD)
        .finish();
    c.post_raw(
        "/login",
        "application/x-www-form-urlencoded",
        body.into_bytes(),
    )
    .await
}

/// Posts a new department with `token` as the form's CSRF field.
async fn add_department(c: &mut Client, token: &str, code: &str) -> StatusCode {
    let body = format!("csrf={token}&code={code}&name=x&level=bu");
    c.post_raw(
        "/admin/departments",
        "application/x-www-form-urlencoded",
        body.into_bytes(),
    )
    .await
    .status
}

#[tokio::test]
async fn the_token_is_bound_to_the_session_and_changes_at_sign_in() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        c.cookies.clear();
        let before = form_token_on(&c.get("/login").await.body);
        let res = sign_in_with(&mut c, &before, "admin@demo.kyodo.jp").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        // Signed in, the token from before is worthless; the page's new one works.
        assert_eq!(
            add_department(&mut c, &before, "901").await,
            StatusCode::FORBIDDEN
        );
        let after = form_token_on(&c.get("/admin/departments").await.body);
        assert_ne!(after, before);
        assert_eq!(
            add_department(&mut c, &after, "902").await,
            StatusCode::SEE_OTHER
        );
        // Another session of the same person has its own token, refused in this one.
        let mut other = t.signed_in("admin@demo.kyodo.jp").await;
        let theirs = form_token_on(&other.get("/admin/departments").await.body);
        assert_ne!(theirs, after);
        assert_eq!(
            add_department(&mut c, &theirs, "903").await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            add_department(&mut other, &after, "904").await,
            StatusCode::FORBIDDEN
        );
        let codes: Vec<String> = kyodo::accounts::departments::list(&t.app.db, t.demo_org().await)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.code)
            .filter(|c| c.starts_with("90"))
            .collect();
        assert_eq!(codes, ["902"]);
        t
    })
    .await;
}

#[tokio::test]
async fn over_https_the_cookies_carry_the_host_prefix() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client_with_config(|cfg| cfg.public_url = format!("https://{HOST}"));
        let page = c.get("/login").await;
        let set: Vec<&str> = page
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert_eq!(set.len(), 1, "{set:?}");
        assert!(set[0].starts_with("__Host-kyodo_csrf="), "{}", set[0]);
        assert!(set[0].contains("; Secure") && set[0].contains("Path=/"));
        assert!(!set[0].contains("Domain"));
        // A cookie without the prefix (as a sibling subdomain could plant) is not the secret.
        let token = form_token_on(&page.body);
        let planted = c.cookies.remove("__Host-kyodo_csrf").unwrap();
        c.cookies.insert("kyodo_csrf".into(), planted.clone());
        let res = sign_in_with(&mut c, &token, "admin@demo.kyodo.jp").await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        c.cookies.clear();
        c.cookies.insert("__Host-kyodo_csrf".into(), planted);
        let res = sign_in_with(&mut c, &token, "admin@demo.kyodo.jp").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let session = res
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.contains("kyodo_session"))
            .unwrap();
        assert!(session.starts_with("__Host-kyodo_session="), "{session}");
        assert!(session.contains("; Secure") && session.contains("HttpOnly"));
        // The prefixed session signs the person in.
        let account = c.get("/account").await;
        assert_eq!(account.status, StatusCode::OK);
        t
    })
    .await;
}
