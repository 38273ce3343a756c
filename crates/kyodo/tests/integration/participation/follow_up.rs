//! 委員意見 after adoption on a whole plan and on a 施策 (S-1.3.3): a committee member writes on
//! the plan's or 施策's page, nothing is public until the HQ answers on its list, then opinion and
//! response show on that page and on the council's page — without the member's name.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn committee_opinions_on_a_plan_and_a_measure_are_answered_then_published() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (plan, item) = seed_item(&t, "S-2.1.2").await;
        let measure: i64 = sqlx::query_scalar(
            "SELECT id FROM policy_nodes WHERE organization_id = $1 AND level = 'measure' AND number = '1-1'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let plan_page = format!("/plans/{plan}");
        let measure_page = format!("/evaluation/policies/{measure}");
        let on_plan = format!("/plans/{plan}/opinions");
        let on_measure = format!("/evaluation/policies/{measure}/opinions");

        // The form is the committee member's only; the cached public page has none.
        let mut guest = t.client();
        assert!(!guest.get(&plan_page).await.body.contains(&on_plan));
        let mut member = t.signed_in("committee@demo.kyodo.jp").await;
        assert!(member.get(&plan_page).await.body.contains(&format!("action=\"{on_plan}\"")));
        assert!(member.get(&measure_page).await.body.contains(&format!("action=\"{on_measure}\"")));

        let empty = member.submit(&on_plan, &[("opinion", "  ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("id=\"e-opinion\""), "{}", empty.body);
        let plan_text = "計画全体の削減目標を年度ごとに示すべきである。";
        let measure_text = "この施策の成果指標に市民満足度を加えること。";
        assert_eq!(member.submit(&on_plan, &[("opinion", plan_text)]).await.status, StatusCode::OK);
        assert_eq!(member.submit(&on_measure, &[("opinion", measure_text)]).await.status, StatusCode::OK);
        // A plan item is not a 施策, and another organization's plan does not exist here.
        let res = member.post(&format!("/evaluation/policies/{item}/opinions"), &[("opinion", "x")]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = member.post("/plans/999999/opinions", &[("opinion", "x")]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // Citizens cannot write opinions.
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        assert_eq!(citizen.post(&on_plan, &[("opinion", "x")]).await.status, StatusCode::FORBIDDEN);

        // Nothing is public before the response.
        assert!(!guest.get(&plan_page).await.body.contains(plan_text));
        assert!(!guest.get(&measure_page).await.body.contains(measure_text));

        // The HQ's list has both (and the plan's own dashboard the plan's).
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let list = hq.get("/hq/opinions").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(plan_text) && list.body.contains(measure_text), "{}", list.body);
        assert!(list.body.contains(&format!("href=\"{measure_page}\"")));
        assert!(hq.get(&format!("/hq/plans/{plan}")).await.body.contains(plan_text));
        let id_of = |text: &'static str| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT id FROM follow_up_opinions WHERE opinion = $1")
                    .bind(text)
                    .fetch_one(&db)
                    .await
                    .unwrap()
            }
        };
        let (plan_op, measure_op) = (id_of(plan_text).await, id_of(measure_text).await);
        let res = hq.post(&format!("/hq/opinions/{measure_op}"), &[("response", "")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains(&format!("id=\"e-response-{measure_op}\"")), "{}", res.body);
        for (op, answer) in [(plan_op, "年次報告で年度別の目標額を示します。"), (measure_op, "次期の指標設定で検討します。")] {
            let res = hq.post(&format!("/hq/opinions/{op}"), &[("response", answer)]).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER);
            assert_eq!(res.location(), "/hq/opinions");
        }
        assert!(!hq.get("/hq/opinions").await.body.contains(plan_text));

        // Published with the response, the committee named, the member not.
        let page = guest.get(&plan_page).await;
        assert!(page.body.contains(plan_text) && page.body.contains("年次報告で年度別の目標額を示します。"), "{}", page.body);
        let page = guest.get(&measure_page).await;
        assert!(page.body.contains(measure_text) && page.body.contains("次期の指標設定で検討します。"), "{}", page.body);
        assert!(page.body.contains("行政改革推進委員会(デモ)") && !page.body.contains("デモ 委員"));
        // The council whose members sit on the committee lists them with links to their pages.
        let body: i64 = sqlx::query_scalar("SELECT id FROM cn_bodies WHERE organization_id = $1 AND committee_id IS NOT NULL")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let council = guest.get(&format!("/councils/{body}")).await;
        assert!(council.body.contains(measure_text) && council.body.contains(&format!("href=\"{measure_page}\"")), "{}", council.body);
        assert!(council.body.contains(&format!("href=\"{plan_page}\"")));

        // A 施策 with an opinion is not removed.
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM follow_up_opinions WHERE subject = 'policy' AND subject_id = $1")
            .bind(measure)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(n, 1);
        t
    })
    .await;
}
