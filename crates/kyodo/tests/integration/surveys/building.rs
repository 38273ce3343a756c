//! Building and running a survey: every question kind, coded paper entry, a copied wave, drafts
//! previewed by the HQ only, the period and quota, one answer per registered citizen — on both
//! backends.

use super::*;
use crate::support::*;
use axum::http::StatusCode;

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
        let csv = hq.submit(&format!("{base}/codes"), &[("count", "3")]).await;
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
            .submit(
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
            scalar(
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
    c.submit_owned(&format!("/surveys/{id}"), &fields).await
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
            .submit(&format!("/surveys/{id}"), &[("nonce", &nonce), (&q, "5")])
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
