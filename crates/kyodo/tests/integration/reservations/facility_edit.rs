//! Staff edit a facility: each refusal beside its field with nothing saved; a saved rule on who
//! may book is shown on the public page and refuses a booking (and a lottery application) that
//! breaks it.

use super::*;
use axum::http::StatusCode;

async fn post(staff: &mut Client, url: &str, f: Vec<(String, String)>) -> Res {
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    staff.post(url, &f).await
}

#[tokio::test]
async fn a_facility_is_edited_and_its_rule_on_who_may_book_holds() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (hall, _, _) = demo_rooms(&t).await;
        let facility = scalar(&t, "SELECT facility_id FROM rsv_rooms WHERE id = $1", hall).await;
        let stored = |t: &TestApp| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_as::<_, (String, String, String)>(
                    "SELECT name, closed_weekdays, booking_rule FROM rsv_facilities WHERE organization_id = $1 AND id = $2",
                )
                .bind(org)
                .bind(facility)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        let before = stored(&t).await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let url = format!("/staff/facilities/{facility}/edit");
        let form = staff.get(&url).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("予約できる方") && form.body.contains("name=\"closed_1\" value=\"1\" checked"), "{}", form.body);
        let other_name: String = sqlx::query_scalar("SELECT name FROM rsv_facilities WHERE organization_id = $1 AND id <> $2")
            .bind(org)
            .bind(facility)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let fields = |name: &str, kind: &str, manager: &str, rule: &str| {
            vec![
                ("name".to_string(), name.to_string()),
                ("hours".into(), "9:00〜22:00".into()),
                ("manager_kind".into(), kind.into()),
                ("manager_name".into(), manager.into()),
                ("booking_rule".into(), rule.into()),
                ("closed_1".into(), "1".into()),
                ("closed_7".into(), "1".into()),
            ]
        };
        for (f, field, message) in [
            (fields("", "direct", "", "any"), "name", "入力してください"),
            (fields(&other_name, "direct", "", "any"), "name", "同じ名称の施設"),
            (fields("市民交流センター(デモ)", "designated", "", "any"), "manager_name", "指定管理者の名称"),
            (fields("市民交流センター(デモ)", "direct", "", "everyone"), "booking_rule", "一覧から選択"),
        ] {
            let res = post(&mut staff, &url, f).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
            assert!(res.body.contains(&format!("id=\"e-{field}\"")) && res.body.contains(message), "{message}: {}", res.body);
            assert_eq!(stored(&t).await, before, "nothing saved");
        }
        let res = post(&mut staff, &url, fields("市民交流センター(デモ)", "designated", "NPO法人あいづ", "groups")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(stored(&t).await, ("市民交流センター(デモ)".into(), "1,7".into(), "groups".into()));
        let page = t.client().get(&format!("/facilities/{facility}")).await;
        assert!(page.body.contains("団体登録の方のみ") && page.body.contains("NPO法人あいづ"), "{}", page.body);

        // A user registered as an individual: refused, beside the registration.
        register_user(&t, "hq@demo.kyodo.jp", true).await;
        let mut citizen = t.signed_in("hq@demo.kyodo.jp").await;
        let day = (10..40).map(open_day).find(|d| d.weekday() != chrono::Weekday::Sun).unwrap();
        let d = iso(day);
        let booking = [("date", d.as_str()), ("slot", "am"), ("purpose", "自治会の総会"), ("attendees", "30")];
        let res = citizen.post(&format!("/facilities/rooms/{hall}/book"), &booking).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("団体で利用者登録をした方のみ"), "{}", res.body);
        let res = post(&mut staff, &url, fields("市民交流センター(デモ)", "direct", "", "any")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let res = citizen.post(&format!("/facilities/rooms/{hall}/book"), &booking).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "anyone registered again: {}", res.body);
        t
    })
    .await;
}
