//! Bookings on the day of use (`reservations.last_days_before = 0`): a slot that has begun is
//! refused beside its field with nothing saved. (The deadline of a same-day 仮予約 — the start of
//! its slot, never a time already past — is a unit test of `Rules::deadline`.)

use super::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_slot_of_today_that_has_begun_is_refused() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (hall, _, _) = demo_rooms(&t).await;
        for sql in [
            "INSERT INTO org_settings (organization_id, key, value) VALUES ($1, 'reservations.last_days_before', '0')",
            // Begins at midnight: begun whenever the test runs.
            "INSERT INTO rsv_slots (organization_id, room_id, code, label, starts_at, ends_at, fee_resident, fee_nonresident, fee_commercial) \
             VALUES ($1, $2, 'early', '早朝', '00:00', '00:50', 100, 200, 300)",
        ] {
            sqlx::query(sql)
                .bind(org)
                .bind(hall)
                .execute(&t.app.db)
                .await
                .unwrap();
        }
        let early = "SELECT COUNT(*) FROM rsv_bookings WHERE organization_id = $1 AND slot_code = 'early'";
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        let url = format!("/facilities/rooms/{hall}/book");
        // Today: refused, nothing saved. The same slot on a later day: booked.
        let today = iso(kyodo::reservations::today());
        let later = iso(open_day(3));
        for (date, status, held) in [
            (today, StatusCode::UNPROCESSABLE_ENTITY, 0),
            (later, StatusCode::SEE_OTHER, 1),
        ] {
            let form = [
                ("date", date.as_str()),
                ("slot", "early"),
                ("purpose", "早朝練習"),
                ("attendees", "3"),
            ];
            let res = citizen.post(&url, &form).await;
            assert_eq!(res.status, status, "{date}: {}", res.body);
            assert_eq!(
                res.body.contains("この枠はすでに始まっています"),
                held == 0,
                "{}",
                res.body
            );
            assert_eq!(scalar(&t, early, org).await, held);
        }
        t
    })
    .await;
}
