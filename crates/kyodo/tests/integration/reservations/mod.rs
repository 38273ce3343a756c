//! 施設予約 on both databases: the booking rules and their messages, the counter's steps, the
//! automatic release of 仮予約, 減免 arithmetic, and no double booking under concurrent requests.

mod booking;
mod cars;
mod concurrency;
mod desk_cases;
mod facility_edit;
mod facility_list;
mod lottery;
mod management;
mod manager_accounts;
mod members_no_show;
mod reminders;
mod rooms;
mod same_day;

use crate::support::*;
use chrono::{Datelike, NaiveDate};

/// The demo rooms: (大会議室, 和室, テニスコートA).
pub async fn demo_rooms(t: &TestApp) -> (i64, i64, i64) {
    let org = t.demo_org().await;
    let id = |name: &'static str| {
        let db = t.app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT id FROM rsv_rooms WHERE organization_id = $1 AND name = $2",
            )
            .bind(org)
            .bind(name)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    (
        id("大会議室").await,
        id("和室").await,
        id("テニスコートA").await,
    )
}

/// A day every demo room can be booked on: at least `ahead` days away, not a Monday (the civic
/// hall is closed) nor a Tuesday (the sports park is), outside the demo repairs (the 10th–12th)
/// and within the window.
pub fn open_day(ahead: i64) -> NaiveDate {
    use chrono::Weekday::{Mon, Tue};
    let mut d = kyodo::reservations::today() + chrono::Duration::days(ahead);
    while matches!(d.weekday(), Mon | Tue) || (10..=12).contains(&d.day()) {
        d = d.succ_opt().unwrap();
    }
    d
}

pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Makes `email` a registered (本登録) facility user through the pages: the user registers
/// online, a staff member completes it at the counter.
pub async fn register_user(t: &TestApp, email: &str, resident: bool) {
    let org = t.demo_org().await;
    let mut c = t.signed_in(email).await;
    let res = c
        .post(
            "/facilities/register",
            &[
                ("kind", "individual"),
                ("representative", "登録 太郎"),
                ("phone", "0242-39-1111"),
                ("address", "会津若松市東栄町3-46"),
                ("resident", if resident { "1" } else { "" }),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        res.body
    );
    let user = t.user_id(org, email).await;
    let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
    let res = staff
        .post(&format!("/staff/facilities/users/{user}/activate"), &[])
        .await;
    assert_eq!(
        res.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        res.body
    );
}
