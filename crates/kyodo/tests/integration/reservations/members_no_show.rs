//! A group's members (構成員名簿): each refusal beside its box with nothing saved, the city group
//! decided by its members, the list replaced (never doubled) and shown to staff only. 不使用: a
//! 本予約 marked on or after its day, never a 仮予約, taken back, and counted in 利用状況.

use super::*;
use axum::http::StatusCode;

fn group<'a>(in_city: &'a str, other: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "group"),
        ("group_name", "鶴ヶ城合唱団"),
        ("representative", "会津 花子"),
        ("phone", "0242-39-1111"),
        ("address", "会津若松市東栄町3-46"),
        // Ignored for a group: its members decide.
        ("resident", "1"),
        ("members_resident", in_city),
        ("members_other", other),
    ]
}

#[tokio::test]
async fn a_group_lists_its_members_and_they_decide_whether_it_is_a_city_group() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let user = t.user_id(org, "hq@demo.kyodo.jp").await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let stored = |t: &TestApp| {
            let db = t.app.db.clone();
            async move {
                let resident: Option<i64> = sqlx::query_scalar(
                    "SELECT resident FROM rsv_registrations WHERE organization_id = $1 AND user_id = $2",
                )
                .bind(org)
                .bind(user)
                .fetch_optional(&db)
                .await
                .unwrap();
                let members: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT name, resident FROM rsv_group_members WHERE organization_id = $1 AND user_id = $2 ORDER BY position",
                )
                .bind(org)
                .bind(user)
                .fetch_all(&db)
                .await
                .unwrap();
                (resident, members)
            }
        };
        let long = "長".repeat(101);
        for (fields, field, message) in [
            (group("会津 花子", ""), "members_resident", "必要な人数に足りません"),
            (group("会津 花子\n鶴ヶ城 一郎", "会津 花子"), "members_other", "2回入力されています"),
            (group(&long, "郡山 次郎"), "members_resident", "100文字以内"),
        ] {
            let res = hq.post("/facilities/register", &fields).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
            assert!(
                res.body.contains(&format!("id=\"e-{field}\"")) && res.body.contains(message),
                "{message}: {}",
                res.body
            );
            assert_eq!(stored(&t).await, (None, vec![]), "nothing saved");
        }

        // Two of three in the city: a city group, the members in the group's order.
        let res = hq
            .post("/facilities/register", &group("会津 花子\r\n\n　鶴ヶ城 一郎", "郡山 次郎"))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let expected = vec![
            ("会津 花子".to_string(), 1),
            ("鶴ヶ城 一郎".to_string(), 1),
            ("郡山 次郎".to_string(), 0),
        ];
        assert_eq!(stored(&t).await, (Some(1), expected));
        let page = hq.get("/facilities/register").await;
        assert!(page.body.contains("会津 花子\n鶴ヶ城 一郎</textarea>"), "{}", page.body);

        // One of three: not more than half, so not a city group; the list replaced, not added to.
        let res = hq
            .post("/facilities/register", &group("会津 花子", "郡山 次郎\n福島 三郎"))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (resident, members) = stored(&t).await;
        assert_eq!((resident, members.len()), (Some(0), 3));

        // Staff see the members at the counter; the demo group's list is there too.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let users = staff.get("/staff/facilities/users").await;
        assert_eq!(users.status, StatusCode::OK);
        assert!(users.body.contains("福島 三郎") && users.body.contains("鶴ヶ城 次郎(架空)"), "{}", users.body);

        // Registering as an individual drops the list.
        let res = hq
            .post(
                "/facilities/register",
                &[("kind", "individual"), ("representative", "会津 花子"), ("phone", "0242-39-1111"), ("address", "会津若松市"), ("resident", "1")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(stored(&t).await, (Some(1), vec![]));
        t
    })
    .await;
}

#[tokio::test]
async fn a_booking_nobody_came_for_is_marked_and_counted() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (hall, _, _) = demo_rooms(&t).await;
        let d = iso(open_day(10));
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        let booking = [
            ("date", d.as_str()),
            ("slot", "am"),
            ("purpose", "自治会の総会"),
            ("attendees", "30"),
        ];
        let res = citizen
            .post(&format!("/facilities/rooms/{hall}/book"), &booking)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id = scalar(
            &t,
            "SELECT MAX(id) FROM rsv_bookings WHERE organization_id = $1",
            org,
        )
        .await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let mark = format!("/staff/facilities/bookings/{id}/no-show");
        let marked = |t: &TestApp| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, Option<String>>(
                    "SELECT no_show_at FROM rsv_bookings WHERE id = $1",
                )
                .bind(id)
                .fetch_one(&db)
                .await
                .unwrap()
                .is_some()
            }
        };
        // A 仮予約 cannot be marked; a 本予約 not before its day.
        let res = staff.post(&mark, &[("date", d.as_str())]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("本予約だけです"), "{}", res.body);
        let res = staff
            .post(
                &format!("/staff/facilities/bookings/{id}/confirm"),
                &[("date", d.as_str())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = staff.post(&mark, &[("date", d.as_str())]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("当日から記録できます"), "{}", res.body);
        assert!(!marked(&t).await);

        // The day comes (the booking moved to today, as the clock would).
        let today = iso(kyodo::reservations::today());
        sqlx::query("UPDATE rsv_bookings SET used_on = $1 WHERE id = $2")
            .bind(&today)
            .bind(id)
            .execute(&t.app.db)
            .await
            .unwrap();
        let day = staff.get(&format!("/staff/facilities?date={today}")).await;
        assert!(
            day.body.contains(&format!("action=\"{mark}\"")) && day.body.contains("不使用にする"),
            "{}",
            day.body
        );
        let res = staff.post(&mark, &[("date", today.as_str())]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(marked(&t).await);
        // A second click changes nothing.
        assert_eq!(
            staff.post(&mark, &[("date", today.as_str())]).await.status,
            StatusCode::SEE_OTHER
        );
        let day = staff.get(&format!("/staff/facilities?date={today}")).await;
        assert!(day.body.contains("不使用を取り消す"), "{}", day.body);

        // 利用状況 counts it among the slots let, apart; the counter's list counts it per user.
        let facility = kyodo::reservations::facilities::get(
            &t.app.db,
            org,
            scalar(&t, "SELECT facility_id FROM rsv_rooms WHERE id = $1", hall).await,
        )
        .await
        .unwrap()
        .unwrap();
        let fy = kyodo_jp::FiscalYear::containing(kyodo::reservations::today(), 4).0;
        let months = kyodo::reservations::utilisation::of_facility(&t.app.db, org, &facility, fy)
            .await
            .unwrap();
        let month = months
            .iter()
            .find(|m| today.starts_with(&m.first.format("%Y-%m").to_string()))
            .unwrap();
        assert_eq!((month.used, month.no_shows), (1, 1));
        let entries =
            kyodo::reservations::registrations::for_counter(&t.app.db, org, i64::from(fy))
                .await
                .unwrap();
        let citizen_id = t.user_id(org, "citizen@demo.kyodo.jp").await;
        assert_eq!(
            entries
                .iter()
                .find(|e| e.registration.user_id == citizen_id)
                .unwrap()
                .no_shows,
            1
        );

        // Taken back.
        let res = staff
            .post(&mark, &[("date", today.as_str()), ("undo", "1")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(!marked(&t).await);
        t
    })
    .await;
}
