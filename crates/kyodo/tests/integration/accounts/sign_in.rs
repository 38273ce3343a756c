use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_citizen_registers_confirms_by_mail_and_signs_in() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut c = t.client();
        let res = c
            .submit(
                "/register",
                &[
                    ("email", "Hanako@Example.JP"),
                    ("display_name", "会津 花子"),
                    ("password", "aizu-wakamatsu-2025"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.body.contains("確認メールを送りました"));
        // Not confirmed yet: signing in is refused with a reason.
        let res = c
            .post(
                "/login",
                &[
                    ("email", "hanako@example.jp"),
                    ("password", "aizu-wakamatsu-2025"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("メールアドレスの確認が済んでいません"));
        let mail = t
            .outbox(org)
            .await
            .into_iter()
            .find(|m| m.to == "hanako@example.jp")
            .expect("verification mail");
        let res = c
            .get(&format!("/verify?token={}", token_in(&mail.body)))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        // A link works once.
        let again = c
            .get(&format!("/verify?token={}", token_in(&mail.body)))
            .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        c.login("hanako@example.jp", "aizu-wakamatsu-2025").await;
        let account = c.get("/account").await;
        assert!(account.body.contains("会津 花子"));
        // Registering the same address again reveals nothing on the page, and mails a notice instead.
        let mut other = t.client();
        let res = other
            .submit(
                "/register",
                &[
                    ("email", "hanako@example.jp"),
                    ("display_name", "x"),
                    ("password", "another-password-1"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(
            t.outbox(org)
                .await
                .iter()
                .any(|m| m.to == "hanako@example.jp" && m.subject.contains("登録の申込み"))
        );
        t
    })
    .await;
}

#[tokio::test]
async fn registration_errors_are_shown_beside_the_fields() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let res = c
            .post(
                "/register",
                &[
                    ("email", "not-an-address"),
                    ("display_name", ""),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for (id, msg) in [
            ("e-email", "メールアドレスの形式"),
            ("e-display_name", "入力してください"),
            ("e-password", "10文字以上"),
        ] {
            assert!(res.body.contains(&format!("id=\"{id}\"")), "{id} missing");
            assert!(res.body.contains(msg), "{msg} missing");
        }
        assert!(res.body.contains("aria-invalid=\"true\""));
        c.get("/prefs?lang=en").await;
        let res = c
            .post(
                "/register",
                &[("email", "x"), ("display_name", "n"), ("password", "p")],
            )
            .await;
        assert!(res.body.contains("Enter an e-mail address"));
        t
    })
    .await;
}

pub(crate) async fn login_from(
    c: &mut Client,
    address: [u8; 4],
    email: &str,
    password: &str,
) -> Res {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf", &c.csrf_token())
        .append_pair("email", email)
        .append_pair("password", password)
        .finish();
    let req = c
        .request("POST", "/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            address, 40000,
        ))))
        .body(axum::body::Body::from(body))
        .unwrap();
    c.send(req).await
}

/// Failed sign-ins delay the address that made them, not the account's owner elsewhere, and the
/// answer never tells whether an account exists. (Five requests from anywhere used to lock
/// `admin@` for 15 minutes, with a message of its own that unknown addresses never got.)
#[tokio::test]
async fn failed_sign_ins_delay_the_address_and_never_tell_which_accounts_exist() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let attacker = [203, 0, 113, 9];
        let mut c = t.client();
        let mut answers = Vec::new();
        for email in ["admin@demo.kyodo.jp", "nobody@demo.kyodo.jp"] {
            for _ in 0..3 {
                let res = login_from(&mut c, attacker, email, "wrong-password").await;
                assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
                answers.push(res.body.replace(email, "EMAIL"));
            }
        }
        // The right password from the attacker's address waits; the answer is the same as for a
        // wrong one and for an address with no account.
        let res = login_from(&mut c, attacker, "admin@demo.kyodo.jp", PASSWORD).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        answers.push(res.body.replace("admin@demo.kyodo.jp", "EMAIL"));
        assert!(
            answers.iter().all(|a| a == &answers[0]),
            "the answers differ"
        );
        assert!(answers[0].contains("正しくありません"));
        // The owner, from the office, signs in at once.
        let mut owner = t.client();
        let res = login_from(&mut owner, [192, 0, 2, 10], "admin@demo.kyodo.jp", PASSWORD).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "the owner was locked out"
        );
        // A guess spread over twenty addresses delays the account as a whole, and is audited.
        for i in 0..20u8 {
            let res = login_from(&mut c, [198, 51, 100, i], "staff@demo.kyodo.jp", "wrong").await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let res = login_from(&mut owner, [192, 0, 2, 11], "staff@demo.kyodo.jp", PASSWORD).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "account-wide delay"
        );
        kyodo::audit::seal_all(&t.app).await.unwrap();
        let audit = kyodo::audit::list(
            &t.app.db,
            t.demo_org().await,
            &kyodo::audit::AuditFilter {
                action: Some("user.login_delayed".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
        assert_eq!(audit.len(), 1);
        t
    })
    .await;
}

#[tokio::test]
async fn password_reset_by_mail_ends_old_sessions() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut old = t.signed_in("citizen@demo.kyodo.jp").await;
        let mut c = t.client();
        let res = c
            .submit("/password/forgot", &[("email", "citizen@demo.kyodo.jp")])
            .await;
        assert_eq!(res.status, StatusCode::OK);
        // Unknown addresses get the same answer.
        let unknown = c
            .submit("/password/forgot", &[("email", "nobody@example.jp")])
            .await;
        assert_eq!(
            unknown.body.replace("nobody@example.jp", ""),
            res.body.replace("citizen@demo.kyodo.jp", "")
        );
        let mail = t
            .outbox(org)
            .await
            .into_iter()
            .find(|m| m.to == "citizen@demo.kyodo.jp")
            .unwrap();
        let token = token_in(&mail.body);
        let weak = c
            .post(
                "/password/reset",
                &[("token", &token), ("password", "short")],
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        let ok = c
            .submit(
                "/password/reset",
                &[("token", &token), ("password", "a-brand-new-password")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let reused = c
            .post(
                "/password/reset",
                &[("token", &token), ("password", "a-brand-new-password")],
            )
            .await;
        assert_eq!(reused.status, StatusCode::BAD_REQUEST);
        assert_ne!(
            old.get("/account").await.status,
            StatusCode::OK,
            "old session must end"
        );
        c.login("citizen@demo.kyodo.jp", "a-brand-new-password")
            .await;
        t
    })
    .await;
}

#[tokio::test]
async fn login_replaces_a_planted_session_cookie_and_logout_ends_the_session() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        c.cookies
            .insert("kyodo_session".into(), "attacker-chosen-session-id".into());
        c.login("staff@demo.kyodo.jp", PASSWORD).await;
        let sid = c.cookies.get("kyodo_session").cloned().unwrap();
        assert_ne!(sid, "attacker-chosen-session-id");
        assert_eq!(c.get("/staff").await.status, StatusCode::OK);
        let res = c.post("/logout", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        // Replaying the old cookie after logout gets nothing.
        c.cookies.insert("kyodo_session".into(), sid);
        assert_eq!(c.get("/staff").await.status, StatusCode::SEE_OTHER);
        t
    })
    .await;
}

#[tokio::test]
async fn session_cookies_are_http_only_and_same_site() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let res = c.login("staff@demo.kyodo.jp", PASSWORD).await;
        let cookie = res.headers.get("set-cookie").unwrap().to_str().unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert_eq!(res.headers.get("cache-control").unwrap(), "no-store");
        t
    })
    .await;
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.signed_in("citizen@demo.kyodo.jp").await;
        let res = c
            .post(
                "/account/password",
                &[("current_password", "wrong"), ("new_password", "x")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("id=\"e-current_password\"")
                && res.body.contains("id=\"e-new_password\"")
        );
        let res = c
            .submit(
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "completely-new-pass"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(c.get("/account").await.status, StatusCode::SEE_OTHER);
        c.login("citizen@demo.kyodo.jp", "completely-new-pass")
            .await;
        t
    })
    .await;
}

#[tokio::test]
async fn a_hash_of_older_costs_is_rewritten_at_the_next_sign_in() {
    use argon2::PasswordHasher;
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let user = t.user_id(org, "staff@demo.kyodo.jp").await;
        // As hashes were stored before: the argon2 crate's default costs (19 MiB, 2 passes).
        let before = argon2::Argon2::default()
            .hash_password(PASSWORD.as_bytes())
            .unwrap()
            .to_string();
        assert!(before.contains("m=19456,t=2"), "{before}");
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(&before)
            .bind(user)
            .execute(&t.app.db)
            .await
            .unwrap();
        // A wrong password changes nothing.
        let mut c = t.client();
        let res = c
            .post(
                "/login",
                &[
                    ("email", "staff@demo.kyodo.jp"),
                    ("password", "wrong-password-1"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(stored(&t, user).await, before);
        // The right one signs in and leaves a hash of today's costs, which signs in again.
        c.login("staff@demo.kyodo.jp", PASSWORD).await;
        let after = stored(&t, user).await;
        assert!(after.contains("$m=7168,t=5,p=1$"), "{after}");
        let mut again = t.client();
        again.login("staff@demo.kyodo.jp", PASSWORD).await;
        assert_eq!(stored(&t, user).await, after);
        t
    })
    .await;
}

async fn stored(t: &TestApp, user: i64) -> String {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}
