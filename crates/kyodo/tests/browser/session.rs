//! The harness: a Kyodo server with demo data, a chromedriver, and a `Session` that visits pages,
//! types and clicks like a keyboard user, and runs axe-core on every page it visits.

pub(crate) use fantoccini::key::Key;
pub(crate) use fantoccini::{Client, ClientBuilder, Locator};
pub(crate) use kyodo::app::App;
pub(crate) use kyodo::config::Config;
pub(crate) use serde_json::{Value, json};
pub(crate) use std::path::PathBuf;
pub(crate) use std::process::{Child, Command, Stdio};
pub(crate) use std::time::Duration;

pub(crate) const AXE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/browser/node_modules/axe-core/axe.min.js"
);
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub(crate) const PASSWORD: &str = kyodo::demo::PASSWORD;

pub(crate) struct Driver(pub(crate) Child);

/// A Chrome DevTools Protocol command sent through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
pub(crate) struct Cdp(pub(crate) &'static str, pub(crate) Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({"cmd": self.0, "params": self.1});
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn available() -> bool {
    let ok = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(AXE_PATH).exists();
    if !ok {
        assert!(
            std::env::var("KYODO_TEST_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "KYODO_TEST_REQUIRE_BROWSER=1 but {CHROMEDRIVER} or {AXE_PATH} is missing (run scripts/test.sh)"
        );
        eprintln!(
            "browser tests skipped: chromedriver or axe-core not installed (scripts/test.sh installs them)"
        );
    }
    ok
}

pub(crate) async fn start_kyodo() -> (String, PathBuf) {
    let dir = std::env::temp_dir().join(format!("kyodo-browser-{}", kyodo::db::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::for_tests(
        &format!("sqlite://{}", dir.join("kyodo.db").display()),
        &dir,
    );
    config.public_url = base.clone();
    let app = App::open(config).await.unwrap();
    kyodo::demo::load(&app, false).await.unwrap();
    let router = kyodo::web::router(app);
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (base, dir)
}

pub(crate) async fn start_browser(profile: &std::path::Path) -> (Client, Driver) {
    // Both rustls back-ends are in the test graph (lettre: ring, fantoccini: aws-lc); pick one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), json!({
        "binary": "/usr/bin/chromium",
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]
    }));
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..50 {
        if let Ok(c) = ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return (c, driver);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not start");
}

pub(crate) struct Session {
    pub(crate) c: Client,
    pub(crate) base: String,
    pub(crate) axe: String,
    pub(crate) checked: Vec<String>,
    pub(crate) violations: Vec<String>,
    pub(crate) record: super::record::Record,
}

impl Session {
    pub(crate) async fn open(&mut self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    /// Runs axe on the current page and records violations with where they were found.
    pub(crate) async fn axe(&mut self, label: &str) {
        self.c.execute(&self.axe, vec![]).await.unwrap();
        let script = r#"const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
              .then(r => done({
                violations: r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')),
                rules: r.passes.map(p => [p.id, p.tags, 'pass']).concat(r.violations.map(v => [v.id, v.tags, 'fail'])),
                lang: document.documentElement.lang,
                signedIn: document.querySelector("form[action='/logout']") !== null,
              }))
              .catch(e => done({violations: ['axe failed: ' + e], rules: []}));"#;
        let result = self.c.execute_async(script, vec![]).await.unwrap();
        let mut found = result["violations"].clone();
        let url = self.c.current_url().await.unwrap();
        self.checked.push(format!("{label} {}", url.path()));
        self.record.axe_rules(&result["rules"]);
        let wide = self.too_wide_on_a_phone().await;
        self.record
            .check("reflow:360px", &["1.4.10"], wide.is_none());
        self.record.page(
            url.path(),
            result["lang"].as_str().unwrap_or(""),
            result["signedIn"] == true,
        );
        if let (Some(list), Some(wide)) = (found.as_array_mut(), wide) {
            list.push(Value::String(wide));
        }
        for v in found.as_array().cloned().unwrap_or_default() {
            self.violations.push(format!(
                "{label} {}: {}",
                url.path(),
                v.as_str().unwrap_or("?")
            ));
        }
    }

    /// Lays the page out as a 360 px phone would (device emulation, not a narrow window: a
    /// headless window keeps a wider minimum) and names what makes the page scroll sideways, if
    /// anything — a wide table or chart must scroll inside its own box.
    async fn too_wide_on_a_phone(&self) -> Option<String> {
        let phone = json!({"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true});
        self.c
            .issue_cmd(Cdp("Emulation.setDeviceMetricsOverride", phone))
            .await
            .unwrap();
        // The emulated size reaches the page's layout asynchronously: wait for it (and say so
        // if it never comes, so that the check cannot pass by measuring the desktop layout).
        let measured = self
            .c
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                const t0 = Date.now();
                const measure = () => {
                  const d = document.documentElement;
                  if (d.clientWidth > 360) return 'the 360 px phone layout never applied (' + d.clientWidth + ' px)';
                  if (d.scrollWidth <= d.clientWidth) return null;
                  const boxed = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
                  const over = e => e.getBoundingClientRect().right > d.clientWidth + 1 && !boxed(e);
                  const out = [...document.body.querySelectorAll('*')]
                    .filter(e => over(e) && ![...e.children].some(over))
                    .slice(0, 4)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
                  return 'wider than a 360 px phone (' + d.scrollWidth + ' px): ' + out.join(' | ');
                };
                const wait = () => (document.documentElement.clientWidth <= 360 || Date.now() - t0 > 3000)
                  ? done(measure()) : setTimeout(wait, 10);
                wait();"#,
                vec![],
            )
            .await
            .unwrap();
        self.c
            .issue_cmd(Cdp("Emulation.clearDeviceMetricsOverride", json!({})))
            .await
            .unwrap();
        // Back to the desktop layout before the test clicks on.
        self.c
            .execute_async(
                r#"const done = arguments[arguments.length - 1]; const t0 = Date.now();
                const wait = () => (document.documentElement.clientWidth > 360 || Date.now() - t0 > 3000)
                  ? done(null) : setTimeout(wait, 10);
                wait();"#,
                vec![],
            )
            .await
            .unwrap();
        measured.as_str().map(str::to_string)
    }

    /// Opens a page that must answer 200 and checks it with axe (an accessible error page is not
    /// a checked page).
    pub(crate) async fn visit(&mut self, label: &str, path: &str) {
        self.visit_expecting(label, path, 200).await;
    }

    pub(crate) async fn visit_expecting(&mut self, label: &str, path: &str, status: u64) {
        self.open(path).await;
        assert_eq!(
            self.status().await,
            status,
            "{label} {path} answered another status"
        );
        self.axe(label).await;
    }

    /// The HTTP status of the page now shown (Navigation Timing).
    pub(crate) async fn status(&self) -> u64 {
        self.c
            .execute(
                "const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : 0;",
                vec![],
            )
            .await
            .unwrap()
            .as_u64()
            .unwrap_or(0)
    }

    pub(crate) async fn active_id(&self) -> String {
        self.c.execute("return document.activeElement ? (document.activeElement.id || (document.activeElement.tagName === 'BUTTON' ? '' : document.activeElement.getAttribute('name')) || document.activeElement.textContent.trim()) : ''", vec![])
            .await.unwrap().as_str().unwrap_or("").to_string()
    }

    pub(crate) async fn press(&self, key: Key) {
        let k: char = key.into();
        self.c
            .active_element()
            .await
            .unwrap()
            .send_keys(&k.to_string())
            .await
            .unwrap();
    }

    /// Tabs from the current focus until the element `id` (or a button labelled `id`) has focus.
    pub(crate) async fn tab_to(&self, id: &str) {
        for _ in 0..60 {
            if self.active_id().await == id {
                return;
            }
            self.press(Key::Tab).await;
        }
        panic!("{id} cannot be reached with the Tab key");
    }

    pub(crate) async fn type_text(&self, text: &str) {
        self.c
            .active_element()
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    }

    pub(crate) async fn body_text(&self) -> String {
        self.c
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub(crate) async fn set_lang(&mut self, lang: &str) {
        self.open(&format!("/prefs?lang={lang}")).await;
    }

    /// Signs in with the keyboard only: Tab to each field, type, Enter.
    pub(crate) async fn keyboard_login(&mut self, email: &str) {
        self.open("/login").await;
        self.tab_to("f-email").await;
        self.type_text(email).await;
        self.tab_to("f-password").await;
        self.type_text(PASSWORD).await;
        self.press(Key::Enter).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    pub(crate) async fn keyboard_logout(&mut self) {
        self.open("/").await;
        let label = if self
            .c
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap()
            == "en"
        {
            "Sign out"
        } else {
            "ログアウト"
        };
        self.tab_to(label).await;
        self.press(Key::Enter).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    pub(crate) async fn click(&self, css: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(150)).await;
    }

    /// Whether the page as loaded, at 360 px wide, has no sideways scrolling (wide tables scroll
    /// in their own boxes); the window is set back to 1280 px after.
    pub(crate) async fn fits_360(&self) -> bool {
        self.c.set_window_size(360, 800).await.unwrap();
        let fits = self
            .c
            .execute(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth",
                vec![],
            )
            .await
            .unwrap();
        self.c.set_window_size(1280, 900).await.unwrap();
        fits == serde_json::json!(true)
    }

    pub(crate) async fn fill(&self, css: &str, text: &str) {
        let el = self
            .c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    pub(crate) async fn path(&self) -> String {
        self.c.current_url().await.unwrap().path().to_string()
    }

    /// The address of the link in the table row whose heading contains `row_text`, `n`-th link (0-based).
    pub(crate) async fn link_in_row(&self, row_text: &str, n: usize) -> String {
        let script = format!(
            "const row = [...document.querySelectorAll('tr')].find(r => r.textContent.includes({row_text:?})); \
             return row ? row.querySelectorAll('a')[{n}].getAttribute('href') : '';"
        );
        let href = self.c.execute(&script, vec![]).await.unwrap();
        let href = href.as_str().unwrap_or("").to_string();
        assert!(
            !href.is_empty(),
            "no link {n} in the row of {row_text}: {}",
            self.body_text().await
        );
        href
    }
}
