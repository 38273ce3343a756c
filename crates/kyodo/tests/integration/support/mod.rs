//! Test harness: a Kyodo app on a real database (SQLite file, and PostgreSQL when
//! `KYODO_TEST_POSTGRES_URL` names a server where the test user may create databases), driven
//! in-process through the router, with a small cookie-keeping client.

use axum::Router;

use kyodo::app::App;
use kyodo::config::Config;
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;

mod client;
mod demo;
pub use client::*;
pub use demo::*;

pub const HOST: &str = "kyodo.test";
pub const FOREIGN_HOST: &str = "other.example";
/// The anonymous CSRF secret every test client starts with (as its `kyodo_csrf` cookie); the token
/// a form carries is derived from it, or from the session once signed in (see `Client::csrf_token`).
pub const CSRF: &str = "test-csrf-token-0123456789abcdefghijklmnop";
pub const PASSWORD: &str = kyodo::demo::PASSWORD;

pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub backend: &'static str,
    pub data_dir: PathBuf,
    pg_drop: Option<(String, String)>,
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", kyodo::db::new_id())
}

impl TestApp {
    pub async fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(unique("kyodo-test"));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("kyodo.db").display());
        Self::start(&url, dir, "sqlite", None).await
    }

    pub async fn postgres(admin_url: &str) -> Self {
        let name = unique("kyodo_t");
        let admin = kyodo::db::connect(admin_url)
            .await
            .expect("connect to PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .expect("create test database");
        admin.close().await;
        let mut url = url::Url::parse(admin_url).unwrap();
        url.set_path(&format!("/{name}"));
        let dir = std::env::temp_dir().join(unique("kyodo-test"));
        std::fs::create_dir_all(&dir).unwrap();
        Self::start(
            url.as_str(),
            dir,
            "postgres",
            Some((admin_url.to_string(), name)),
        )
        .await
    }

    async fn start(
        url: &str,
        dir: PathBuf,
        backend: &'static str,
        pg_drop: Option<(String, String)>,
    ) -> Self {
        let mut config = Config::for_tests(url, &dir);
        config.public_url = format!("http://{HOST}");
        let app = App::open(config).await.expect("open app");
        let router = kyodo::web::router(app.clone());
        Self {
            app,
            router,
            backend,
            data_dir: dir,
            pg_drop,
        }
    }

    /// Loads the demo organization plus a second, foreign organization with its own administrator.
    pub async fn with_demo(self) -> Self {
        kyodo::demo::load(&self.app, false).await.expect("demo");
        let other = kyodo::accounts::service::create_organization(
            &self.app,
            "130001",
            "東京都(テスト)",
            "Tokyo (test)",
        )
        .await
        .expect("foreign org");
        // Each organization on its own host: with two, an unknown host is served neither.
        for (host, id) in [(FOREIGN_HOST, other), (HOST, self.demo_org().await)] {
            sqlx::query("UPDATE organizations SET hostname = $1 WHERE id = $2")
                .bind(host)
                .bind(id)
                .execute(&self.app.db)
                .await
                .unwrap();
        }
        let actor = kyodo::audit::Actor::cli("test");
        let dept = kyodo::accounts::service::create_department(
            &self.app,
            other,
            &actor,
            kyodo::accounts::service::NewDepartment {
                parent_id: None,
                code: "1",
                name: "総務局",
                name_en: "",
                level: "bu",
            },
        )
        .await
        .unwrap();
        let tr = kyodo::i18n::Tr::default();
        let id = kyodo::accounts::service::create_staff(
            &self.app,
            other,
            &actor,
            tr,
            kyodo::accounts::service::NewStaff {
                email: "admin@other.example",
                display_name: "他団体 管理者",
                department_id: Some(dept),
                password: Some(PASSWORD),
            },
        )
        .await
        .unwrap();
        kyodo::accounts::service::grant(
            &self.app,
            other,
            &actor,
            id,
            kyodo::accounts::roles::Role::SysAdmin,
        )
        .await
        .unwrap();
        self
    }

    pub async fn demo_org(&self) -> i64 {
        kyodo::accounts::organizations::by_code(&self.app.db, kyodo::demo::CODE)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    pub async fn user_id(&self, org: i64, email: &str) -> i64 {
        kyodo::accounts::users::by_email(&self.app.db, org, email)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            host: HOST.into(),
            cookies: HashMap::from([("kyodo_csrf".into(), CSRF.into())]),
        }
    }

    /// A fresh client of the same data served with a changed configuration (e.g. over https).
    pub fn client_with_config(&self, change: impl FnOnce(&mut Config)) -> Client {
        let mut app = self.app.clone();
        let mut config = (*app.config).clone();
        change(&mut config);
        app.config = std::sync::Arc::new(config);
        Client {
            router: kyodo::web::router(app),
            host: HOST.into(),
            cookies: HashMap::new(),
        }
    }

    /// A client of a second Kyodo instance on the same database: its own pool and page cache, as
    /// another server behind the load balancer would have.
    pub async fn second_instance(&self) -> Client {
        self.instance_with(|_| {}).await.1
    }

    /// Another instance on the same database with a changed configuration, and its core.
    pub async fn instance_with(&self, change: impl FnOnce(&mut Config)) -> (App, Client) {
        let mut config = (*self.app.config).clone();
        change(&mut config);
        let app = App::open(config).await.expect("open a second instance");
        let client = Client {
            router: kyodo::web::router(app.clone()),
            host: HOST.into(),
            cookies: HashMap::from([("kyodo_csrf".into(), CSRF.into())]),
        };
        (app, client)
    }

    pub fn foreign_client(&self) -> Client {
        let mut c = self.client();
        c.host = FOREIGN_HOST.into();
        c
    }

    /// A client signed in as `email` at the default host.
    pub async fn signed_in(&self, email: &str) -> Client {
        let mut c = self.client();
        c.login(email, PASSWORD).await;
        c
    }

    /// Mails written to the outbox of an organization, newest first.
    pub async fn outbox(&self, org: i64) -> Vec<kyodo::mail::OutboxItem> {
        kyodo::mail::outbox(&self.app.db, org, 100).await.unwrap()
    }

    pub async fn close(self) {
        self.app.db.close().await;
        if let Some((admin_url, name)) = self.pg_drop
            && let Ok(admin) = kyodo::db::connect(&admin_url).await
        {
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            let _ = sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&admin).await;
            admin.close().await;
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Runs `body` once per available backend: SQLite always, PostgreSQL when configured.
/// With `KYODO_TEST_REQUIRE_POSTGRES=1` a missing PostgreSQL fails the test instead of skipping it.
pub async fn each_backend<F, Fut>(body: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = TestApp>,
{
    body(TestApp::sqlite().await).await.close().await;
    match std::env::var("KYODO_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => body(TestApp::postgres(&url).await).await.close().await,
        _ => assert!(
            std::env::var("KYODO_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "KYODO_TEST_REQUIRE_POSTGRES=1 but KYODO_TEST_POSTGRES_URL is not set"
        ),
    }
}

/// A PDF's text as `pdftotext` reads it, without whitespace (line breaks may split a long title),
/// or `None` where poppler-utils is missing — except in CI (browser tests required), which installs
/// it, where a missing tool fails the test.
pub fn pdf_text(dir: &std::path::Path, bytes: &[u8]) -> Option<String> {
    let path = dir.join(format!("text-{}.pdf", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    match std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => Some(
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .collect(),
        ),
        Err(_) => {
            assert!(
                std::env::var("KYODO_TEST_REQUIRE_BROWSER").is_err(),
                "CI installs poppler-utils for pdftotext"
            );
            None
        }
    }
}
