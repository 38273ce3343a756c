//! 抽選 on both databases: opening one (bad periods refused beside their fields), the month taken
//! out of first-come booking, applications with their checks, the draw only after the period,
//! once, its wins booked as 仮予約, and the published result reproduced with `kyodo` from its
//! seed and inputs — names never published.

use super::*;
use axum::http::StatusCode;
use chrono::Months;

#[tokio::test]
async fn a_lottery_is_drawn_once_booked_and_reproducible_by_anyone() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (_, washitsu, _) = demo_rooms(&t).await;
        let today = kyodo::reservations::today();
        let first = today.checked_add_months(Months::new(2)).unwrap().with_day(1).unwrap();
        let month = first.format("%Y-%m").to_string();
        let room = washitsu.to_string();
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        for (fields, message) in [
            ([("month", "2027/13"), ("apply_from", "2026-01-01"), ("apply_until", "2026-01-02")], "2027-03 の形"),
            ([("month", month.as_str()), ("apply_from", "2026-01-05"), ("apply_until", "2026-01-02")], "開始日より前"),
        ] {
            let mut f = vec![("room", room.as_str())];
            f.extend(fields);
            let res = staff.post("/staff/facilities/lotteries", &f).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
            assert!(res.body.contains(message), "{message}: {}", res.body);
        }
        let until = iso(today + chrono::Duration::days(5));
        let res = staff
            .post(
                "/staff/facilities/lotteries",
                &[("room", &room), ("month", &month), ("apply_from", &iso(today)), ("apply_until", &until)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id: i64 = res.location().rsplit('/').next().unwrap().parse().unwrap();
        let seed: String = sqlx::query_scalar("SELECT seed FROM rsv_lotteries WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let mut anon = t.client();
        let page = anon.get(&format!("/facilities/lotteries/{id}")).await;
        assert!(page.body.contains(&kyodo::reservations::draw::seed_digest(&seed)));
        assert!(!page.body.contains(&seed), "the seed stays secret until the draw");
        let api = format!("/api/v1/facilities/lotteries/{id}");
        let before = anon.get(&api).await;
        assert!(before.body.contains(&kyodo::reservations::draw::seed_digest(&seed)) && !before.body.contains(&seed), "{}", before.body);

        // The month is out of first-come booking.
        let grid = anon.get(&format!("/facilities/rooms/{washitsu}?month={month}")).await;
        assert!(grid.body.contains("抽選受付中") && !grid.body.contains("/book?date="));
        let mut day = first;
        while day.weekday() == chrono::Weekday::Mon {
            day = day.succ_opt().unwrap();
        }
        let d1 = iso(day);
        let d2 = iso(day.succ_opt().unwrap());
        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        let res = citizen
            .post(
                &format!("/facilities/rooms/{washitsu}/book"),
                &[("date", &d1), ("slot", "am"), ("purpose", "会議"), ("attendees", "5")],
            )
            .await;
        assert!(res.status == StatusCode::UNPROCESSABLE_ENTITY && res.body.contains("抽選で受け付けます"), "{}", res.body);

        // Applications: checked beside each wish, then accepted.
        let apply = format!("/facilities/lotteries/{id}/apply");
        let outside = iso(first - chrono::Duration::days(1));
        let res = citizen
            .post(&apply, &[("wish1_date", &outside), ("wish1_slot", "am"), ("wish2_date", &d1), ("wish2_slot", "am"), ("wish3_date", &d1), ("wish3_slot", "am")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("対象月の日付") && res.body.contains("二度選んでいます"), "{}", res.body);
        let res = citizen
            .submit(&apply, &[("wish1_date", &d1), ("wish1_slot", "am"), ("wish2_date", &d2), ("wish2_slot", "pm")])
            .await;
        assert!(res.body.contains("抽選の申込を受け付けました") && res.body.contains("応募番号: 1"), "{}", res.body);
        for (email, wish) in [("hq@demo.kyodo.jp", "am"), ("manager@demo.kyodo.jp", "am"), ("committee@demo.kyodo.jp", "pm")] {
            register_user(&t, email, true).await;
            let mut c = t.signed_in(email).await;
            let res = c.post(&apply, &[("wish1_date", &d1), ("wish1_slot", wish), ("wish2_date", &d2), ("wish2_slot", "pm")]).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }

        // Not before the period is over; then once.
        let draw = format!("/staff/facilities/lotteries/{id}/draw");
        let res = staff.post(&draw, &[]).await;
        assert!(res.status == StatusCode::UNPROCESSABLE_ENTITY && res.body.contains("申込期間が終わっていない"));
        sqlx::query("UPDATE rsv_lotteries SET apply_until = $1 WHERE organization_id = $2 AND id = $3")
            .bind(iso(today - chrono::Duration::days(1)))
            .bind(org)
            .bind(id)
            .execute(&t.app.db)
            .await
            .unwrap();
        let res = staff.submit(&draw, &[]).await;
        assert!(res.body.contains("当選 3件を仮予約にしました"), "{}", res.body);
        let res = staff.post(&draw, &[]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "drawn once");
        let booked: Vec<(String, String, i64, String)> = sqlx::query_as(
            "SELECT used_on, slot_code, user_id, status FROM rsv_bookings WHERE organization_id = $1 AND room_id = $2 ORDER BY used_on, slot_code",
        )
        .bind(org)
        .bind(washitsu)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        assert_eq!(booked.len(), 3, "{booked:?}");
        assert!(booked.iter().all(|b| b.3 == "provisional"));
        let users: std::collections::HashSet<i64> = booked.iter().map(|b| b.2).collect();
        assert_eq!(users.len(), 3, "one win per applicant");
        let mails = t.outbox(org).await;
        assert_eq!(mails.iter().filter(|m| m.subject.contains("抽選の結果")).count(), 3);

        // Published: the seed and the wins by entry number; the inputs reproduce the result.
        let page = anon.get(&format!("/facilities/lotteries/{id}")).await;
        assert!(page.body.contains(&seed));
        let after: serde_json::Value = serde_json::from_str(&anon.get(&api).await.body).unwrap();
        assert_eq!(after["seed"], seed.as_str());
        assert_eq!(after["wins"].as_array().map(Vec::len), Some(3), "{after}");
        for private in ["デモ 市民", "citizen@demo.kyodo.jp", "登録 太郎"] {
            assert!(!page.body.contains(private), "{private}");
        }
        let csv = anon.get(&format!("/facilities/lotteries/{id}/inputs.csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        let path = t.data_dir.join("inputs.csv");
        std::fs::write(&path, &csv.body).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
            .args(["reservations", "draw", "--seed", &seed, "--inputs"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let replayed: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().skip(1).map(String::from).collect();
        let won: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT entry_no, rank, used_on, slot_code FROM rsv_lottery_wishes WHERE organization_id = $1 AND lottery_id = $2 AND won = 1",
        )
        .bind(org)
        .bind(id)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        let mut won: Vec<String> = won.into_iter().map(|(e, r, d, s)| format!("{e},{r},{d},{s}")).collect();
        let mut replayed_sorted = replayed.clone();
        won.sort();
        replayed_sorted.sort();
        assert_eq!(replayed_sorted, won, "anyone with kyodo gets the same result");
        t
    })
    .await;
}
