//! A meeting's details besides its speeches: place, attendance, agenda (庁議 案件 with 結果 and
//! 担当) and documents — read from the minutes' heading on import, corrected by HQ, shown on the
//! meeting page and in the API with the local-minutes municipality fields.

use super::*;
use serde_json::json;

/// 庁議 results as cities publish them: a heading, items with their department, results on the
/// line below — no record of speeches.
const EXECUTIVE: &str = "令和7年度 第3回庁議\n日時：令和7年6月2日(月) 午前9時\n場所：本庁舎3階 第1会議室\n出席者　市長、副市長、各部長\n議題\n１　第7次総合計画の進捗について（企画政策部）\n結果：原案のとおり了承\n(2) 公共施設の再配置 (担当：財務部)\n決定事項　次回までに案を示す\n";

async fn executive_id(t: &TestApp, org: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT id FROM minutes_meetings WHERE organization_id = $1 AND title = '令和7年度 第3回庁議'",
    )
    .bind(org)
    .fetch_one(&t.app.db)
    .await
    .unwrap()
}

async fn counts(t: &TestApp, org: i64, meeting: i64) -> (i64, i64) {
    let n = |table: &str| {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE organization_id = $1 AND meeting_id = $2"
        )))
        .bind(org)
        .bind(meeting)
        .fetch_one(&t.app.db)
    };
    (
        n("minutes_items").await.unwrap(),
        n("minutes_documents").await.unwrap(),
    )
}

async fn import_executive(hq: &mut Client) -> Res {
    hq.post_multipart(
        "/hq/minutes/import",
        &[("body", "庁議"), ("kind", "executive")],
        ("file", "chogi.txt", EXECUTIVE.as_bytes()),
    )
    .await
}

#[tokio::test]
async fn executive_results_their_details_and_the_municipality_fields() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = import_executive(&mut hq).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id = executive_id(&t, org).await;
        assert_eq!(counts(&t, org, id).await, (2, 0));

        // The public page: place, attendance and the items with result and department.
        let mut anon = t.client();
        let page = anon.get(&format!("/minutes/meetings/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        for shown in [
            "本庁舎3階 第1会議室",
            "市長、副市長、各部長",
            "<th scope=\"row\">第7次総合計画の進捗について</th><td class=\"prose\">原案のとおり了承</td><td>企画政策部</td>",
            "<th scope=\"row\">公共施設の再配置</th><td class=\"prose\">次回までに案を示す</td><td>財務部</td>",
        ] {
            assert!(page.body.contains(shown), "{shown}: {}", page.body);
        }
        assert!(!page.body.contains(&format!("/hq/minutes/meetings/{id}")));
        let mine = hq.get(&format!("/minutes/meetings/{id}")).await;
        assert!(mine.body.contains(&format!("/hq/minutes/meetings/{id}")));

        // Corrections with problems: each named by line, nothing saved.
        let form = hq.get(&format!("/hq/minutes/meetings/{id}")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("第7次総合計画の進捗について ｜ 原案のとおり了承 ｜ 企画政策部"));
        let res = hq
            .post(
                &format!("/hq/minutes/meetings/{id}"),
                &[
                    ("place", "第2会議室"),
                    ("items", "件名だけ\n｜結果だけ\n件名｜結果｜担当｜余り"),
                    ("documents", "資料1\thttps://www.example.jp/1.pdf\n危ない資料｜javascript:alert(1)"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for said in [
            "行 2: 件名がありません。",
            "行 3: 列が多すぎます",
            "行 2: アドレスは http:// または https:// で始まる",
        ] {
            assert!(res.body.contains(said), "{said}: {}", res.body);
        }
        assert_eq!(counts(&t, org, id).await, (2, 0), "nothing half-saved");

        // Good lines, pasted from a sheet (tabs) or typed with ｜.
        let res = hq
            .post(
                &format!("/hq/minutes/meetings/{id}"),
                &[
                    ("place", "第2会議室"),
                    ("attendance", "市長、副市長"),
                    ("items", "総合計画\t了承\t企画政策部\n再配置｜継続審議"),
                    ("documents", "資料1\thttps://www.example.jp/1.pdf"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(counts(&t, org, id).await, (2, 1));
        let page = anon.get(&format!("/minutes/meetings/{id}")).await;
        assert!(
            page.body.contains("第2会議室")
                && page.body.contains("<td class=\"prose\">継続審議</td><td></td>")
                && page.body.contains("<a href=\"https://www.example.jp/1.pdf\" rel=\"noopener\">資料1</a>"),
            "{}",
            page.body
        );

        // A re-import takes the agenda and place from the file again, and keeps the documents.
        let res = import_executive(&mut hq).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(executive_id(&t, org).await, id, "replaced, not duplicated");
        assert_eq!(counts(&t, org, id).await, (2, 1));

        // The API's full output carries the details and the municipality fields (of the demo
        // 本会議, whose heading names its place and agenda); another city's code finds nothing.
        // (A record of results without speeches is listed on the minutes page, not searched.)
        let json = |r: &Res| serde_json::from_str::<serde_json::Value>(&r.body).unwrap();
        let asked = format!("any={}&from=2024-03-05&until=2024-03-05", q("行政改革"));
        let v = json(&anon.get(&format!("/api/v1/minutes/meeting?{asked}")).await);
        let m = &v["meetingRecord"][0];
        assert!(m["meetingID"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
        assert_eq!(
            (&m["prefecture"], &m["municipalityCode"], &m["place"]),
            (&json!("福島県"), &json!("07202"), &json!("市役所本庁舎 議場"))
        );
        assert_eq!(m["agendaItem"][0]["title"], "一般質問");
        assert!(m["attendance"].as_str().unwrap().contains("鶴ヶ城花子"));
        for (code, found) in [("07202", 1), ("072028", 1), ("13101", 0)] {
            let v = json(
                &anon
                    .get(&format!("/api/v1/minutes/meeting_list?{asked}&municipalityCode={code}"))
                    .await,
            );
            assert_eq!(v["numberOfRecords"], found, "{code}: {v}");
        }
        let listed = anon.get("/minutes").await;
        assert!(listed.body.contains("令和7年度 第3回庁議"));

        // A record with no speeches is found by its items (the result's words, the title and the
        // department ANDed), never under the council's kind or with a term excluded.
        let link = format!("/minutes/meetings/{id}#item-2");
        for q in ["%E6%A1%88%E3%82%92%E7%A4%BA%E3%81%99", "%E5%86%8D%E9%85%8D%E7%BD%AE+%E8%B2%A1%E5%8B%99%E9%83%A8"] {
            let found = anon.get(&format!("/minutes?q={q}")).await;
            assert_eq!(found.status, StatusCode::OK);
            assert!(found.body.contains(&link) && found.body.contains("<mark>"), "{q}: {}", found.body);
            assert!(found.body.contains("庁議の案件・結果で"));
        }
        let council = anon.get("/minutes?q=%E6%A1%88%E3%82%92%E7%A4%BA%E3%81%99&kind=council").await;
        assert!(!council.body.contains(&link));
        let excluded = anon.get("/minutes?q=%E5%86%8D%E9%85%8D%E7%BD%AE+-%E8%B2%A1%E5%8B%99%E9%83%A8").await;
        assert!(!excluded.body.contains(&link));
        let page = anon.get(&format!("/minutes/meetings/{id}")).await;
        assert!(page.body.contains("id=\"item-2\""), "the link's anchor");

        // Not HQ: neither the form nor the save.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(
            staff.get(&format!("/hq/minutes/meetings/{id}")).await.status,
            StatusCode::FORBIDDEN
        );
        let res = staff
            .post(&format!("/hq/minutes/meetings/{id}"), &[("place", "x")])
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        t
    })
    .await;
}
