//! Browser tests in headless Chromium (Debian `chromium` + `chromium-driver`) with axe-core:
//! every page visited is checked against WCAG 2.0/2.1 A and AA in Japanese and English, and
//! sign-in, registration and administration are completed with the keyboard alone.
//!
//! Skipped (with a message) when chromedriver or axe-core is missing, unless
//! `KYODO_TEST_REQUIRE_BROWSER=1` (set by scripts/test.sh), which turns a missing piece into a failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test step that fails should stop the test with its message"
)]

mod evaluation;
mod hostile;
mod survey_build;
mod surveys;

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use kyodo::app::App;
use kyodo::config::Config;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const AXE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/browser/node_modules/axe-core/axe.min.js"
);
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PASSWORD: &str = kyodo::demo::PASSWORD;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn available() -> bool {
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

async fn start_kyodo() -> (String, PathBuf) {
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

async fn start_browser(profile: &std::path::Path) -> (Client, Driver) {
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

struct Session {
    c: Client,
    base: String,
    axe: String,
    checked: Vec<String>,
    violations: Vec<String>,
}

impl Session {
    async fn open(&mut self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    /// Runs axe on the current page and records violations with where they were found.
    async fn axe(&mut self, label: &str) {
        self.c.execute(&self.axe, vec![]).await.unwrap();
        let script = r#"const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
              .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
              .catch(e => done(['axe failed: ' + e]));"#;
        let found = self.c.execute_async(script, vec![]).await.unwrap();
        let url = self.c.current_url().await.unwrap();
        self.checked.push(format!("{label} {}", url.path()));
        for v in found.as_array().cloned().unwrap_or_default() {
            self.violations.push(format!(
                "{label} {}: {}",
                url.path(),
                v.as_str().unwrap_or("?")
            ));
        }
    }

    /// Opens a page that must answer 200 and checks it with axe (an accessible error page is not
    /// a checked page).
    async fn visit(&mut self, label: &str, path: &str) {
        self.visit_expecting(label, path, 200).await;
    }

    async fn visit_expecting(&mut self, label: &str, path: &str, status: u64) {
        self.open(path).await;
        assert_eq!(
            self.status().await,
            status,
            "{label} {path} answered another status"
        );
        self.axe(label).await;
    }

    /// The HTTP status of the page now shown (Navigation Timing).
    async fn status(&self) -> u64 {
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

    async fn active_id(&self) -> String {
        self.c.execute("return document.activeElement ? (document.activeElement.id || (document.activeElement.tagName === 'BUTTON' ? '' : document.activeElement.getAttribute('name')) || document.activeElement.textContent.trim()) : ''", vec![])
            .await.unwrap().as_str().unwrap_or("").to_string()
    }

    async fn press(&self, key: Key) {
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
    async fn tab_to(&self, id: &str) {
        for _ in 0..60 {
            if self.active_id().await == id {
                return;
            }
            self.press(Key::Tab).await;
        }
        panic!("{id} cannot be reached with the Tab key");
    }

    async fn type_text(&self, text: &str) {
        self.c
            .active_element()
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    }

    async fn body_text(&self) -> String {
        self.c
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    async fn set_lang(&mut self, lang: &str) {
        self.open(&format!("/prefs?lang={lang}")).await;
    }

    /// Signs in with the keyboard only: Tab to each field, type, Enter.
    async fn keyboard_login(&mut self, email: &str) {
        self.open("/login").await;
        self.tab_to("f-email").await;
        self.type_text(email).await;
        self.tab_to("f-password").await;
        self.type_text(PASSWORD).await;
        self.press(Key::Enter).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    async fn keyboard_logout(&mut self) {
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
    async fn click(&self, css: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(150)).await;
    }

    async fn fill(&self, css: &str, text: &str) {
        let el = self
            .c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    async fn path(&self) -> String {
        self.c.current_url().await.unwrap().path().to_string()
    }

    /// The address of the link in the table row whose heading contains `row_text`, `n`-th link (0-based).
    async fn link_in_row(&self, row_text: &str, n: usize) -> String {
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

/// The plan workflow of the seed plan: a division writes and submits a report, the HQ returns it,
/// the division's head approves it for the HQ, which approves and publishes it; a citizen rates and comments; a committee member writes an opinion
/// and the HQ responds. Every page on the way is checked with axe.
async fn plans_flow(s: &mut Session) {
    const ITEM: &str = "重点施策等の進行管理への市民参加の推進";
    s.set_lang("ja").await;
    s.open("/plans").await;
    s.axe("[ja plans list]").await;
    s.click("main a[href^='/plans/']").await;
    let plan_path = s.path().await;
    s.axe("[ja plan]").await;
    assert!(
        s.body_text()
            .await
            .contains("デモンストレーション用のデータ")
    );
    s.click("#f-viewpoint option:nth-child(2)").await;
    s.click("form.filters button").await;
    s.axe("[ja plan filtered]").await;
    s.visit("[ja annual report]", &format!("{plan_path}/annual-report"))
        .await;
    s.open(&plan_path).await;
    let item_path = s.link_in_row(ITEM, 0).await;
    s.visit("[ja item]", &item_path).await;

    // The division writes and submits the 平成22年度 report.
    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.visit("[ja staff reports]", "/staff/reports").await;
    let report_path = s.link_in_row(ITEM, 2).await;
    s.visit("[ja report editor]", &report_path).await;
    s.click("button[value='submit']").await;
    s.axe("[ja report errors]").await;
    assert!(s.body_text().await.contains("入力してください"));
    s.fill("#f-did", "市民委員が参加する進行管理会議を3回開催した。")
        .await;
    s.fill("#f-evaluation", "委員の意見を計画の見直しに反映できた。")
        .await;
    s.fill("#f-next_steps", "会議録を公開する。").await;
    s.click("button[value='submit']").await;
    assert!(
        s.body_text().await.contains("報告を提出しました"),
        "{}",
        s.body_text().await
    );
    s.axe("[ja report submitted]").await;
    s.keyboard_logout().await;

    // The HQ returns it with a comment.
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open(&plan_path.replace("/plans/", "/hq/plans/")).await;
    s.axe("[ja hq dashboard]").await;
    let waiting =
        s.c.find(Locator::Css("section[aria-labelledby='waiting-title'] a"))
            .await
            .unwrap();
    let review_path = waiting.attr("href").await.unwrap().unwrap();
    s.open(&review_path).await;
    s.fill("#f-comment", "参加した委員の人数を書いてください。")
        .await;
    s.click("button[value='return']").await;
    s.axe("[ja report returned]").await;
    s.keyboard_logout().await;

    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.open(&report_path).await;
    assert!(
        s.body_text()
            .await
            .contains("参加した委員の人数を書いてください。")
    );
    s.fill(
        "#f-did",
        "市民委員12名が参加する進行管理会議を3回開催した。",
    )
    .await;
    s.click("button[value='submit']").await;
    s.keyboard_logout().await;

    // The division's head (所属長) approves it for the HQ.
    s.keyboard_login("manager@demo.kyodo.jp").await;
    s.open(&review_path).await;
    s.axe("[ja report awaiting the department head]").await;
    s.click("button[value='confirm']").await;
    assert!(s.body_text().await.contains("所属長承認済み"));
    s.keyboard_logout().await;

    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open(&review_path).await;
    s.click("button[value='approve']").await;
    s.click("button[value='publish']").await;
    assert!(s.body_text().await.contains("公表済み"));
    s.axe("[ja report published]").await;
    s.visit("[ja moderation]", "/hq/comments").await;
    // Plan administration and editing pages, with their error states.
    let hq_plan = plan_path.replace("/plans/", "/hq/plans/");
    for (label, p) in [
        ("[ja plan admin]", "/hq/plans".to_string()),
        ("[ja plan edit]", format!("{hq_plan}/edit")),
        ("[ja periods]", format!("{hq_plan}/periods")),
        ("[ja codes]", "/hq/codes".to_string()),
        ("[ja import]", "/hq/plans/import".to_string()),
        ("[ja new plan]", "/hq/plans/new".to_string()),
    ] {
        s.visit(label, &p).await;
    }
    s.click("form[action='/hq/plans/new'] button").await;
    s.axe("[ja new plan errors]").await;
    s.open("/hq/plans/import").await;
    s.click("form[action='/hq/plans/import'] button").await;
    s.axe("[ja import errors]").await;
    s.open(&format!("{hq_plan}/edit")).await;
    s.click("table a[href^='/hq/nodes/']").await;
    s.axe("[ja node editor]").await;
    s.click("form[action$='/effects'] button").await;
    s.axe("[ja node editor errors]").await;
    s.keyboard_logout().await;
    // The division asks for a schedule change.
    s.keyboard_login("staff@demo.kyodo.jp").await;
    s.open(&format!("{item_path}/change")).await;
    s.axe("[ja change request]").await;
    s.click("form[action$='/change'] button").await;
    s.axe("[ja change request errors]").await;
    s.fill("#f-reason", "国の制度改正に合わせるため").await;
    s.fill("#f-new_title", "進行管理への市民参加の拡大").await;
    s.click("form[action$='/change'] button").await;
    assert!(s.body_text().await.contains("申請しました"));
    s.keyboard_logout().await;
    s.open(&item_path).await;
    assert!(
        s.body_text().await.contains("市民委員12名が参加する"),
        "published report is public"
    );

    // A citizen rates and comments.
    s.keyboard_login("citizen@demo.kyodo.jp").await;
    s.open(&item_path).await;
    s.click("input[name='score'][value='4']").await;
    s.click("form[action$='/rating'] button").await;
    s.axe("[ja item rated]").await;
    s.fill("#f-body", "会議録の公開を期待しています。").await;
    s.click("form[action$='/comments'] button").await;
    assert!(s.body_text().await.contains("確認してから公開します"));
    s.axe("[ja comment sent]").await;
    s.keyboard_logout().await;

    // A committee member writes an opinion; the HQ publishes the comment and responds.
    s.keyboard_login("committee@demo.kyodo.jp").await;
    s.open(&item_path).await;
    s.fill("#f-opinion", "会議の成果を指標で示すこと。").await;
    s.click("form[action$='/opinions'] button").await;
    s.axe("[ja opinion sent]").await;
    s.keyboard_logout().await;
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.open("/hq/comments").await;
    s.click("button[value='publish']").await;
    s.open(&plan_path.replace("/plans/", "/hq/plans/")).await;
    s.fill(
        "textarea[name='response']",
        "次年度から参加者数を指標に加えます。",
    )
    .await;
    s.click("form[action^='/hq/opinions/'] button").await;
    s.keyboard_logout().await;
    s.open(&item_path).await;
    let text = s.body_text().await;
    assert!(
        text.contains("会議録の公開を期待しています。")
            && text.contains("次年度から参加者数を指標に加えます。"),
        "{text}"
    );
    s.axe("[ja item with participation]").await;

    // The same pages in English.
    s.set_lang("en").await;
    for p in [
        "/plans".to_string(),
        plan_path.clone(),
        item_path.clone(),
        format!("{plan_path}/annual-report"),
    ] {
        s.visit("[en plans]", &p).await;
    }
    s.keyboard_login("hq@demo.kyodo.jp").await;
    s.visit(
        "[en hq dashboard]",
        &plan_path.replace("/plans/", "/hq/plans/"),
    )
    .await;
    s.visit("[en report]", &review_path).await;
    s.visit("[en moderation]", "/hq/comments").await;
    s.visit("[en staff reports]", "/staff/reports").await;
    s.visit(
        "[en node editor]",
        &format!("{}/edit", plan_path.replace("/plans/", "/hq/plans/")),
    )
    .await;
    s.visit("[en codes]", "/hq/codes").await;
    s.visit("[en import]", "/hq/plans/import").await;
    s.keyboard_logout().await;
    s.set_lang("ja").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_accessible_and_usable_by_keyboard_in_headless_chromium() {
    if !available() {
        return;
    }
    let (base, dir) = start_kyodo().await;
    let (c, _driver) = start_browser(&dir.join("profile")).await;
    let axe = std::fs::read_to_string(AXE_PATH).unwrap();
    let mut s = Session {
        c,
        base,
        axe,
        checked: Vec::new(),
        violations: Vec::new(),
    };

    // The skip link is the first stop and moves focus to the main content.
    s.open("/").await;
    s.press(Key::Tab).await;
    let first =
        s.c.execute("return document.activeElement.getAttribute('href')", vec![])
            .await
            .unwrap();
    assert_eq!(
        first,
        Value::from("#main"),
        "skip link must be the first Tab stop"
    );

    for lang in ["ja", "en"] {
        s.set_lang(lang).await;
        // Anonymous pages, including error states.
        for (path, status) in [
            ("/", 200),
            ("/login", 200),
            ("/register", 200),
            ("/password/forgot", 200),
            ("/password/reset?token=x", 200),
            ("/accessibility", 200),
            ("/no-such-page", 404),
            ("/verify?token=bad", 400),
        ] {
            s.visit_expecting(&format!("[{lang} anonymous]"), path, status)
                .await;
        }
        s.open("/register").await;
        s.c.find(Locator::Css("form[action='/register'] button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        s.axe(&format!("[{lang} register errors]")).await;
        s.open("/login").await;
        s.c.find(Locator::Css("form[action='/login'] button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        s.axe(&format!("[{lang} login errors]")).await;
        // Display switches: large text and high contrast keep the contrast rules.
        s.open("/prefs?text=xl&contrast=high").await;
        s.visit(&format!("[{lang} high contrast]"), "/login").await;
        s.open("/prefs?text=m&contrast=normal").await;

        for (who, pages) in [
            ("staff@demo.kyodo.jp", vec!["/account", "/staff"]),
            ("hq@demo.kyodo.jp", vec!["/hq", "/staff"]),
            ("committee@demo.kyodo.jp", vec!["/committee", "/account"]),
            (
                "admin@demo.kyodo.jp",
                vec![
                    "/admin",
                    "/admin/departments",
                    "/admin/users",
                    "/admin/audit",
                    "/admin/outbox",
                    "/admin/audit?from=bad-date",
                ],
            ),
        ] {
            s.keyboard_login(who).await;
            assert!(
                s.c.current_url().await.unwrap().path() == "/account",
                "{who} keyboard sign-in failed: {}",
                s.body_text().await
            );
            for p in pages {
                // A bad date in the audit filter is refused beside its field (422).
                let status = if p.contains("bad-date") { 422 } else { 200 };
                s.visit_expecting(&format!("[{lang} {who}]"), p, status)
                    .await;
            }
            if who.starts_with("admin") {
                s.open("/admin/users").await;
                let link =
                    s.c.find(Locator::Css("table a[href^='/admin/users/']"))
                        .await
                        .unwrap();
                link.click().await.unwrap();
                s.axe(&format!("[{lang} admin user page]")).await;
                s.open("/admin/departments").await;
                s.c.find(Locator::Css("form[action='/admin/departments'] button"))
                    .await
                    .unwrap()
                    .click()
                    .await
                    .unwrap();
                s.axe(&format!("[{lang} department errors]")).await;
            }
            s.keyboard_logout().await;
        }
    }

    plans_flow(&mut s).await;
    surveys::flow(&mut s).await;
    survey_build::flow(&mut s).await;
    evaluation::flow(&mut s).await;

    // Registration by keyboard alone, then confirmation through the outbox link.
    s.set_lang("ja").await;
    s.open("/register").await;
    // Display names are at most 50 characters: an event-handler payload fits.
    let xss = "<img src=x onerror=\"window.__xss=1\">";
    for (id, text) in [
        ("f-display_name", xss),
        ("f-email", "keyboard@example.jp"),
        ("f-password", "keyboard-only-pass"),
    ] {
        s.tab_to(id).await;
        s.type_text(text).await;
    }
    s.press(Key::Enter).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        s.body_text().await.contains("確認メールを送りました"),
        "keyboard registration failed"
    );

    // Administration by keyboard: create a division under the first department.
    s.keyboard_login("admin@demo.kyodo.jp").await;
    s.open("/admin/departments").await;
    s.tab_to("f-code").await;
    s.type_text("KB1").await;
    s.tab_to("f-name").await;
    s.type_text("キーボード課").await;
    s.tab_to("f-parent_id").await;
    s.press(Key::Down).await;
    s.tab_to("登録する").await;
    s.press(Key::Enter).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        s.body_text().await.contains("キーボード課"),
        "keyboard admin flow failed: {}",
        s.body_text().await
    );

    // The hostile display name shows as text and never runs.
    s.open("/admin/users").await;
    assert!(s.body_text().await.contains(xss));
    // The CSP would stop the handler from running anyway; what matters is that the text never
    // became an element.
    let parsed =
        s.c.execute(
            "return document.querySelector('img[onerror]') !== null",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        parsed,
        Value::from(false),
        "a stored payload became an element"
    );
    s.axe("[ja admin users with hostile input]").await;

    // The checker itself works: a broken page must be reported.
    let before = s.violations.len();
    s.c.execute(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\\'x.png\\'>')",
        vec![],
    )
    .await
    .unwrap();
    s.axe("[sanity]").await;
    assert!(
        s.violations[before..]
            .iter()
            .any(|v| v.contains("image-alt")),
        "axe did not report a missing alt: {:?}",
        &s.violations[before..]
    );
    s.violations.truncate(before);

    let _ = s.c.clone().close().await;
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("axe checked {} pages", s.checked.len());
    assert!(
        s.checked.len() >= 50,
        "expected to check every page: {:?}",
        s.checked
    );
    assert!(
        s.violations.is_empty(),
        "{} axe violations:\n{}",
        s.violations.len(),
        s.violations.join("\n")
    );
}
