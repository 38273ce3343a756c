use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn an_administrator_builds_the_department_tree_and_creates_staff() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        let res = admin
            .submit(
                "/admin/departments",
                &[
                    ("code", "500"),
                    ("name", "建設部"),
                    ("name_en", "Construction"),
                    ("level", "bu"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("登録しました"));
        let bu = kyodo::accounts::departments::list(&t.app.db, org)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.code == "500")
            .unwrap();
        // A 課 under the new 部; a 部 under a 部 is refused beside the level field.
        let res = admin
            .submit(
                "/admin/departments",
                &[
                    ("code", "510"),
                    ("name", "道路課"),
                    ("level", "ka"),
                    ("parent_id", &bu.id.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let res = admin
            .post(
                "/admin/departments",
                &[
                    ("code", "520"),
                    ("name", "x"),
                    ("level", "bu"),
                    ("parent_id", &bu.id.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-level\""));
        let dup = admin
            .post(
                "/admin/departments",
                &[("code", "500"), ("name", "x"), ("level", "bu")],
            )
            .await;
        assert!(dup.body.contains("すでに使われています"));

        let res = admin
            .submit(
                "/admin/users",
                &[
                    ("display_name", "道路 太郎"),
                    ("email", "taro@city.example.jp"),
                    ("department_id", &bu.id.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let mail = t
            .outbox(org)
            .await
            .into_iter()
            .find(|m| m.to == "taro@city.example.jp")
            .expect("welcome mail");
        let outbox = admin.get("/admin/outbox").await;
        assert!(outbox.body.contains("taro@city.example.jp"));
        let mut taro = t.client();
        let res = taro
            .submit(
                "/password/reset",
                &[
                    ("token", &token_in(&mail.body)),
                    ("password", "douro-taro-password"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        taro.login("taro@city.example.jp", "douro-taro-password")
            .await;
        assert_eq!(taro.get("/staff").await.status, StatusCode::OK);
        assert_eq!(taro.get("/admin").await.status, StatusCode::FORBIDDEN);
        t
    })
    .await;
}

#[tokio::test]
async fn roles_are_granted_with_a_valid_scope_and_revoked() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        let staff = t.user_id(org, "staff@demo.kyodo.jp").await;
        let res = admin
            .post(
                &format!("/admin/users/{staff}/grant"),
                &[("role", "dept_manager"), ("scope_id", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-scope_id\""));
        let res = admin
            .post(
                &format!("/admin/users/{staff}/grant"),
                &[("role", "reform_hq")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let mut s = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(s.get("/hq").await.status, StatusCode::OK);
        admin
            .post(
                &format!("/admin/users/{staff}/revoke"),
                &[("role", "reform_hq"), ("scope_id", "0")],
            )
            .await;
        assert_eq!(
            s.get("/hq").await.status,
            StatusCode::FORBIDDEN,
            "revocation applies at once"
        );
        let me = t.user_id(org, "admin@demo.kyodo.jp").await;
        let res = admin
            .post(
                &format!("/admin/users/{me}/revoke"),
                &[("role", "sysadmin"), ("scope_id", "0")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        t
    })
    .await;
}

#[tokio::test]
async fn committees_are_registered_once_by_name() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        let res = admin
            .submit(
                "/admin/committees",
                &[
                    ("name", "協働推進会議"),
                    ("name_en", "Collaboration council"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("協働推進会議"));
        let dup = admin
            .post("/admin/committees", &[("name", "協働推進会議")])
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(dup.body.contains("id=\"e-name\""));
        t
    })
    .await;
}
