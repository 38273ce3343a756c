//! A room added with its fee table as typed: a table with a gap is refused with each line's
//! problem and nothing saved; a good one makes a room whose month can be booked.

use super::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_room_and_its_fee_table_are_checked_line_by_line() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let facility: i64 = scalar(&t, "SELECT id FROM rsv_facilities WHERE organization_id = $1 AND manager_kind = 'direct'", org).await;
        let rooms = |t: &TestApp| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM rsv_rooms WHERE organization_id = $1")
                    .bind(org)
                    .fetch_one(&db)
                    .await
                    .unwrap()
            }
        };
        let before = rooms(&t).await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(staff.get("/staff/facilities/rooms").await.status, StatusCode::OK);
        let f = facility.to_string();
        let gap = "am,午前,9:00,12:00,1200,,3600\npm,午後,13:00,17:00,1600,3200,4800\nnight,夜間,21:00,18:00,1,2,3\n";
        let res = staff
            .post("/staff/facilities/rooms", &[("facility", &f), ("name", "会議室B"), ("capacity", "２４"), ("slots", gap)])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("1: 7つの欄") && res.body.contains("3: 終了が開始より前です"), "{}", res.body);
        assert_eq!(rooms(&t).await, before, "nothing saved");
        let good = "am\t午前\t９：００\t１２：００\t1,200円\t2,400\t3,600\npm\t午後\t13:00\t17:00\t1,600\t3,200\t4,800\n";
        let res = staff
            .post("/staff/facilities/rooms", &[("facility", &f), ("name", "会議室B"), ("capacity", "２４"), ("slots", good)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(rooms(&t).await, before + 1);
        let page = t.client().get(res.location()).await;
        assert!(page.body.contains("会議室B") && page.body.contains("09:00〜12:00"), "{}", page.body);
        let res = staff
            .post("/staff/facilities/rooms", &[("facility", &f), ("name", "会議室B"), ("capacity", "10"), ("slots", good)])
            .await;
        assert!(res.status == StatusCode::UNPROCESSABLE_ENTITY && res.body.contains("同じ名前の部屋"));
        t
    })
    .await;
}
