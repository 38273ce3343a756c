//! 公用車 on both databases: hourly bookings that never overlap (also when two instances race),
//! keys out and in with the odometer (a reading going backwards refused), cancellation freeing the
//! hours, and the month's use per car.

use super::*;
use axum::http::StatusCode;
use kyodo::reservations::cars::{CarBookingForm, book};

#[tokio::test]
async fn official_cars_are_booked_by_the_hour_without_overlap() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let car: i64 = sqlx::query_scalar("SELECT id FROM car_vehicles WHERE organization_id = $1 AND name = '公用車1号(デモ)'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let car_s = car.to_string();
        let day = iso(open_day(2));
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(staff.get(&format!("/staff/cars?date={day}")).await.status, StatusCode::OK);
        let form = |from: &'static str, to: &'static str| {
            vec![("car", car_s.clone()), ("date", day.clone()), ("from_hour", from.into()), ("to_hour", to.into()), ("purpose", "現地調査".into()), ("destination", "北会津".into())]
                .into_iter()
                .map(|(k, v): (&str, String)| (k.to_string(), v))
                .collect::<Vec<_>>()
        };
        let res = staff.post_owned("/staff/cars/bookings", &form("9", "25")).await;
        assert!(res.status == StatusCode::UNPROCESSABLE_ENTITY && res.body.contains("7から22までの数字"), "{}", res.body);
        let res = staff.post_owned("/staff/cars/bookings", &form("11", "9")).await;
        assert!(res.body.contains("開始時刻より後"));
        assert_eq!(staff.post_owned("/staff/cars/bookings", &form("９", "11")).await.status, StatusCode::SEE_OTHER);
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq.post_owned("/staff/cars/bookings", &form("10", "12")).await;
        assert!(res.status == StatusCode::UNPROCESSABLE_ENTITY && res.body.contains("重なっています"), "{}", res.body);
        assert_eq!(hq.post_owned("/staff/cars/bookings", &form("11", "12")).await.status, StatusCode::SEE_OTHER);

        // Keys out and in with the odometer.
        let first: i64 = sqlx::query_scalar("SELECT id FROM car_bookings WHERE organization_id = $1 AND from_hour = 9")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let step = |s: &str| format!("/staff/cars/bookings/{first}/{s}");
        assert_eq!(staff.post(&step("key-out"), &[("odometer", "12,000"), ("date", &day)]).await.status, StatusCode::SEE_OTHER);
        let res = staff.post(&step("key-in"), &[("odometer", "11990"), ("date", &day)]).await;
        assert!(res.status == StatusCode::UNPROCESSABLE_ENTITY && res.body.contains("貸出時以上"));
        assert_eq!(staff.post(&step("key-in"), &[("odometer", "１２０４２"), ("date", &day)]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(staff.post(&step("cancel"), &[("date", &day)]).await.status, StatusCode::UNPROCESSABLE_ENTITY, "returned: no cancelling");
        let d = open_day(2);
        let uses = kyodo::reservations::cars::month_use(&t.app.db, org, d.with_day(1).unwrap()).await.unwrap();
        let one = uses.iter().find(|u| u.0 == "公用車1号(デモ)").unwrap();
        assert_eq!((one.1, one.3), (3, 42), "hours booked and kilometres");

        // Cancelling frees the hours; two instances racing for overlapping hours never share one.
        let second: i64 = sqlx::query_scalar("SELECT id FROM car_bookings WHERE organization_id = $1 AND from_hour = 11")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(hq.post(&format!("/staff/cars/bookings/{second}/cancel"), &[("date", &day)]).await.status, StatusCode::SEE_OTHER);
        let (other, _) = t.instance_with(|_| {}).await;
        let user = t.user_id(org, "staff@demo.kyodo.jp").await;
        let mut tasks = Vec::new();
        for i in 0..12i64 {
            let app = if i % 2 == 0 { t.app.clone() } else { other.clone() };
            let f = CarBookingForm {
                car: car_s.clone(),
                date: day.clone(),
                from_hour: (11 + i % 4).to_string(),
                to_hour: (13 + i % 4).to_string(),
                purpose: "競争".into(),
                destination: String::new(),
            };
            tasks.push(tokio::spawn(async move { book(&app, org, user, &f, kyodo::reservations::today()).await }));
        }
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => won += 1,
                Err(kyodo::error::AppError::Invalid(e)) if e.get("from_hour") == Some("car.taken") => {}
                Err(e) => panic!("{e:?}"),
            }
        }
        let (hours, bookings): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM car_booking_hours WHERE organization_id = $1 AND used_on = $2 AND hour >= 11), \
             (SELECT CAST(COALESCE(SUM(to_hour - from_hour), 0) AS BIGINT) FROM car_bookings WHERE organization_id = $1 AND used_on = $2 AND status = 'booked' AND from_hour >= 11)",
        )
        .bind(org)
        .bind(&day)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert!((1..=2).contains(&won), "{won}");
        assert_eq!(hours, bookings, "every booked hour held once");
        other.db.close().await;
        t
    })
    .await;
}
