//! Survey results: the demo surveys with a portfolio that matches the database, cross-tabulation
//! and the streamed CSV, results bound to a policy measure, ranking questions — on both backends.

use super::*;
use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn demo_has_an_open_survey_and_two_waves_with_a_portfolio_that_matches_the_database() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        kyodo::demo::load(&t.app, false).await.unwrap(); // twice: adds nothing
        let (public, first, second) = demo_surveys(&t).await;
        for wave in [first, second] {
            assert_eq!(scalar(&t, "SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1", wave).await, 300);
        }
        let mut c = t.client();
        let list = c.get("/surveys").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(&format!("/surveys/{public}\"")), "the open survey can be answered");
        let res = c.get(&format!("/surveys/{second}/results")).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.body.contains("<svg") && res.body.contains("改善度指数"));
        assert!(res.body.contains("重点改善") && res.body.contains("前回調査との比較"));
        assert!(res.body.contains(&format!("/surveys/{first}/results")), "links the other wave");
        // The satisfaction score of the first area, computed here from the answers: the page shows it.
        let pair = questions(&t, second).await.into_iter().find(|q| q.1 == "pair").unwrap().0;
        let (sum, n): (i64, i64) = sqlx::query_as(
            "SELECT CAST(SUM(level - 3) AS BIGINT), COUNT(*) FROM survey_answers WHERE question_id = $1 AND part = 'satisfaction'",
        )
        .bind(pair)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let score = format!("<td>{:.2}</td>", sum as f64 / n as f64);
        assert!(res.body.contains(&score), "page lacks {score}");
        // Every area is bound to a plan item page.
        assert_eq!(res.body.matches("<th scope=\"row\"><a href=\"/plans/items/").count(), 8);
        // The results report as a PDF: its text has the same figures.
        let pdf = c.get(&format!("/surveys/{second}/results.pdf")).await;
        if std::path::Path::new(kyodo::config::DEFAULT_PDF_FONT).exists() {
            assert_eq!(pdf.status, StatusCode::OK);
            assert!(pdf.bytes.starts_with(b"%PDF-"));
            let path = t.data_dir.join("survey.pdf");
            std::fs::write(&path, &pdf.bytes).unwrap();
            if let Ok(out) = std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
                let text: String = String::from_utf8_lossy(&out.stdout).split_whitespace().collect();
                let subject = sqlx::query_as::<_, (String,)>("SELECT subject FROM survey_questions WHERE id = $1")
                    .bind(pair)
                    .fetch_one(&t.app.db)
                    .await
                    .unwrap()
                    .0
                    .replace(' ', "");
                // The scatter chart's axis caption and the bar column of the counts.
                for needle in ["改善度指数", "回答者数300人", "デモンストレーション", "横軸:重要度(偏差値)", "グラフ", subject.as_str()] {
                    assert!(text.contains(needle), "{needle} missing from the PDF text");
                }
            }
        } else {
            assert_eq!(pdf.status, StatusCode::SERVICE_UNAVAILABLE);
        }
        // The bound item page shows both waves' scores beside its progress.
        let item = res.body.split("<th scope=\"row\"><a href=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let page = c.get(&item).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("市民意識調査の結果"));
        assert_eq!(page.body.matches(&format!("href=\"/surveys/{first}/results\"")).count(), 1);
        assert_eq!(page.body.matches(&format!("href=\"/surveys/{second}/results\"")).count(), 1);
        t
    })
    .await;
}

#[tokio::test]
async fn cross_tabulation_and_the_streamed_csv_agree_with_the_database() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (_, _, wave) = demo_surveys(&t).await;
        let qs = questions(&t, wave).await;
        let age = qs[0].0;
        let ages = options(&t, age).await;
        let mut c = t.client();
        let res = c.get(&format!("/surveys/{wave}/results?by={age}")).await;
        assert_eq!(res.status, StatusCode::OK);
        // The district table's row for the first age band: its base is that band's respondents.
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM survey_answers WHERE question_id = $1 AND option_id = $2",
        )
        .bind(age)
        .bind(ages[0].0)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let row = format!("<tr><th scope=\"row\">{}</th><td>{n}</td>", ages[0].1);
        assert!(res.body.contains(&row), "missing {row}");
        // A question id that is not an attribute is ignored, not an error.
        let res = c
            .get(&format!("/surveys/{wave}/results?by={}", qs[2].0))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!res.body.contains("<caption>問"));

        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let csv = hq.get(&format!("/hq/surveys/{wave}/responses.csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        let body = demo_csv(&csv);
        let mut r = csv::Reader::from_reader(&body.as_bytes()[3..]);
        let headers = r.headers().unwrap().clone();
        assert_eq!(
            headers.len(),
            3 + 2 + 16,
            "response, day, channel, 2 attributes, 8 pairs × 2"
        );
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 300);
        let first_age = rows.iter().filter(|r| &r[3] == ages[0].1.as_str()).count() as i64;
        assert_eq!(first_age, n);
        assert!(
            rows.iter()
                .all(|r| (1..=300).contains(&r[0].parse::<i64>().unwrap()))
        );
        // Closed surveys take no answers.
        let res = c
            .post(
                &format!("/surveys/{wave}"),
                &[("nonce", "x".repeat(30).as_str())],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.body.contains("終了しました"));
        t
    })
    .await;
}

#[tokio::test]
async fn a_pair_bound_to_a_policy_measure_shows_on_its_page() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let measure: i64 = sqlx::query_scalar(
            "SELECT id FROM policy_nodes WHERE organization_id = $1 AND number = '1-1'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post(
                "/hq/surveys",
                &[
                    ("title", "施策満足度調査"),
                    ("fiscal_year", "2026"),
                    ("audience", "public"),
                ],
            )
            .await;
        let id = id_in_location(&res);
        let base = format!("/hq/surveys/{id}");
        let pair = |node: &str| {
            vec![
                ("kind".to_string(), "pair".to_string()),
                ("label".into(), "市民協働".into()),
                ("subject".into(), "市民協働の推進".into()),
                ("policy_node_id".into(), node.to_string()),
            ]
        };
        // Only a 施策 can be bound (not a 政策, not a made-up id).
        let policy: i64 = sqlx::query_scalar(
            "SELECT id FROM policy_nodes WHERE organization_id = $1 AND number = '1'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        for bad in [policy.to_string(), "12345".to_string()] {
            let fields = pair(&bad);
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let res = hq.post(&format!("{base}/questions"), &refs).await;
            assert!(
                res.body.contains("id=\"e-policy_node_id\""),
                "{bad} is not a 施策"
            );
        }
        let fields = pair(&measure.to_string());
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            hq.post(&format!("{base}/questions"), &refs).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            hq.post(&format!("{base}/status"), &[("status", "open")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let q = questions(&t, id).await[0].0;
        for (imp, sat) in [("5", "2"), ("4", "1")] {
            let mut c = t.client();
            let nonce = nonce_in(&c.get(&format!("/surveys/{id}")).await.body);
            let (fi, fs) = (format!("q{q}_i"), format!("q{q}_s"));
            let res = c
                .submit(
                    &format!("/surveys/{id}"),
                    &[("nonce", &nonce), (&fi, imp), (&fs, sat)],
                )
                .await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        }
        let page = t
            .client()
            .get(&format!("/evaluation/policies/{measure}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("施策満足度調査")
                && page.body.contains(&format!("/surveys/{id}/results")),
            "satisfaction beside progress and cost"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_ranking_question_is_answered_counted_and_exported() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post(
                "/hq/surveys",
                &[
                    ("title", "優先してほしい取組"),
                    ("fiscal_year", "2026"),
                    ("audience", "public"),
                ],
            )
            .await;
        let id = id_in_location(&res);
        let base = format!("/hq/surveys/{id}");
        let eleven = (1..=11)
            .map(|i| format!("項目{i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let res = hq
            .post(
                &format!("{base}/questions"),
                &[("kind", "ranking"), ("label", "順位"), ("options", &eleven)],
            )
            .await;
        assert!(
            res.body.contains("10個まで"),
            "a ranking has at most ten items"
        );
        let res = hq
            .post(
                &format!("{base}/questions"),
                &[
                    ("kind", "ranking"),
                    ("label", "優先順位"),
                    ("options", "窓口\n電子申請\n公共施設"),
                    ("required", "1"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(
            hq.post(&format!("{base}/status"), &[("status", "open")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let q = questions(&t, id).await[0].0;
        let opts = options(&t, q).await;
        let field = |o: usize| format!("q{q}_r{}", opts[o].0);
        // A repeated rank is refused beside its item; the form keeps what was chosen.
        let mut c = t.client();
        let nonce = nonce_in(&c.get(&format!("/surveys/{id}")).await.body);
        let res = c
            .post(
                &format!("/surveys/{id}"),
                &[("nonce", &nonce), (&field(0), "1"), (&field(1), "1")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("同じ順位が2つ以上"));
        for ranks in [["1", "2", "3"], ["2", "1", "3"], ["1", "3", "2"]] {
            let mut c = t.client();
            let nonce = nonce_in(&c.get(&format!("/surveys/{id}")).await.body);
            let fields: Vec<(String, String)> =
                (0..3).map(|o| (field(o), ranks[o].to_string())).collect();
            let mut refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            refs.push(("nonce", &nonce));
            assert_eq!(
                c.submit(&format!("/surveys/{id}"), &refs).await.status,
                StatusCode::OK
            );
        }
        // 窓口: ranks 1, 2, 1 → mean 1.33, two first places; 公共施設: 3, 3, 2 → 2.67.
        let res = t.client().get(&format!("/surveys/{id}/results")).await;
        let summary = &res.body[res.body.find("平均順位").unwrap()..];
        let row = |label: &str| {
            summary[summary
                .find(&format!("<th scope=\"row\">{label}</th>"))
                .unwrap()..]
                .split("</tr>")
                .next()
                .unwrap()
                .to_string()
        };
        assert!(
            row("窓口").contains("<td>1.33</td><td>2</td><td>3</td>"),
            "{}",
            row("窓口")
        );
        assert!(
            row("公共施設").contains("<td>2.67</td><td>0</td>"),
            "{}",
            row("公共施設")
        );
        assert!(
            summary.find("窓口").unwrap() < summary.find("公共施設").unwrap(),
            "best mean rank first"
        );
        let csv = hq.get(&format!("/hq/surveys/{id}/responses.csv")).await;
        assert!(csv.body.contains("Q1 優先順位 [窓口] 順位"));
        assert!(
            csv.body.lines().any(|l| l.ends_with(",2,1,3")),
            "{}",
            csv.body
        );
        t
    })
    .await;
}
