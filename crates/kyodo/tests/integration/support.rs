//! Test harness: a Kyodo app on a real database (SQLite file, and PostgreSQL when
//! `KYODO_TEST_POSTGRES_URL` names a server where the test user may create databases), driven
//! in-process through the router, with a small cookie-keeping client.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kyodo::app::App;
use kyodo::config::Config;
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use tower::ServiceExt;

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
    pub fn outbox(&self, org: i64) -> Vec<kyodo::mail::OutboxItem> {
        kyodo::mail::list_outbox(&self.app.mailer.org_dir(org), 100)
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

pub struct Client {
    router: Router,
    pub host: String,
    pub cookies: HashMap<String, String>,
}

#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Res {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl Client {
    pub async fn send(&mut self, req: Request<Body>) -> Res {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap();
            let (kv, _) = s.split_once(';').unwrap_or((s, ""));
            let (k, val) = kv.split_once('=').unwrap();
            if s.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.into(), val.into());
            }
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Res {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// The token a page would hand this client: derived from its session, or before sign-in from
    /// its anonymous secret, as the server derives it.
    pub fn csrf_token(&self) -> String {
        let secret = self
            .cookies
            .get("kyodo_session")
            .or(self.cookies.get("kyodo_csrf"))
            .map_or(CSRF, String::as_str);
        kyodo::web::csrf::form_token(secret)
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.host)
            .header(header::COOKIE, self.cookie_header())
    }

    pub async fn get(&mut self, path: &str) -> Res {
        let req = self.request("GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    /// POSTs a form with the CSRF token added.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        ser.append_pair("csrf", &self.csrf_token());
        for (k, v) in fields {
            ser.append_pair(k, v);
        }
        self.post_raw(
            path,
            "application/x-www-form-urlencoded",
            ser.finish().into_bytes(),
        )
        .await
    }

    /// `post` with owned field names and values (fields built at run time).
    pub async fn post_owned(&mut self, path: &str, fields: &[(String, String)]) -> Res {
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(path, &f).await
    }

    pub async fn post_raw(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Res {
        let req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn post_json(&mut self, path: &str, json: &serde_json::Value) -> Res {
        let req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", self.csrf_token())
            .body(Body::from(json.to_string()))
            .unwrap();
        self.send(req).await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Res {
        let res = self
            .post("/login", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "login as {email} failed: {}",
            res.body
        );
        res
    }
}

/// The CSRF token a page's first form carries.
pub fn form_token_on(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .expect("the page has a form with a CSRF token")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// Extracts the first `token=` value from a mail body.
pub fn token_in(body: &str) -> String {
    body.split("token=")
        .nth(1)
        .expect("mail has a token")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

impl Client {
    /// POSTs `multipart/form-data` with text fields (the CSRF token added) and one file.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Res {
        let boundary = "KyodoTestBoundary7MA4YWxk";
        let mut body = Vec::new();
        let token = self.csrf_token();
        let mut text = |name: &str, value: &str| {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes());
        };
        text("csrf", &token);
        for (k, v) in fields {
            text(k, v);
        }
        let (field, filename, bytes) = file;
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes());
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        self.post_raw(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            body,
        )
        .await
    }
}

/// 「1234567」→「1,234,567」, as a spreadsheet shows an amount.
pub fn grouped(v: i64) -> String {
    kyodo::charts::fmt_num(v as f64)
}

/// A CSV exported by the demo organization: checks that it starts with the BOM and the demo row,
/// and returns it with the BOM but without that row.
pub fn demo_csv(res: &Res) -> String {
    let body = res
        .body
        .strip_prefix('\u{feff}')
        .expect("CSV starts with a BOM");
    let (first, rest) = body.split_once('\n').expect("more than one line");
    assert_eq!(
        first.trim_end(),
        kyodo::web::demo_marks::DEMO_ROW,
        "no demo row"
    );
    format!("\u{feff}{rest}")
}

/// 所属長承認: the demo department head (企画調整課) passes a submitted report on to the HQ.
pub async fn manager_confirms(t: &TestApp, node: i64, period: &str) {
    let mut manager = t.signed_in("manager@demo.kyodo.jp").await;
    let res = manager
        .post(
            &format!("/plans/items/{node}/report/review/confirm"),
            &[("period", period)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}
