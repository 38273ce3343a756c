//! The case desk feeds the designated manager's monthly report: staff link a case to the facility
//! it is about (a bad choice refused beside the field), the month's count appears on the staff
//! page with the cases themselves, on the manager's own page and on the public facility page as a
//! number only — never what the cases say — and an unlinked case stops counting.

use super::*;
use crate::cases::{Voice, send};
use axum::http::StatusCode;

async fn facility(t: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM rsv_facilities WHERE organization_id = $1 AND name = $2")
        .bind(t.demo_org().await)
        .bind(name)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}

/// The number in the desk column of the report row for `month_label`.
fn desk_count(body: &str, month_label: &str) -> String {
    let row = &body[body
        .find(month_label)
        .unwrap_or_else(|| panic!("{month_label}: {body}"))..];
    let row = &row[..row.find("</tr>").unwrap()];
    let last = row.rfind("<td class=\"num\">").unwrap() + "<td class=\"num\">".len();
    row[last..last + row[last..].find('<').unwrap()].to_string()
}

#[tokio::test]
async fn desk_cases_about_a_facility_count_in_its_managers_monthly_report() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let gym = facility(&t, "総合運動公園(デモ)").await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let (a, number_a, _) = send(
            &t,
            &mut guest,
            &v,
            v.fields(
                "苦情",
                "その他",
                "更衣室のロッカーが壊れている",
                "三番のロッカーの鍵が閉まりません。",
            ),
        )
        .await;
        let (b, _, _) = send(
            &t,
            &mut guest,
            &v,
            v.fields(
                "要望",
                "その他",
                "駐輪場の屋根",
                "雨の日に自転車が濡れます。",
            ),
        )
        .await;

        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        for (bad, why) in [
            ("体育館", "not a number"),
            ("999999999", "another organization's or none"),
        ] {
            let res = hq
                .post(&format!("/staff/cases/{a}/facility"), &[("facility", bad)])
                .await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{why}: {}",
                res.body
            );
            assert!(
                res.body.contains("id=\"e-facility\""),
                "{why}: {}",
                res.body
            );
        }
        let linked = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM cases WHERE organization_id = $1 AND facility_id IS NOT NULL",
            )
            .bind(t.demo_org().await)
            .fetch_one(&t.app.db)
            .await
            .unwrap()
        };
        assert_eq!(linked().await, 0, "nothing saved by a bad choice");

        // A report for this month, so the public page has the month's row.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let month = kyodo::reservations::today().format("%Y-%m").to_string();
        let res = staff
            .post(
                &format!("/staff/facilities/{gym}/management/reports"),
                &[
                    ("month", month.as_str()),
                    ("users", "120"),
                    ("revenue", "3,000"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let public = t.client().get(&format!("/facilities/{gym}")).await.body;
        assert_eq!(desk_count(&public, &month), "0", "{public}");

        for (case, choice) in [
            (a, gym.to_string()),
            (b, gym.to_string()),
            (b, String::new()),
        ] {
            let res = hq
                .post(
                    &format!("/staff/cases/{case}/facility"),
                    &[("facility", choice.as_str())],
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        assert_eq!(linked().await, 1, "b was unlinked");
        let case_page = hq.get(&format!("/staff/cases/{a}")).await.body;
        assert!(
            case_page.contains(&format!("href=\"/facilities/{gym}\"")),
            "{case_page}"
        );

        // Staff: the month's count and which cases.
        let today = kyodo::reservations::today();
        let label = format!(
            "{}年{}月",
            chrono::Datelike::year(&today),
            chrono::Datelike::month(&today)
        );
        let page = staff
            .get(&format!("/staff/facilities/{gym}/management"))
            .await
            .body;
        assert_eq!(desk_count(&page, &label), "1", "{page}");
        assert!(
            page.contains(&number_a) && page.contains("更衣室のロッカーが壊れている"),
            "{page}"
        );
        assert!(
            !page.contains("駐輪場の屋根"),
            "the unlinked case is not listed"
        );

        // The public page (cached before the link, so the link must have dropped it): a number only.
        let public = t.client().get(&format!("/facilities/{gym}")).await.body;
        assert_eq!(desk_count(&public, &month), "1", "{public}");
        assert!(
            !public.contains("更衣室のロッカー") && !public.contains(&number_a),
            "{public}"
        );

        // The manager's own account: the count, not the cases.
        let assign = format!("/staff/facilities/{gym}/management/managers");
        let res = staff
            .post(&assign, &[("email", "citizen@demo.kyodo.jp")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mut manager = t.signed_in("citizen@demo.kyodo.jp").await;
        let own = manager.get(&format!("/manager/facilities/{gym}")).await;
        assert_eq!(own.status, StatusCode::OK);
        assert_eq!(desk_count(&own.body, &label), "1", "{}", own.body);
        assert!(
            !own.body.contains("更衣室のロッカー") && !own.body.contains(&number_a),
            "{}",
            own.body
        );
        t
    })
    .await;
}

#[tokio::test]
async fn a_voice_sent_from_a_facilitys_page_is_about_that_facility() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let gym = facility(&t, "総合運動公園(デモ)").await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let page = guest.get(&format!("/facilities/{gym}")).await.body;
        let link = format!("href=\"/cases?facility={gym}\"");
        assert!(page.contains(&link), "{page}");
        let desk = guest.get(&format!("/cases?facility={gym}")).await.body;
        assert!(
            desk.contains("id=\"about-facility\"") && desk.contains("総合運動公園(デモ)"),
            "{desk}"
        );
        let form_link = format!("/cases/types/{}?facility={gym}", v.type_id);
        assert!(desk.contains(&form_link), "{desk}");
        let form = guest.get(&form_link).await.body;
        assert!(
            form.contains(&format!("name=\"facility\" value=\"{gym}\"")),
            "{form}"
        );
        // Not a facility (or another city's): ignored on the desk, refused when sent.
        let other = guest.get("/cases?facility=999999999").await.body;
        assert!(!other.contains("id=\"about-facility\""), "{other}");
        let stored = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM cases WHERE organization_id = $1 AND facility_id = $2",
            )
            .bind(org)
            .bind(gym)
            .fetch_one(&t.app.db)
            .await
            .unwrap()
        };
        let mut fields = v.fields(
            "苦情",
            "その他",
            "照明が暗い",
            "夜間のテニスコートの照明が一つ切れています。",
        );
        fields.push(("facility".into(), "999999999".into()));
        let res = guest
            .post_owned(&format!("/cases/types/{}", v.type_id), &fields)
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("id=\"e-facility\""), "{}", res.body);
        let dark = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM cases WHERE organization_id = $1 AND subject = '照明が暗い'",
            )
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap()
        };
        assert_eq!(dark().await, 0, "nothing stored");
        fields.pop();
        fields.push(("facility".into(), gym.to_string()));
        send(&t, &mut guest, &v, fields).await;
        assert_eq!((stored().await, dark().await), (1, 1));
        t
    })
    .await;
}
