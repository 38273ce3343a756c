//! The read API of every area answers what its public page shows, and no more: each list leads to
//! its details, pages follow each other by cursor, withheld names and written answers never
//! appear, and another organization's host finds nothing.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::Value;

async fn json(c: &mut Client, path: &str) -> Value {
    let res = c.get(path).await;
    assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

fn first_id(v: &Value, list: &str) -> i64 {
    v[list][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{list}: {v}"))
}

#[tokio::test]
async fn every_area_reads_as_its_pages_show_it() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut c = t.client();

        // Surveys: aggregates only — no written answer is ever in the results.
        let surveys = json(&mut c, "/api/v1/surveys").await;
        assert!(surveys["surveys"].as_array().is_some_and(|s| !s.is_empty()));
        let survey: i64 = sqlx::query_scalar(
            "SELECT MIN(a.survey_id) FROM survey_answers a JOIN surveys s ON s.organization_id = a.organization_id \
             AND s.id = a.survey_id WHERE a.organization_id = $1 AND s.status <> 'draft'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let results = json(&mut c, &format!("/api/v1/surveys/{survey}/results")).await;
        assert!(results["questions"].as_array().is_some_and(|q| !q.is_empty()));
        // A written answer (a name and a phone number, as people write) stored for the survey.
        let secret = "山田花子 090-1234-5678 に連絡ください";
        sqlx::query(
            "INSERT INTO survey_answers (organization_id, survey_id, response_id, question_id, part, value_text) \
             SELECT organization_id, survey_id, response_id, question_id, 'x', $3 FROM survey_answers \
             WHERE organization_id = $1 AND survey_id = $2 LIMIT 1",
        )
        .bind(org)
        .bind(survey)
        .bind(secret)
        .execute(&t.app.db)
        .await
        .unwrap();
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_answers WHERE value_text = $1")
            .bind(secret)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(stored, 1);
        let results = json(&mut c, &format!("/api/v1/surveys/{survey}/results")).await;
        assert!(!results.to_string().contains("090-1234-5678"), "a written answer leaked");

        // 行政評価: a programme over the years and a 施策, never the sheet's contact person.
        let (programme, contact): (i64, String) = sqlx::query_as(
            "SELECT s.programme_id, s.contact_phone FROM eval_sheets s JOIN eval_cycles c ON c.organization_id = s.organization_id \
             AND c.id = s.cycle_id WHERE s.organization_id = $1 AND c.published = 1 AND s.contact_phone <> '' ORDER BY s.id LIMIT 1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let p = json(&mut c, &format!("/api/v1/evaluation/programmes/{programme}")).await;
        assert!(p["years"].as_array().is_some_and(|y| !y.is_empty()), "{p}");
        assert!(p["years"][0]["costs"][0]["total"].is_i64(), "{p}");
        assert!(!p.to_string().contains(&contact), "the contact's phone leaked");
        let measure: i64 = sqlx::query_scalar(
            "SELECT MIN(id) FROM policy_nodes WHERE organization_id = $1 AND level = 'measure'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let m = json(&mut c, &format!("/api/v1/evaluation/policies/{measure}")).await;
        assert!(m["programmes"].is_array() && m["number"].is_string(), "{m}");
        // 会議録: a meeting by its id, every speech.
        let meeting: i64 = sqlx::query_scalar("SELECT MIN(id) FROM minutes_meetings WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let m = json(&mut c, &format!("/api/v1/minutes/meetings/{meeting}")).await;
        assert!(m["speeches"].as_array().is_some_and(|s| !s.is_empty()), "{m}");

        // Consultations: the list leads to each one and to a published result.
        let list = json(&mut c, "/api/v1/consultations").await;
        let one = first_id(&list, "consultations");
        let shown = json(&mut c, &format!("/api/v1/consultations/{one}")).await;
        assert!(shown["sections"].is_array() && shown["phase"].is_string());
        if let Some(r) = list["consultations"].as_array().unwrap().iter().find_map(|x| x["result"].as_str()) {
            assert!(json(&mut c, r).await["groups"].is_array());
        }

        // Councils: a name the body withheld stays withheld.
        let councils = json(&mut c, "/api/v1/councils").await;
        assert!(councils["overall"]["members"].as_u64().is_some());
        // One member whose name the body decided not to publish.
        sqlx::query(
            "UPDATE cn_members SET name_public = 0 WHERE organization_id = $1 AND id = (SELECT MIN(id) FROM cn_members WHERE organization_id = $1)",
        )
        .bind(org)
        .execute(&t.app.db)
        .await
        .unwrap();
        let hidden: Vec<(i64, String)> = sqlx::query_as(
            "SELECT m.body_id, p.name FROM cn_members m JOIN cn_people p ON p.organization_id = m.organization_id AND p.id = m.person_id \
             WHERE m.organization_id = $1 AND m.name_public = 0",
        )
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        assert!(!hidden.is_empty());
        let body_id = hidden[0].0;
        let body = json(&mut c, &format!("/api/v1/councils/{body_id}")).await;
        for (b, name) in &hidden {
            if *b == body_id {
                assert!(!body.to_string().contains(name.as_str()), "{name} withheld");
            }
        }
        if let Some(m) = body["meetings"][0]["meeting"].as_str() {
            assert!(json(&mut c, m).await["held_on"].is_string());
        }
        let (call, call_body): (i64, i64) =
            sqlx::query_as("SELECT id, body_id FROM cn_calls WHERE organization_id = $1 ORDER BY id LIMIT 1")
                .bind(org)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
        let shown = json(&mut c, &format!("/api/v1/councils/calls/{call}")).await;
        assert_eq!((shown["seats"].as_i64(), shown["open"].as_bool()), (Some(2), Some(true)), "{shown}");
        let listed = json(&mut c, &format!("/api/v1/councils/{call_body}")).await;
        assert_eq!(listed["calls"][0]["id"].as_i64(), Some(call));
        assert!(json(&mut c, "/api/v1/advisers").await["advisers"].is_array());

        // Facilities: a facility, its rooms and a room's month.
        let facilities = json(&mut c, "/api/v1/facilities").await;
        let facility = json(&mut c, &format!("/api/v1/facilities/{}", first_id(&facilities, "facilities"))).await;
        let availability = facility["rooms"][0]["availability"].as_str().unwrap().to_string();
        let month = json(&mut c, &format!("{availability}?month=2026-04")).await;
        assert_eq!(month["month"], "2026-04");
        assert_eq!(month["days"].as_array().unwrap().len(), 30);

        // Finance: editions and their lines page by cursor, without gaps or repeats.
        let editions = json(&mut c, "/api/v1/finance/editions").await;
        let lines = editions["editions"][0]["lines"].as_str().unwrap().to_string();
        let all = json(&mut c, &format!("{lines}?limit=500")).await;
        let total = all["total"].as_u64().unwrap() as usize;
        assert!(total > 4, "{total}");
        let first = json(&mut c, &format!("{lines}?limit=3")).await;
        let cursor = first["next_cursor"].as_str().unwrap().to_string();
        let second = json(&mut c, &format!("{lines}?limit=3&cursor={cursor}")).await;
        assert_eq!(first["lines"][0], all["lines"][0]);
        assert_eq!(second["lines"][0], all["lines"][3]);
        assert_eq!(c.get(&format!("{lines}?cursor=nowhere")).await.status, StatusCode::BAD_REQUEST);
        let bids = json(&mut c, "/api/v1/finance/bids?limit=1").await;
        // Filtered as the page filters: by text in the winner, by year; a bad year is refused.
        let winner = bids["tenders"][0]["落札者"].as_str().unwrap().to_string();
        let found = json(&mut c, &format!("/api/v1/finance/bids?q={}", urlencoding(&winner))).await;
        let tenders = found["tenders"].as_array().unwrap();
        assert!(!tenders.is_empty() && tenders.len() < bids["total"].as_u64().unwrap() as usize);
        assert!(tenders.iter().all(|b| b["落札者"] == winner.as_str() || b["件名"].as_str().unwrap().contains(&winner)));
        assert_eq!(c.get("/api/v1/finance/bids?year=R7").await.status, StatusCode::BAD_REQUEST);
        assert!(bids["tenders"][0]["落札率(%)"].is_string(), "{bids}");
        assert!(json(&mut c, &format!("/api/v1/finance/bids/{}", first_id(&bids, "tenders"))).await["bids"].is_array());
        for path in ["/api/v1/finance/statements", "/api/v1/finance/indicators", "/api/v1/finance/outlook"] {
            json(&mut c, path).await;
        }

        // 窓口: answered cases, counts, procedures, proposals.
        let voices = json(&mut c, "/api/v1/cases/voices?limit=1").await;
        if voices["total"].as_u64().unwrap() > 1 {
            let next = voices["next_cursor"].as_str().unwrap();
            let more = json(&mut c, &format!("/api/v1/cases/voices?limit=1&cursor={next}")).await;
            assert_ne!(more["cases"][0]["number"], voices["cases"][0]["number"]);
        }
        let year = voices["cases"][0]["fiscal_year"].as_i64().unwrap_or(2025);
        assert!(json(&mut c, &format!("/api/v1/cases/stats?fiscal_year={year}")).await["by_month"].is_array());
        assert!(json(&mut c, "/api/v1/procedures").await["procedures"][0]["手続名"].is_string());
        json(&mut c, "/api/v1/cases/proposals").await;

        // Another organization's host sees none of it.
        let mut foreign = t.foreign_client();
        let room = month["room_id"].as_i64().unwrap();
        assert_eq!(foreign.get(&format!("/api/v1/facilities/rooms/{room}/availability")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(foreign.get(&format!("/api/v1/councils/{body_id}")).await.status, StatusCode::NOT_FOUND);
        let theirs: Value = serde_json::from_str(&foreign.get("/api/v1/finance/editions").await.body).unwrap();
        assert_eq!(theirs["editions"].as_array().map(Vec::len), Some(0));
        t
    })
    .await;
}

#[tokio::test]
async fn anonymous_reads_are_cached_like_pages_until_a_write() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        // Made first: making a token is a write, which drops the organization's cached answers.
        let (_, secret) =
            crate::api_tokens::make(&t, "hq@demo.kyodo.jp", &["read:published", "write:cases"]).await;
        let mut anon = t.client();
        let before = json(&mut anon, "/api/v1/facilities").await;
        let (id, name) = (first_id(&before, "facilities"), before["facilities"][0]["name"].clone());
        // Changed behind the application's back: the cached answer is still served …
        sqlx::query("UPDATE rsv_facilities SET name = '改名テスト館' WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&t.app.db)
            .await
            .unwrap();
        let cached = json(&mut anon, "/api/v1/facilities").await;
        assert_eq!(cached["facilities"][0]["name"], name, "served from the cache");
        // … never to a token (its answer is its own) …
        let fresh = crate::api_tokens::call(&t, "GET", "/api/v1/facilities", &secret, None).await;
        assert!(fresh.body.contains("改名テスト館"), "{}", fresh.body);
        // … and a write through the application drops it.
        let case: i64 = sqlx::query_scalar("SELECT MIN(id) FROM cases WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let note = r#"{"note": "キャッシュの確認"}"#;
        let res = crate::api_tokens::call(&t, "POST", &format!("/api/v1/cases/{case}/note"), &secret, Some(note)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let after = json(&mut anon, "/api/v1/facilities").await;
        assert_eq!(after["facilities"][0]["name"], "改名テスト館");
        t
    })
    .await;
}

fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
