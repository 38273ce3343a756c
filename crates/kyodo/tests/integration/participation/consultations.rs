use super::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_period_follows_the_minimum_unless_the_hq_records_a_reason() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let form = |starts: &str, ends: &str, reason: &str| {
            vec![
                ("title".to_string(), "短い案".to_string()),
                ("starts_on".into(), starts.to_string()),
                ("ends_on".into(), ends.to_string()),
                ("short_reason".into(), reason.to_string()),
                ("elig_resident".into(), "1".into()),
                ("draft".into(), "本文".into()),
            ]
        };
        let res = staff
            .post_owned("/staff/consultations", &form(&day(10), &day(1), ""))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("終了日が開始日より前"), "{}", res.body);
        // 29 days counted from the first day: one short of 30.
        let res = staff
            .post_owned("/staff/consultations", &form(&day(0), &day(28), ""))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("最低期間より短く"), "{}", res.body);
        let res = staff
            .post_owned(
                "/staff/consultations",
                &form(&day(0), &day(28), "災害対応のため"),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("行政改革推進本部だけ"), "{}", res.body);
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post_owned(
                "/staff/consultations",
                &form("令和8年1月5日", "2026-01-20", "災害対応のため"),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = staff
            .post_owned("/staff/consultations", &form(&day(0), &day(29), ""))
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "30 days are enough: {}",
            res.body
        );
        let res = staff
            .post_owned("/staff/consultations", &[("title".into(), "x".into())])
            .await;
        assert!(res.body.contains("提出できる方を1つ以上"), "{}", res.body);
        t
    })
    .await;
}

#[tokio::test]
async fn a_guest_opinion_is_confirmed_grouped_answered_and_published_without_personal_data() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let id = open_consultation(&t, "協働条例(案)", &day(-1), &day(29)).await;
        let mut guest = t.client();
        let form_path = format!("/consultations/{id}/opinion");
        assert_eq!(guest.get(&form_path).await.status, StatusCode::OK);
        let opinion = |email: &'static str| {
            vec![
                ("section", "2"),
                ("body", "公表は毎年度にしてください。<script>alert(1)</script>"),
                ("name", "会津 花子"),
                ("address", "会津若松市追手町5-1"),
                ("email", email),
                ("eligibility", "resident"),
            ]
        };
        let res = guest.post(&form_path, &opinion("")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("公表は毎年度"), "nothing typed is lost");
        assert!(!res.body.contains("<script>alert"), "text is escaped");
        let mut bad = opinion("hanako@example.jp");
        bad[5] = ("eligibility", "student");
        let res = guest.post(&form_path, &bad).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "在学 is not asked for here");
        let res = guest.post(&form_path, &opinion("hanako@example.jp")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let receipt = res.location().to_string();
        assert!(receipt.starts_with("/consultations/opinions/"), "{receipt}");
        // Stored before the mail; the mail carries the look-up link.
        let mail = t.outbox(org).await.into_iter().find(|m| m.to == "hanako@example.jp").unwrap();
        let key = receipt.split("key=").nth(1).unwrap().split('&').next().unwrap();
        assert!(mail.body.contains(key), "{}", mail.body);
        let page = guest.get(&receipt).await;
        assert!(page.body.contains("確認待ち"), "{}", page.body);
        let opinion_id = receipt.trim_start_matches("/consultations/opinions/").split('?').next().unwrap().to_string();
        assert_eq!(guest.get(&format!("/consultations/opinions/{opinion_id}?key=wrong")).await.status, StatusCode::NOT_FOUND);
        let res = guest.post(&format!("/consultations/opinions/{opinion_id}/confirm"), &[("key", key)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(guest.get(&receipt).await.body.contains("受付済み"));
        // The same text from the same address again within a minute: a double send.
        let res = guest.post(&form_path, &opinion("Hanako@example.jp")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("二重送信"), "{}", res.body);

        // A letter, entered by staff with its channel.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let work = format!("/staff/consultations/{id}");
        let res = staff
            .post(
                &format!("{work}/opinions"),
                &[("channel", "mail"), ("section", "1"), ("body", "目的に賛成です。"), ("name", "若松 一郎"), ("address", "会津若松市栄町"), ("eligibility", "worker")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = staff.get(&work).await;
        assert!(page.body.contains("会津 花子") && page.body.contains("郵送"), "staff see the submitters");

        // Not before the period ends; then every opinion must be grouped and answered.
        let res = staff.post(&format!("{work}/submit"), &[]).await;
        assert!(res.body.contains("募集期間が終わるまで"), "{}", res.body);
        sqlx::query("UPDATE pc_consultations SET starts_on = $1, ends_on = $2 WHERE organization_id = $3 AND id = $4")
            .bind(day(-40))
            .bind(day(-1))
            .bind(org)
            .bind(id)
            .execute(&t.app.db)
            .await
            .unwrap();
        assert_eq!(guest.post(&form_path, &opinion("late@example.jp")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = staff.post(&format!("{work}/submit"), &[]).await;
        assert!(res.body.contains("まとめていない意見"), "{}", res.body);
        let opinions: Vec<(i64, i64)> = sqlx::query_as("SELECT id, section_number FROM pc_opinions WHERE organization_id = $1 AND consultation_id = $2 ORDER BY receipt_no")
            .bind(org)
            .bind(id)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        assert_eq!(opinions.len(), 2);
        let res = staff
            .post(&format!("/staff/consultations/opinions/{}/redact", opinions[0].0), &[("published_body", "公表は毎年度にしてほしい。")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let mut groups = Vec::new();
        for (o, summary) in [(opinions[0].0, "毎年度公表すべき。"), (opinions[1].0, "目的に賛成。")] {
            let res = staff.post(&format!("{work}/groups"), &[("opinion", &o.to_string()), ("summary", summary)]).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
            let g: i64 = sqlx::query_scalar("SELECT group_id FROM pc_opinions WHERE organization_id = $1 AND id = $2")
                .bind(org)
                .bind(o)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
            groups.push(g);
        }
        let res = staff.post(&format!("{work}/submit"), &[]).await;
        assert!(res.body.contains("市の考え方が書かれていない"), "{}", res.body);
        let answer = format!("/staff/consultations/groups/{}", groups[0]);
        let res = staff.post(&answer, &[("summary", "毎年度公表すべき。"), ("city_view", "毎年度に改めます。"), ("revised", "1")]).await;
        assert!(res.body.contains("修正内容を書いて"), "{}", res.body);
        for (g, view, revised, change) in [(groups[0], "毎年度に改めます。", "1", "「毎年」を「毎年度」に修正"), (groups[1], "ご賛同として承ります。", "", "")] {
            let res = staff
                .post(&format!("/staff/consultations/groups/{g}"), &[("summary", "概要"), ("city_view", view), ("revised", revised), ("change_text", change)])
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        let res = staff.post(&format!("{work}/revise"), &[("number", "2"), ("revised", "市は毎年度公表する。")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(staff.post(&format!("{work}/submit"), &[]).await.status, StatusCode::SEE_OTHER);
        // Locked while the HQ decides; only the HQ decides.
        let res = staff.post(&answer, &[("summary", "x"), ("city_view", "y")]).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        let decide = format!("/hq/consultations/{id}/decide");
        assert_eq!(staff.post(&decide, &[("decision", "publish")]).await.status, StatusCode::FORBIDDEN);
        let result = format!("/consultations/{id}/result");
        assert_eq!(guest.get(&result).await.status, StatusCode::NOT_FOUND);
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        assert_eq!(hq.post(&decide, &[("decision", "publish")]).await.status, StatusCode::SEE_OTHER);

        let page = guest.get(&result).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("2名2件") && page.body.contains("毎年度に改めます。"), "{}", page.body);
        assert!(page.body.contains("<ins>") && page.body.contains("度"), "the change is marked");
        for path in [result.clone(), format!("{result}.csv"), format!("{result}.json"), "/consultations/results.csv".into(), format!("/consultations/{id}")] {
            let res = guest.get(&path).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
            for private in ["会津 花子", "hanako@example.jp", "追手町", "若松 一郎"] {
                assert!(!res.body.contains(private), "{path} shows {private}");
            }
        }
        let csv = guest.get(&format!("{result}.csv")).await.body;
        assert!(csv.contains("毎年度公表すべき") || csv.contains("概要"), "{csv}");
        let json: serde_json::Value = serde_json::from_str(&guest.get(&format!("{result}.json")).await.body).unwrap();
        assert_eq!(json["opinions"], 2);
        // The submitter sees the city's answer with their key.
        assert!(guest.get(&receipt).await.body.contains("毎年度に改めます。"));
        t
    })
    .await;
}

#[tokio::test]
async fn subscribers_hear_of_new_consultations_until_they_cancel_and_the_calendar_lists_periods() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut guest = t.client();
        assert_eq!(guest.get("/consultations/subscribe").await.status, StatusCode::OK);
        let res = guest.post("/consultations/subscribe", &[("email", "not-an-address")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = guest.post("/consultations/subscribe", &[("email", "Fan@Example.jp")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let mails_to = |t: &TestApp| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_as::<_, (String, String)>("SELECT subject, body FROM mail_messages WHERE organization_id = $1 AND to_address = 'fan@example.jp' ORDER BY created_at")
                    .bind(org)
                    .fetch_all(&db)
                    .await
                    .unwrap()
            }
        };
        let first = mails_to(&t).await;
        assert_eq!(first.len(), 1);
        let link = first[0].1.lines().find(|l| l.contains("/consultations/subscription?token=")).unwrap();
        let token = link.split("token=").nth(1).unwrap().trim().to_string();
        // Not yet confirmed: a new consultation sends nothing.
        open_consultation(&t, "確認前の案", &day(0), &day(30)).await;
        assert_eq!(mails_to(&t).await.len(), 1);
        let page = guest.get(&format!("/consultations/subscription?token={token}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let res = guest.post("/consultations/subscription", &[("token", &token), ("action", "confirm")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        open_consultation(&t, "確認後の案", &day(0), &day(30)).await;
        let mails = mails_to(&t).await;
        assert_eq!(mails.len(), 2);
        assert!(mails[1].1.contains("確認後の案") && mails[1].1.contains(&token), "{}", mails[1].1);
        let res = guest.post("/consultations/subscription", &[("token", &token), ("action", "cancel")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        open_consultation(&t, "停止後の案", &day(0), &day(30)).await;
        assert_eq!(mails_to(&t).await.len(), 2);
        assert_eq!(guest.get(&format!("/consultations/subscription?token={token}")).await.status, StatusCode::NOT_FOUND);

        let ics = guest.get("/consultations/calendar.ics").await;
        assert_eq!(ics.status, StatusCode::OK);
        let start = day(0).replace('-', "");
        assert!(ics.body.contains(&format!("DTSTART;VALUE=DATE:{start}")) && ics.body.contains("SUMMARY:意見募集: 停止後の案"), "{}", ics.body);
        t
    })
    .await;
}

#[tokio::test]
async fn who_may_submit_is_the_organizations_own_code_list() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        // A city whose 条例 also names taxpayers adds them to its list.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post("/hq/codes", &[("list", "consultation_eligibility"), ("code", "taxpayer"), ("label", "市に納税義務を有する方"), ("label_en", "Taxpayers of the city"), ("sort_order", "5")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let form = staff.get("/staff/consultations").await;
        assert!(form.body.contains("name=\"elig_taxpayer\"") && form.body.contains("市に納税義務を有する方"), "{}", form.body);
        let (starts, ends) = (day(0), day(40));
        let fields = |ticks: &[&'static str]| {
            let mut f = vec![("title", "納税者に問う案"), ("starts_on", starts.as_str()), ("ends_on", ends.as_str()), ("draft", "# 第1条\n本文")];
            f.extend(ticks.iter().map(|t| (*t, "1")));
            f
        };
        // A code the list does not have counts for nothing.
        let res = staff.post("/staff/consultations", &fields(&["elig_martian"])).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"f-eligibility\""));
        // Linked to a 施策 as well: a 施策 that is not one is refused beside the field.
        let measure: i64 = sqlx::query_scalar("SELECT id FROM policy_nodes WHERE organization_id = $1 AND number = '1-1' AND level = 'measure'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let mut linked = fields(&["elig_taxpayer"]);
        linked.push(("policy_node_id", "12345"));
        let res = staff.post("/staff/consultations", &linked).await;
        assert!(res.body.contains("id=\"e-policy_node_id\""), "{}", res.body);
        let measure_id = measure.to_string();
        linked.pop();
        linked.push(("policy_node_id", &measure_id));
        let res = staff.post("/staff/consultations", &linked).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id: i64 = sqlx::query_scalar("SELECT id FROM pc_consultations WHERE organization_id = $1 AND title = '納税者に問う案'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let stored: String = sqlx::query_scalar("SELECT eligibility FROM pc_consultations WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(stored, "taxpayer");
        let page = t.client().get(&format!("/consultations/{id}")).await;
        assert!(page.body.contains("市に納税義務を有する方") && !page.body.contains("市内に通学する方"), "{}", page.body);
        assert!(page.body.contains(&format!("/evaluation/policies/{measure}")), "{}", page.body);
        let policy = t.client().get(&format!("/evaluation/policies/{measure}")).await;
        assert!(policy.body.contains(&format!("/consultations/{id}")) && policy.body.contains("納税者に問う案"), "{}", policy.body);
        t
    })
    .await;
}
