//! 意見公募 on both databases: opening a consultation (period rules), a guest's opinion stored
//! and confirmed by mail, duplicates and closed periods refused, the department's grouping and
//! answers, the HQ's approval, and the published result without personal data; 審議会等: the
//! register, appointments and the participation targets.

mod advisers;
mod consultations;
mod councils;
mod documents;
mod follow_up;
mod observers;
mod volume;

use crate::support::*;

/// Opens a consultation through the staff page; its id.
pub async fn open_consultation(t: &TestApp, title: &str, starts: &str, ends: &str) -> i64 {
    let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
    let res = staff
        .post(
            "/staff/consultations",
            &[
                ("title", title),
                ("starts_on", starts),
                ("ends_on", ends),
                ("elig_resident", "1"),
                ("elig_worker", "1"),
                (
                    "draft",
                    "# 第1条 目的\n市は協働を進める。\n# 第2条 公表\n市は毎年公表する。",
                ),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        res.body
    );
    res.location().rsplit('/').next().unwrap().parse().unwrap()
}

pub fn day(offset: i64) -> String {
    (kyodo::participation::today() + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}
