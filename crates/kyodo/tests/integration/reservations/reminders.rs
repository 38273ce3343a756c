//! Reminders by mail: before a 仮予約's deadline and the day before a 本予約, each sent once however
//! often the timer runs (on however many instances), never too early.

use super::*;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, TimeZone, Utc};

#[tokio::test]
async fn reminders_are_mailed_once_before_a_deadline_and_the_day_before_use() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (hall, _, _) = demo_rooms(&t).await;
        let day = open_day(10);
        let d = iso(day);
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        let fields = [("date", d.as_str()), ("slot", "am"), ("purpose", "自治会の総会"), ("attendees", "30")];
        let res = citizen.post(&format!("/facilities/rooms/{hall}/book"), &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (id, number, deadline): (i64, String, String) = sqlx::query_as(
            "SELECT id, number, deadline FROM rsv_bookings WHERE organization_id = $1 AND status = 'provisional' AND room_id = $2 AND used_on = $3",
        )
        .bind(org)
        .bind(hall)
        .bind(&d)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let deadline: DateTime<Utc> = DateTime::parse_from_rfc3339(&deadline).unwrap().with_timezone(&Utc);
        let mails_about = |subject: &'static str| {
            let (t, number) = (&t, number.clone());
            async move {
                t.outbox(org)
                    .await
                    .iter()
                    .filter(|m| m.to == "citizen@demo.kyodo.jp" && m.subject.contains(subject) && m.body.contains(&number))
                    .count()
            }
        };
        let send = |clock| kyodo::reservations::reminders::send_due(&t.app, org, clock);

        // Two days before the deadline: not yet. Twelve hours before: once, however often the timer runs.
        send(deadline - Duration::days(2)).await.unwrap();
        assert_eq!(mails_about("手続き期限").await, 0, "not yet");
        send(deadline - Duration::hours(12)).await.unwrap();
        send(deadline - Duration::hours(11)).await.unwrap();
        assert_eq!(mails_about("手続き期限").await, 1, "once");

        // 本予約 at the counter; the day before use (09:00 in Japan) the user is reminded, once.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let res = staff.post(&format!("/staff/facilities/bookings/{id}/confirm"), &[("date", &d)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let eve = day.pred_opt().unwrap().and_hms_opt(9, 0, 0).unwrap();
        let eve = kyodo::i18n::jst().from_local_datetime(&eve).unwrap().with_timezone(&Utc);
        send(eve - Duration::days(1)).await.unwrap();
        assert_eq!(mails_about("明日のご利用").await, 0, "two days before: not yet");
        send(eve).await.unwrap();
        send(eve + Duration::hours(1)).await.unwrap();
        assert_eq!(mails_about("明日のご利用").await, 1, "once");
        assert_eq!(mails_about("手続き期限").await, 1, "a 本予約 has no deadline reminder again");
        t
    })
    .await;
}
