//! Surveys: the demo surveys, answering (validation that keeps every answer, conditional questions,
//! once per browser, double submits, the bot trap), anonymity of what is stored, results with the
//! portfolio checked against the database, cross-tabulation and the streamed CSV — on both backends.

use crate::support::*;
use axum::http::StatusCode;

/// (public survey, first wave, second wave) of the demo organization.
async fn demo_surveys(t: &TestApp) -> (i64, i64, i64) {
    let org = t.demo_org().await;
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, audience, fiscal_year FROM surveys WHERE organization_id = $1 AND is_demo = 1 ORDER BY fiscal_year",
    )
    .bind(org)
    .fetch_all(&t.app.db)
    .await
    .unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let public = rows.iter().find(|r| r.1 == "public").unwrap().0;
    let waves: Vec<i64> = rows
        .iter()
        .filter(|r| r.1 == "codes")
        .map(|r| r.0)
        .collect();
    (public, waves[0], waves[1])
}

/// (question id, kind, label) in order, and option ids by question.
async fn questions(t: &TestApp, survey: i64) -> Vec<(i64, String, String)> {
    sqlx::query_as(
        "SELECT id, kind, label FROM survey_questions WHERE survey_id = $1 ORDER BY position",
    )
    .bind(survey)
    .fetch_all(&t.app.db)
    .await
    .unwrap()
}

async fn options(t: &TestApp, question: i64) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, label FROM survey_options WHERE question_id = $1 ORDER BY position")
        .bind(question)
        .fetch_all(&t.app.db)
        .await
        .unwrap()
}

async fn count(t: &TestApp, sql: &str, id: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(id)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
    n
}

pub(crate) fn nonce_in(body: &str) -> String {
    body.split(r#"name="nonce" value=""#)
        .nth(1)
        .expect("form has a nonce")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn demo_has_an_open_survey_and_two_waves_with_a_portfolio_that_matches_the_database() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        kyodo::demo::load(&t.app, false).await.unwrap(); // twice: adds nothing
        let (public, first, second) = demo_surveys(&t).await;
        for wave in [first, second] {
            assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1", wave).await, 300);
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
async fn answering_keeps_typed_answers_on_error_and_stores_one_response_per_browser() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (public, _, _) = demo_surveys(&t).await;
        let qs = questions(&t, public).await;
        let q = |kind: &str, nth: usize| qs.iter().filter(|x| x.1 == kind).nth(nth).unwrap().0;
        let (age, known, follow, multi, scale, number, date) = (
            q("single", 0),
            q("single", 2),
            q("long_text", 0),
            q("multi", 0),
            q("scale", 0),
            q("number", 0),
            q("date", 0),
        );
        let age_opt = options(&t, age).await[1].0.to_string();
        let known_opts = options(&t, known).await;
        let multi_opts: Vec<String> = options(&t, multi)
            .await
            .iter()
            .map(|o| o.0.to_string())
            .collect();
        let path = format!("/surveys/{public}");
        let responses = "SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1";

        let mut c = t.client();
        let form = c.get(&path).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("匿名"));
        let nonce = nonce_in(&form.body);
        let (fa, fk, ff, fm, fs, fn_, fd) = (
            format!("q{age}"),
            format!("q{known}"),
            format!("q{follow}"),
            format!("q{multi}"),
            format!("q{scale}"),
            format!("q{number}"),
            format!("q{date}"),
        );
        // Missing required answers, four choices where three are allowed, a word for a number.
        let bad = c
            .post(
                &path,
                &[
                    ("nonce", &nonce),
                    (&fm, &multi_opts[0]),
                    (&fm, &multi_opts[1]),
                    (&fm, &multi_opts[2]),
                    (&fm, &multi_opts[3]),
                    (&fn_, "たくさん"),
                    (&fd, "令和8年2月30日"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for msg in [
            "入力してください",
            "選べる数を超えています",
            "数値で入力してください",
            "日付は",
        ] {
            assert!(bad.body.contains(msg), "missing message {msg}");
        }
        assert!(bad.body.contains("value=\"たくさん\""), "typed text kept");
        assert!(
            bad.body
                .contains(&format!("value=\"{}\" checked", multi_opts[3])),
            "choices kept"
        );
        assert_eq!(count(&t, responses, public).await, 0, "nothing stored");

        // Valid, with an answer to a follow-up question that is not shown for this choice.
        let good = [
            ("nonce", nonce.as_str()),
            (&fa, &age_opt),
            (&fk, &known_opts[2].0.to_string()),
            (&ff, "表示されない設問への回答"),
            (&fm, &multi_opts[0]),
            (&fs, "4"),
            (&fn_, "１２"),
            (&fd, "令和8年4月1日"),
        ];
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, *v)).collect();
        let ok = c.post(&path, &good).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(ok.body.contains("ありがとうございました"));
        assert_eq!(count(&t, responses, public).await, 1);
        let (n, text): (f64, String) = sqlx::query_as(
            "SELECT (SELECT value_number FROM survey_answers WHERE question_id = $1), \
             (SELECT value_text FROM survey_answers WHERE question_id = $2)",
        )
        .bind(number)
        .bind(date)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!((n, text.as_str()), (12.0, "2026-04-01"));
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM survey_answers WHERE question_id = $1",
                follow
            )
            .await,
            0,
            "the hidden follow-up's text was dropped"
        );

        // The same form sent again from another browser (a double submit): still one response.
        let mut other = t.client();
        let again = other.post(&path, &good).await;
        assert!(
            again.body.contains("すでに受け付けています"),
            "{}",
            again.body
        );
        assert_eq!(count(&t, responses, public).await, 1);
        // The first browser is told it has answered, and cannot answer again.
        let form = c.get(&path).await;
        assert!(form.body.contains("すでに回答いただいています"));
        assert!(!form.body.contains("name=\"nonce\""));
        let mut fresh = good.clone();
        let n2 = nonce_in(&t.client().get(&path).await.body);
        fresh[0] = ("nonce", &n2);
        assert_eq!(c.post(&path, &fresh).await.status, StatusCode::CONFLICT);
        // A bot filling the hidden field is thanked and ignored.
        let mut bot = fresh.clone();
        bot.push(("website", "http://spam.example"));
        let res = other.post(&path, &bot).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(count(&t, responses, public).await, 1);
        // The results count the response; multiple choice is counted per option.
        let res = c.get(&format!("{path}/results")).await;
        assert!(res.body.contains("<strong>1</strong>"), "one respondent");
        assert!(res.body.contains("複数回答"));
        // The running counts kept with each response equal a recount from the answers.
        let org = t.demo_org().await;
        let snapshot = |db: kyodo::db::Db| async move {
            let rows: Vec<(i64, i64, i64, String, i64, i64, i64)> = sqlx::query_as(
                "SELECT by_question, by_option, question_id, part, option_id, level, n FROM survey_tallies \
                 WHERE survey_id = $1 ORDER BY by_question, by_option, question_id, part, option_id, level",
            )
            .bind(public)
            .fetch_all(&db)
            .await
            .unwrap();
            rows
        };
        let kept = snapshot(t.app.db.clone()).await;
        assert!(kept.len() > 10);
        let mut conn = t.app.db.acquire().await.unwrap();
        kyodo::surveys::tallies::rebuild(&mut conn, org, public).await.unwrap();
        drop(conn);
        assert_eq!(kept, snapshot(t.app.db.clone()).await);
        t
    })
    .await;
}

#[tokio::test]
async fn an_anonymous_response_stores_nothing_that_identifies_the_respondent() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (public, _, _) = demo_surveys(&t).await;
        let qs = questions(&t, public).await;
        let age = qs[0].0;
        let known = qs[2].0;
        let scale = qs.iter().find(|q| q.1 == "scale").unwrap().0;
        let user = t.user_id(org, "citizen@demo.kyodo.jp").await;
        let mut c = t.signed_in("citizen@demo.kyodo.jp").await;
        let path = format!("/surveys/{public}");
        let nonce = nonce_in(&c.get(&path).await.body);
        let age_opt = options(&t, age).await[0].0.to_string();
        let known_opt = options(&t, known).await[0].0.to_string();
        let (fa, fk, fs) = (format!("q{age}"), format!("q{known}"), format!("q{scale}"));
        let res = c
            .post(&path, &[("nonce", &nonce), (&fa, &age_opt), (&fk, &known_opt), (&fs, "5")])
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let receipt = c.cookies.get(&format!("kyodo_sv{public}")).cloned().expect("receipt cookie");
        let session = c.cookies.get("kyodo_session").cloned().unwrap_or_default();
        // Response rows have no respondent column at all.
        let columns: Vec<(String,)> = match t.backend {
            "sqlite" => sqlx::query_as("SELECT name FROM pragma_table_info('survey_responses') ORDER BY cid")
                .fetch_all(&t.app.db)
                .await
                .unwrap(),
            _ => sqlx::query_as(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'survey_responses' ORDER BY ordinal_position",
            )
            .fetch_all(&t.app.db)
            .await
            .unwrap(),
        };
        let columns: Vec<String> = columns.into_iter().map(|c| c.0).collect();
        assert_eq!(columns, ["organization_id", "id", "survey_id", "channel", "submitted_on"]);
        // The id does not carry the moment of sending (ids elsewhere start with the time in ms).
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM survey_responses WHERE survey_id = $1")
            .bind(public)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let millis = chrono::Utc::now().timestamp_millis();
        assert!(((id >> 22) - millis).abs() > 86_400_000, "response id {id} encodes the time");
        // Nothing stored for this survey, nor its audit entry, holds the user, the session or the secrets.
        let mut stored: Vec<(String,)> = sqlx::query_as(
            "SELECT CAST(id AS TEXT) || channel || submitted_on FROM survey_responses WHERE survey_id = $1 \
             UNION ALL SELECT receipt FROM survey_receipts WHERE survey_id = $1 \
             UNION ALL SELECT COALESCE(CAST(option_id AS TEXT), '') || COALESCE(CAST(level AS TEXT), '') || COALESCE(value_text, '') \
             FROM survey_answers WHERE survey_id = $1",
        )
        .bind(public)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        let audit: Vec<(Option<i64>, String, String)> = sqlx::query_as(
            "SELECT actor_id, actor_label, COALESCE(after_json, '') FROM audit_log WHERE action = 'survey.respond'",
        )
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].0, None, "the audit entry names no user");
        stored.extend(audit.iter().map(|a| (format!("{}{}", a.1, a.2),)));
        for (s,) in &stored {
            for secret in [user.to_string(), "citizen@demo".into(), receipt.clone(), nonce.clone(), session.clone()] {
                assert!(secret.is_empty() || !s.contains(&secret), "{s} contains {secret}");
            }
        }
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

pub(crate) fn id_in_location(res: &Res) -> i64 {
    res.location()
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_hq_builds_a_survey_with_every_kind_then_codes_paper_entry_and_a_copied_wave() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (plan_node,): (i64,) = sqlx::query_as("SELECT id FROM plan_nodes WHERE depth = 1 ORDER BY number LIMIT 1")
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let bad = hq.post("/hq/surveys", &[("title", ""), ("fiscal_year", "来年"), ("audience", "everyone")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for msg in ["入力してください", "年度を 2026", "一覧から選択してください"] {
            assert!(bad.body.contains(msg), "missing {msg}");
        }
        let res = hq
            .post("/hq/surveys", &[("title", "窓口アンケート"), ("fiscal_year", "令和8年度"), ("audience", "codes")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id = id_in_location(&res);
        let base = format!("/hq/surveys/{id}");
        let add = |kind: &'static str, label: &'static str| vec![("kind", kind), ("label", label)];
        // A choice needs two options; a condition must point at an earlier option.
        let bad = hq.post(&format!("{base}/questions"), &[("kind", "single"), ("label", "x"), ("options", "ひとつ"), ("show_if", "1-2")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("選択肢を2つ以上") && bad.body.contains("一覧から選択してください"));
        let mut q = add("single", "年代");
        q.extend([("options", "30代以下\n40〜50代\n60代以上"), ("attribute", "1"), ("required", "1")]);
        assert_eq!(hq.post(&format!("{base}/questions"), &q).await.status, StatusCode::SEE_OTHER);
        let mut q = add("multi", "利用した窓口");
        q.extend([("options", "市民課\n税務課\n福祉課"), ("max_choices", "2")]);
        assert_eq!(hq.post(&format!("{base}/questions"), &q).await.status, StatusCode::SEE_OTHER);
        let qs = questions(&t, id).await;
        let young = options(&t, qs[0].0).await[0].0;
        let cond = format!("{}-{young}", qs[0].0);
        let mut q = add("long_text", "若い世代への配慮");
        q.push(("show_if", &cond));
        assert_eq!(hq.post(&format!("{base}/questions"), &q).await.status, StatusCode::SEE_OTHER);
        for (kind, label) in [("text", "一言"), ("number", "待ち時間(分)"), ("date", "来庁日"), ("scale", "満足度")] {
            assert_eq!(hq.post(&format!("{base}/questions"), &add(kind, label)).await.status, StatusCode::SEE_OTHER);
        }
        let node = plan_node.to_string();
        let mut q = add("pair", "窓口サービス");
        q.extend([("subject", "窓口サービス"), ("plan_node_id", node.as_str())]);
        assert_eq!(hq.post(&format!("{base}/questions"), &q).await.status, StatusCode::SEE_OTHER);
        let bad = hq.post(&format!("{base}/questions"), &add("matrix_single", "窓口の評価")).await;
        assert!(bad.body.contains("マトリクスの行を1つ以上"), "a matrix needs rows");
        let mut q = add("matrix_single", "窓口の評価");
        q.extend([("rows", "待ち時間\n説明のわかりやすさ"), ("options", "良い\n普通\n悪い")]);
        assert_eq!(hq.post(&format!("{base}/questions"), &q).await.status, StatusCode::SEE_OTHER);
        let page = hq.get(&base).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("待ち時間 / 説明のわかりやすさ × 良い / 普通 / 悪い"));
        assert_eq!(questions(&t, id).await.len(), 9);
        // Open it; questions are then locked.
        assert_eq!(hq.post(&format!("{base}/status"), &[("status", "open")]).await.status, StatusCode::SEE_OTHER);
        let locked = hq.post(&format!("{base}/questions"), &add("text", "追加")).await;
        assert_eq!(locked.status, StatusCode::BAD_REQUEST);
        assert!(locked.body.contains("変更できません"));

        // Invitation codes: CSV of new codes; each answers once.
        let csv = hq.post(&format!("{base}/codes"), &[("count", "3")]).await;
        assert_eq!(csv.status, StatusCode::OK);
        let codes: Vec<String> = demo_csv(&csv).lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect();
        assert_eq!(codes.len(), 3);
        let mut citizen = t.client();
        let form = citizen.get(&format!("/surveys/{id}?code={}", codes[0])).await;
        assert!(form.body.contains(&format!("value=\"{}\"", codes[0])), "the letter's link fills the code");
        let matrix = questions(&t, id).await.into_iter().find(|q| q.1 == "matrix_single").unwrap().0;
        let cells: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT id, label, is_row FROM survey_options WHERE question_id = $1 ORDER BY is_row DESC, position",
        )
        .bind(matrix)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        let (wait_row, good_col) = (cells[0].0, cells[2].0);
        let answer = |nonce: String, code: String| {
            vec![
                ("nonce".to_string(), nonce),
                ("code".to_string(), code),
                (format!("q{}", qs[0].0), young.to_string()),
                (format!("q{matrix}_r{wait_row}"), good_col.to_string()),
            ]
        };
        let typed = codes[0].to_lowercase().replace('-', " ");
        let ok = post_fields(&mut citizen, id, answer(nonce_in(&form.body), typed)).await;
        assert!(ok.body.contains("ありがとうございました"), "{}", ok.body);
        let stored: Vec<(Option<i64>, Option<i64>)> = sqlx::query_as("SELECT option_id, level FROM survey_answers WHERE question_id = $1")
            .bind(matrix)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        let tallied: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT option_id, level, n FROM survey_tallies WHERE question_id = $1 AND by_question = 0")
            .bind(matrix)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        assert_eq!(stored, vec![(Some(good_col), Some(wait_row))], "tallied {tallied:?}");
        // The matrix is tabulated per row: the waiting-time row has one answer, all "良い".
        let results = t.client().get(&format!("/surveys/{id}/results")).await;
        assert!(
            results.body.contains("<tr><th scope=\"row\">待ち時間</th><td>1</td><td>100.0%</td><td>0.0%</td><td>0.0%</td></tr>"),
            "matrix row (tallies {tallied:?}): {}",
            results.body.split("窓口の評価").nth(1).unwrap_or("").chars().take(900).collect::<String>()
        );
        assert!(results.body.contains("<tr><th scope=\"row\">説明のわかりやすさ</th><td>0</td><td>—</td>"));
        let form = citizen.get(&format!("/surveys/{id}")).await;
        let again = post_fields(&mut citizen, id, answer(nonce_in(&form.body), codes[0].clone())).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("この招待コードは使えません"));
        let unknown = post_fields(&mut citizen, id, answer(nonce_in(&form.body), "AAAAA-BBBBB".into())).await;
        assert!(unknown.body.contains("この招待コードは使えません"));
        let (used,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_codes WHERE survey_id = $1 AND used = 1")
            .bind(id)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(used, 1);

        // Paper entry: saved, back to an empty form, counted as paper.
        let paper = hq.get(&format!("{base}/paper")).await;
        assert_eq!(paper.status, StatusCode::OK);
        // Choices are typed as the numbers printed on the paper: a number not printed is refused
        // beside its question, the typed text kept; nothing is stored.
        assert!(paper.body.contains("1 30代以下 / 2 40〜50代"), "the numbers are listed beside the field");
        let res = post_paper(&mut hq, id, nonce_in(&paper.body), qs[0].0, "9").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("調査票にない番号です") && res.body.contains(r#"value="9""#));
        // １ is 1 (full-width digits are accepted): the first option.
        let res = post_paper(&mut hq, id, nonce_in(&paper.body), qs[0].0, "１").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let (option,): (i64,) = sqlx::query_as("SELECT option_id FROM survey_answers WHERE survey_id = $1 AND question_id = $2")
            .bind(id)
            .bind(qs[0].0)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(option, young, "number 1 is the first option");
        assert!(hq.get(res.location()).await.body.contains("1件保存しました"));
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1 AND channel = 'paper'")
            .bind(id)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(n, 1);
        // Answered surveys cannot go back to draft.
        assert_eq!(hq.post(&format!("{base}/status"), &[("status", "draft")]).await.status, StatusCode::BAD_REQUEST);

        // Next year's wave: same questions, the condition pointing at the copy's own option.
        let res = hq.post(&format!("{base}/copy"), &[("fiscal_year", "2027")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let copy = id_in_location(&res);
        let copied = questions(&t, copy).await;
        assert_eq!(copied.len(), 9);
        let (rows,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM survey_options o JOIN survey_questions q ON q.id = o.question_id WHERE q.survey_id = $1 AND o.is_row = 1",
        )
        .bind(copy)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(rows, 2, "matrix rows copied");
        let (cond_q, cond_o): (i64, i64) = sqlx::query_as(
            "SELECT show_if_question_id, show_if_option_id FROM survey_questions WHERE survey_id = $1 AND kind = 'long_text'",
        )
        .bind(copy)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(cond_q, copied[0].0);
        assert_eq!(cond_o, options(&t, copied[0].0).await[0].0);
        let series: Vec<(String,)> = sqlx::query_as("SELECT series FROM surveys WHERE id = $1 OR id = $2")
            .bind(id)
            .bind(copy)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        assert!(series[0].0 == series[1].0 && !series[0].0.is_empty(), "{series:?}");
        t
    })
    .await;
}

async fn post_paper(hq: &mut Client, id: i64, nonce: String, q: i64, number: &str) -> Res {
    let field = format!("q{q}");
    hq.post(
        &format!("/hq/surveys/{id}/paper"),
        &[("nonce", nonce.as_str()), (field.as_str(), number)],
    )
    .await
}

#[tokio::test]
async fn a_survey_for_registered_citizens_takes_one_answer_per_account() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post(
                "/hq/surveys",
                &[
                    ("title", "登録市民アンケート"),
                    ("fiscal_year", "2026"),
                    ("audience", "citizens"),
                ],
            )
            .await;
        let id = id_in_location(&res);
        hq.post(
            &format!("/hq/surveys/{id}/questions"),
            &[("kind", "scale"), ("label", "満足度"), ("required", "1")],
        )
        .await;
        hq.post(&format!("/hq/surveys/{id}/status"), &[("status", "open")])
            .await;
        let q = questions(&t, id).await[0].0;
        let anonymous = t.client().get(&format!("/surveys/{id}")).await;
        assert!(anonymous.body.contains("ログインしてから回答してください"));
        let mut c = t.signed_in("citizen@demo.kyodo.jp").await;
        let page = c.get(&format!("/surveys/{id}")).await.body;
        assert!(
            page.contains("回答内容とアカウントは結び付けません"),
            "the page says what signing in records"
        );
        let nonce = nonce_in(&page);
        let field = format!("q{q}");
        let ok = c
            .post(
                &format!("/surveys/{id}"),
                &[("nonce", &nonce), (&field, "5")],
            )
            .await;
        assert!(ok.body.contains("ありがとうございました"), "{}", ok.body);
        // Another browser, same account: refused.
        let mut again = t.signed_in("citizen@demo.kyodo.jp").await;
        assert!(
            again
                .get(&format!("/surveys/{id}"))
                .await
                .body
                .contains("すでに回答いただいています")
        );
        let n2 = "n".repeat(30);
        let res = again
            .post(&format!("/surveys/{id}"), &[("nonce", &n2), (&field, "4")])
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1",
                id
            )
            .await,
            1
        );
        t
    })
    .await;
}

async fn post_fields(c: &mut Client, id: i64, fields: Vec<(String, String)>) -> Res {
    c.post_owned(&format!("/surveys/{id}"), &fields).await
}

#[tokio::test]
async fn drafts_preview_for_the_hq_only_and_the_period_and_quota_close_a_survey() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post(
                "/hq/surveys",
                &[
                    ("title", "期間つきアンケート"),
                    ("fiscal_year", "2026"),
                    ("audience", "public"),
                ],
            )
            .await;
        let id = id_in_location(&res);
        let base = format!("/hq/surveys/{id}");
        hq.post(
            &format!("{base}/questions"),
            &[("kind", "scale"), ("label", "満足度"), ("required", "1")],
        )
        .await;
        let q = format!("q{}", questions(&t, id).await[0].0);
        let mut anonymous = t.client();
        assert_eq!(
            anonymous.get(&format!("/surveys/{id}")).await.status,
            StatusCode::NOT_FOUND,
            "drafts are not public"
        );
        assert_eq!(
            anonymous
                .get(&format!("/surveys/{id}/results"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let preview = hq.get(&format!("/surveys/{id}")).await;
        assert!(
            preview.body.contains("確認画面")
                && preview.body.contains("満足度")
                && !preview.body.contains("name=\"nonce\"")
        );
        // Bad limits are reported by field and change nothing.
        let bad = hq
            .post(
                &format!("{base}/limits"),
                &[
                    ("opens_on", "2026-13-01"),
                    ("closes_on", ""),
                    ("quota", "0"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("日付は") && bad.body.contains("1以上の整数"));
        let bad = hq
            .post(
                &format!("{base}/limits"),
                &[("opens_on", "2026-12-01"), ("closes_on", "2026-11-01")],
            )
            .await;
        assert!(bad.body.contains("終了日は開始日以降"));
        hq.post(&format!("{base}/status"), &[("status", "open")])
            .await;
        // Not yet open.
        assert_eq!(
            hq.post(&format!("{base}/limits"), &[("opens_on", "令和81年1月1日")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let form = anonymous.get(&format!("/surveys/{id}")).await;
        assert!(form.body.contains("まだ始まっていません"), "{}", form.body);
        let n = "n".repeat(30);
        assert_eq!(
            anonymous
                .post(&format!("/surveys/{id}"), &[("nonce", &n), (&q, "5")])
                .await
                .status,
            StatusCode::CONFLICT
        );
        // A quota of one: the first answer is taken, then the survey is full.
        assert_eq!(
            hq.post(
                &format!("{base}/limits"),
                &[("opens_on", ""), ("quota", "1")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let nonce = nonce_in(&anonymous.get(&format!("/surveys/{id}")).await.body);
        let ok = anonymous
            .post(&format!("/surveys/{id}"), &[("nonce", &nonce), (&q, "5")])
            .await;
        assert!(ok.body.contains("ありがとうございました"));
        assert!(
            t.client()
                .get(&format!("/surveys/{id}"))
                .await
                .body
                .contains("予定した回答数に達した")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_long_questionnaire_can_be_saved_and_continued_and_sending_deletes_the_draft() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let (public, _, _) = demo_surveys(&t).await;
        let qs = questions(&t, public).await;
        let (age, text) = (qs[0].0, qs.iter().find(|q| q.1 == "text").unwrap().0);
        let age_opt = options(&t, age).await[2].0.to_string();
        let (fa, ft) = (format!("q{age}"), format!("q{text}"));
        let path = format!("/surveys/{public}");
        let mut c = t.client();
        let nonce = nonce_in(&c.get(&path).await.body);
        // Saving checks nothing: the required questions may still be empty.
        let saved = c
            .post(
                &path,
                &[
                    ("nonce", &nonce),
                    (&fa, &age_opt),
                    (&ft, "途中まで書いた一言"),
                    ("save_later", "1"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(saved.headers["cache-control"], "no-store");
        let link = saved
            .body
            .split("href=\"")
            .find(|p| p.starts_with(&format!("/surveys/{public}?resume=")))
            .expect("a resume link")
            .split('"')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1",
                public
            )
            .await,
            0
        );
        // Another browser with the link gets the answers back.
        let mut later = t.client();
        let form = later.get(&link.replace("&amp;", "&")).await;
        assert!(
            form.body.contains("保存した回答を読み込みました"),
            "{}",
            &form.body[form.body.find("<main").unwrap_or(0)..]
                [..1500.min(form.body.len() - form.body.find("<main").unwrap_or(0))]
        );
        assert!(form.body.contains("value=\"途中まで書いた一言\""));
        assert!(form.body.contains(&format!("value=\"{age_opt}\" checked")));
        let resume = link.split("resume=").nth(1).unwrap().to_string();
        assert!(
            form.body
                .contains(&format!("name=\"resume\" value=\"{resume}\""))
        );
        // Sending completes the response and deletes the draft.
        let known = qs[2].0;
        let known_opt = options(&t, known).await[2].0.to_string();
        let scale = format!("q{}", qs.iter().find(|q| q.1 == "scale").unwrap().0);
        let fk = format!("q{known}");
        let nonce = nonce_in(&form.body);
        let ok = later
            .post(
                &path,
                &[
                    ("nonce", &nonce),
                    ("resume", &resume),
                    (&fa, &age_opt),
                    (&fk, &known_opt),
                    (&scale, "3"),
                    (&ft, "途中まで書いた一言"),
                ],
            )
            .await;
        assert!(ok.body.contains("ありがとうございました"), "{}", ok.body);
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM survey_drafts WHERE survey_id = $1",
                public
            )
            .await,
            0
        );
        let gone = t.client().get(&link.replace("&amp;", "&")).await;
        assert!(
            gone.body.contains("見つかりませんでした"),
            "a fresh browser is told the draft is gone"
        );
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
                .post(
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
                c.post(&format!("/surveys/{id}"), &refs).await.status,
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
