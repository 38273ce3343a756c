//! Answering a survey: validation that keeps every answer, conditional questions, once per
//! browser, double submits, the bot trap, anonymity of what is stored, saving and continuing a long
//! questionnaire — on both backends.

use super::*;
use crate::support::*;
use axum::http::StatusCode;

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
        assert_eq!(scalar(&t, responses, public).await, 0, "nothing stored");

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
        let ok = c.submit(&path, &good).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(ok.body.contains("ありがとうございました"));
        assert_eq!(scalar(&t, responses, public).await, 1);
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
            scalar(
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
        let again = other.submit(&path, &good).await;
        assert!(
            again.body.contains("すでに受け付けています"),
            "{}",
            again.body
        );
        assert_eq!(scalar(&t, responses, public).await, 1);
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
        let res = other.submit(&path, &bot).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(scalar(&t, responses, public).await, 1);
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
            .submit(&path, &[("nonce", &nonce), (&fa, &age_opt), (&fk, &known_opt), (&fs, "5")])
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
        kyodo::audit::seal_all(&t.app).await.unwrap();
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
            .submit(
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
            scalar(
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
            .submit(
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
            scalar(
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
