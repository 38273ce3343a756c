//! Two people never hold one slot: many users on two Kyodo instances (own pools and caches, one
//! database) book the same few slots at once, then cancel and book again while others keep
//! trying. Exactly one holder per slot, every loser told the slot is taken, no other error.

use super::*;
use kyodo::error::AppError;
use kyodo::reservations::booking::{BookingForm, book};
use kyodo::reservations::lifecycle::cancel;

/// Users with an active 利用者登録, made directly (the pages are tested elsewhere).
async fn registered_users(t: &TestApp, org: i64, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id = kyodo::db::new_id();
        sqlx::query(
            "INSERT INTO users (organization_id, id, email, display_name, kind, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, 'citizen', 'x', '2026-01-01T00:00:00Z')",
        )
        .bind(org)
        .bind(id)
        .bind(format!("racer{i}@example.jp"))
        .bind(format!("racer {i}"))
        .execute(&t.app.db)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO rsv_registrations (organization_id, user_id, kind, representative, phone, address, resident, status, registered_at) \
             VALUES ($1, $2, 'individual', 'r', '0', 'a', 1, 'active', '2026-01-01T00:00:00Z')",
        )
        .bind(org)
        .bind(id)
        .execute(&t.app.db)
        .await
        .unwrap();
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn concurrent_bookings_on_two_instances_never_double_book() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (_, _, court) = demo_rooms(&t).await;
        let (second, _) = t.instance_with(|_| {}).await;
        let users = registered_users(&t, org, 48).await;
        let day = open_day(9);
        let slots = ["h09", "h11", "h13", "h15"];
        let today = kyodo::reservations::today();

        // Round 1: 48 users, 12 on each slot, half on each instance.
        let mut tasks = Vec::new();
        for (i, user) in users.iter().enumerate() {
            let app = if i % 2 == 0 { t.app.clone() } else { second.clone() };
            let form = BookingForm {
                date: iso(day),
                slot: slots[i % 4].into(),
                purpose: "練習".into(),
                attendees: "4".into(),
                commercial: String::new(),
            };
            let user = *user;
            tasks.push(tokio::spawn(async move {
                (user, book(&app, org, user, court, &form, today).await)
            }));
        }
        let mut winners = Vec::new();
        let mut taken = 0;
        for task in tasks {
            match task.await.unwrap() {
                (user, Ok(b)) => winners.push((user, b.id)),
                (_, Err(AppError::Invalid(e))) if e.get("slot") == Some("rsv.taken") => taken += 1,
                (_, Err(e)) => panic!("a loser must be told the slot is taken, got {e:?}"),
            }
        }
        assert_eq!((winners.len(), taken), (4, 44));

        // Round 2: the winners cancel while everyone else tries again.
        let mut tasks = Vec::new();
        for (user, id) in &winners {
            let app = second.clone();
            let (user, id) = (*user, *id);
            tasks.push(tokio::spawn(async move {
                cancel(&app, org, user, id, false).await.map(|_| None)
            }));
        }
        for (i, user) in users.iter().enumerate() {
            if winners.iter().any(|(w, _)| w == user) {
                continue;
            }
            let app = if i % 2 == 0 { t.app.clone() } else { second.clone() };
            let form = BookingForm {
                date: iso(day),
                slot: slots[i % 4].into(),
                purpose: "練習".into(),
                attendees: "4".into(),
                commercial: String::new(),
            };
            let user = *user;
            tasks.push(tokio::spawn(async move {
                book(&app, org, user, court, &form, today).await.map(Some)
            }));
        }
        let mut rebooked = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(Some(_)) => rebooked += 1,
                Ok(None) => {}
                Err(AppError::Invalid(e)) if e.get("slot") == Some("rsv.taken") => {}
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        let holders: Vec<(String, i64)> = sqlx::query_as(
            "SELECT slot_code, COUNT(*) FROM rsv_bookings WHERE organization_id = $1 AND room_id = $2 AND held = 1 GROUP BY slot_code ORDER BY slot_code",
        )
        .bind(org)
        .bind(court)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        assert!(holders.iter().all(|(_, n)| *n == 1), "{holders:?}");
        assert_eq!(holders.len(), rebooked, "{holders:?}");
        let numbers: i64 = scalar(
            &t,
            "SELECT COUNT(DISTINCT number) FROM rsv_bookings WHERE organization_id = $1",
            org,
        )
        .await;
        assert_eq!(numbers, 4 + rebooked as i64, "every booking its own number");
        second.db.close().await;
        t
    })
    .await;
}
