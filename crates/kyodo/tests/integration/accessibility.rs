//! The JIS X 8341-3 test report: generated from an imported suite run and the HQ's manual checks;
//! the policy claims 準拠 only when every A and AA criterion is met, and a bad manual check is
//! refused beside its field.

use crate::support::*;
use axum::http::StatusCode;
use kyodo::accessibility::{criteria, report, store};
use kyodo::audit::Actor;

fn run_with(failed_alt: u64) -> report::SuiteResults {
    let json = serde_json::json!({
        "tested_on": "2026-12-04",
        "tools": ["axe-core 4.14.1", "Chromium 131"],
        "pages": [{"path": "/", "lang": "ja", "signed_in": false},
                  {"path": "/plans", "lang": "en", "signed_in": false}],
        "checks": [
            {"id": "axe:image-alt", "criteria": ["1.1.1"], "passed": 2 - failed_alt, "failed": failed_alt},
            {"id": "axe:document-title", "criteria": ["2.4.2"], "passed": 2, "failed": 0},
            {"id": "reflow:360px", "criteria": ["1.4.10"], "passed": 2, "failed": 0},
        ],
    });
    report::parse(json.to_string().as_bytes()).unwrap()
}

#[tokio::test]
async fn the_report_is_generated_from_the_results_and_the_policy_follows_it() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut visitor = t.client();
        let policy = visitor.get("/accessibility").await;
        assert_eq!(policy.status, StatusCode::OK);
        assert!(policy.body.contains("配慮"), "untested: nothing claimed");
        assert!(!policy.body.contains("準拠しています"));

        // A run in which one page lacks an image's alt text.
        store::save_run(&t.app, org, &Actor::cli("test"), &run_with(1))
            .await
            .unwrap();
        let page = t.client().get("/accessibility/report").await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        assert!(body.contains("JIS X 8341-3:2016"));
        assert!(body.contains("AA 一部準拠"), "{body}");
        assert!(body.contains("自動試験 axe:image-alt: 適合 1 / 不適合 1"));
        assert!(body.contains("1.4.10 リフロー"));
        assert!(
            body.contains("<code>/plans</code>"),
            "pages tested are listed"
        );
        assert!(body.contains("令和8年(2026年)12月4日"), "the test date");

        // The HQ records every manual check: still partial while the machine found a failure.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        for c in criteria::ALL.iter() {
            let result = if c.number.starts_with("1.2.") {
                "na"
            } else {
                "pass"
            };
            let res = hq
                .post(
                    "/hq/accessibility",
                    &[
                        ("criterion", c.number),
                        ("result", result),
                        ("method", "NVDA 2024.4 と Chrome で全ページを確認"),
                        ("checked_on", "令和8年12月1日"),
                    ],
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", c.number);
        }
        let body = t.client().get("/accessibility/report").await.body;
        assert!(body.contains("AA 一部準拠") && body.contains("不適合"));
        assert!(body.contains("NVDA 2024.4 と Chrome で全ページを確認"));

        // The next run has no failure: now the report and the policy say 準拠.
        store::save_run(&t.app, org, &Actor::cli("test"), &run_with(0))
            .await
            .unwrap();
        // A write clears the anonymous page cache (an import from the command line shows
        // within the cache's minute; here a manual check is saved again).
        let res = hq
            .post(
                "/hq/accessibility",
                &[
                    ("criterion", "2.4.7"),
                    ("result", "pass"),
                    ("method", "キーボード操作でフォーカス表示を目視確認"),
                    ("checked_on", "2026-12-02"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let body = t.client().get("/accessibility/report").await.body;
        assert!(
            body.contains("AA 準拠") && !body.contains("一部準拠"),
            "{body}"
        );
        let policy = t.client().get("/accessibility").await.body;
        assert!(policy.contains("AA に準拠しています"), "{policy}");

        // A bad check is refused beside its fields, in the HQ's language.
        let res = hq
            .post(
                "/hq/accessibility",
                &[
                    ("criterion", "9.9.9"),
                    ("result", "maybe"),
                    ("method", ""),
                    ("checked_on", "someday"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for id in ["e-criterion", "e-result", "e-method", "e-checked_on"] {
            assert!(res.body.contains(&format!("id=\"{id}\"")), "{id}");
        }
        // Staff outside the HQ may not record checks.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let res = staff
            .post(
                "/hq/accessibility",
                &[
                    ("criterion", "1.1.1"),
                    ("result", "fail"),
                    ("method", "x"),
                    ("checked_on", "2026-12-02"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        t
    })
    .await;
}

#[test]
fn a_results_file_with_a_malformed_criterion_is_refused_whole() {
    let bad = br#"{"tested_on": "2026-12-04", "tools": [], "pages": [{"path": "/", "lang": "ja", "signed_in": false}],
        "checks": [{"id": "axe:x", "criteria": ["1.4.6", "1.4"], "passed": 1, "failed": 0}]}"#;
    let problems = report::parse(bad).unwrap_err();
    assert_eq!(problems.len(), 1, "AAA numbers are accepted: {problems:?}");
    assert!(problems[0].contains("'1.4'"), "{problems:?}");
}
