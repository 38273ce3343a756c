//! Demonstration facilities (marked as such): a civic hall run by the city and a gymnasium run by a
//! 指定管理者, with rooms, slots and fees, a closure and the demo citizen's 本登録, two official cars, so the
//! availability pages are alive after the quick start.

use super::facilities::{NewFacility, insert_closure, insert_facility, insert_room};
use crate::app::App;
use crate::db::now;

const HALL_SLOTS: [(&str, &str, &str, &str, [i64; 3]); 3] = [
    ("am", "午前", "09:00", "12:00", [2_100, 4_200, 6_300]),
    ("pm", "午後", "13:00", "17:00", [2_800, 5_600, 8_400]),
    ("night", "夜間", "18:00", "21:00", [2_100, 4_200, 6_300]),
];

const ROOM_SLOTS: [(&str, &str, &str, &str, [i64; 3]); 3] = [
    ("am", "午前", "09:00", "12:00", [600, 1_200, 1_800]),
    ("pm", "午後", "13:00", "17:00", [800, 1_600, 2_400]),
    ("night", "夜間", "18:00", "21:00", [600, 1_200, 1_800]),
];

const COURT_SLOTS: [(&str, &str, &str, &str, [i64; 3]); 4] = [
    ("h09", "9時", "09:00", "11:00", [1_000, 2_000, 3_000]),
    ("h11", "11時", "11:00", "13:00", [1_000, 2_000, 3_000]),
    ("h13", "13時", "13:00", "15:00", [1_000, 2_000, 3_000]),
    ("h15", "15時", "15:00", "17:00", [1_000, 2_000, 3_000]),
];

/// Adds the demonstration facilities once.
pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM rsv_facilities WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&app.db)
            .await?;
    if existing > 0 {
        return Ok(());
    }
    let mut tx = app.begin_write().await?;
    let hall = insert_facility(
        &mut tx,
        org,
        &NewFacility {
            name: "市民交流センター(デモ)".into(),
            kana: "しみんこうりゅうせんたー".into(),
            address: "福島県会津若松市東栄町1番1号(架空)".into(),
            hours: "9:00〜21:00".into(),
            closed_weekdays: "1".into(),
            contact: "0242-00-0000".into(),
            manager_kind: "direct".into(),
            manager_name: String::new(),
        },
        true,
    )
    .await?;
    let big = insert_room(
        &mut tx,
        org,
        hall,
        ("大会議室", 60, Some(120.0), "プロジェクター、マイク", 1),
        &HALL_SLOTS,
    )
    .await?;
    insert_room(
        &mut tx,
        org,
        hall,
        ("和室", 20, Some(40.0), "座卓", 2),
        &ROOM_SLOTS,
    )
    .await?;
    let gym = insert_facility(
        &mut tx,
        org,
        &NewFacility {
            name: "総合運動公園(デモ)".into(),
            kana: "そうごううんどうこうえん".into(),
            address: "福島県会津若松市門田町(架空)".into(),
            hours: "9:00〜17:00".into(),
            closed_weekdays: "2".into(),
            contact: "0242-00-0001".into(),
            manager_kind: "designated".into(),
            manager_name: "会津スポーツ振興共同事業体(デモ)".into(),
        },
        true,
    )
    .await?;
    insert_room(
        &mut tx,
        org,
        gym,
        ("テニスコートA", 8, None, "ネット", 1),
        &COURT_SLOTS,
    )
    .await?;
    // Repairs in the month after next, so the grid shows a 休館 that is not a weekday.
    let today = super::today();
    let repair = today
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(today)
        .format("%Y-%m-10")
        .to_string();
    let repair_end = repair.replace("-10", "-12");
    insert_closure(
        &mut tx,
        org,
        hall,
        big,
        (&repair, &repair_end),
        "空調設備の点検(デモ)",
    )
    .await?;
    let citizen: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE organization_id = $1 AND email = 'citizen@demo.kyodo.jp'",
    )
    .bind(org)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(user) = citizen {
        sqlx::query(
            "INSERT INTO rsv_registrations (organization_id, user_id, kind, group_name, representative, phone, address, resident, status, registered_at, activated_at) \
             VALUES ($1, $2, 'group', 'デモ市民の会', 'デモ 市民', '0242-00-0002', '会津若松市(架空)', 1, 'active', $3, $3)",
        )
        .bind(org)
        .bind(user)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let listed = ["デモ 市民", "会津 花子(架空)", "鶴ヶ城 次郎(架空)"];
        let members: Vec<super::members::Member> = listed
            .iter()
            .enumerate()
            .map(|(i, name)| super::members::Member {
                name: (*name).to_string(),
                resident: i64::from(i < 2),
            })
            .collect();
        super::members::replace(&mut tx, org, user, &members).await?;
    }
    // 公用車: two shared cars.
    super::cars::add_car(
        &mut tx,
        org,
        "公用車1号(デモ)",
        "会津 500 あ 00-01",
        4,
        true,
    )
    .await?;
    super::cars::add_car(
        &mut tx,
        org,
        "公用車2号(デモ)",
        "会津 480 い 00-02",
        7,
        true,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
