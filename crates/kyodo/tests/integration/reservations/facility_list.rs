//! 公共施設一覧 in and out: a city's messy file (title row, Shift_JIS, full-width digits, opening
//! days as words) checked whole with problems by line and nothing half-imported; a re-import
//! updates instead of duplicating; the export is read back by the import.

use super::*;
use axum::http::StatusCode;

fn city_file(bad: bool) -> Vec<u8> {
    let mut t = String::from("令和8年4月1日現在 公共施設一覧,,,,,,\n");
    t.push_str("都道府県コード又は市区町村コード,ＮＯ,名称,名称_カナ,住所,電話番号,利用可能曜日,開始時間,終了時間,団体名\n");
    t.push_str("072028,１,北会津公民館,キタアイヅコウミンカン,会津若松市北会津町１－２,０２４２－５８－００００,火～日,９：００,２１：００,\n");
    t.push_str(&format!(
        "072028,２,{},アイヅアリーナ,{},0242-00-1111,月火水木金土,8:30,17:00,会津スポーツ振興会\n",
        if bad { "" } else { "会津アリーナ" },
        "会津若松市門田町"
    ));
    t.push_str("072028,３,河東体育館,カワヒガシタイイクカン,,0242-75-0000,平日のみ,9:00,17:00,\n");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&t);
    sjis.into_owned()
}

async fn facilities(t: &TestApp) -> i64 {
    let org = t.demo_org().await;
    scalar(
        t,
        "SELECT COUNT(*) FROM rsv_facilities WHERE organization_id = $1",
        org,
    )
    .await
}

#[tokio::test]
async fn a_city_list_is_checked_whole_imported_and_exported() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let before = facilities(&t).await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(staff.get("/staff/facilities/import").await.status, StatusCode::OK);
        let res = staff
            .post_multipart("/staff/facilities/import", &[], ("file", "shisetsu.csv", &city_file(true)))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for (line, message) in [(4, "名称がありません"), (5, "住所がありません")] {
            assert!(
                res.body.contains(&format!("<td class=\"num\">{line}</td><td>{message}")),
                "line {line}: {}",
                res.body
            );
        }
        assert_eq!(facilities(&t).await, before, "nothing half-imported");

        // Fixed: the name given, the third row's address and days too.
        let fixed = encoding_rs::SHIFT_JIS
            .decode(&city_file(false))
            .0
            .replace(",,0242-75-0000,平日のみ", ",会津若松市河東町,0242-75-0000,月～金");
        let (fixed, _, _) = encoding_rs::SHIFT_JIS.encode(&fixed);
        let res = staff
            .post_multipart("/staff/facilities/import", &[], ("file", "shisetsu.csv", &fixed))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(facilities(&t).await, before + 3);
        let res = staff
            .post_multipart("/staff/facilities/import", &[], ("file", "shisetsu.csv", &fixed))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(facilities(&t).await, before + 3, "updated, not duplicated");
        let org = t.demo_org().await;
        let (hours, closed, contact, manager): (String, String, String, String) = sqlx::query_as(
            "SELECT hours, closed_weekdays, contact, manager_kind FROM rsv_facilities WHERE organization_id = $1 AND name = '北会津公民館'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!((hours.as_str(), closed.as_str(), contact.as_str(), manager.as_str()), ("9:00〜21:00", "1", "0242-58-0000", "direct"));

        // The export in the national layout, read back by the import.
        let mut anon = t.client();
        let csv = anon.get("/facilities/public-facilities.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains("都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称"));
        assert!(csv.body.contains("北会津公民館") && csv.body.contains("火水木金土日,9:00,21:00"), "{}", csv.body);
        let res = staff
            .post_multipart("/staff/facilities/import", &[], ("file", "export.csv", csv.body.as_bytes()))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(facilities(&t).await, before + 3);
        t
    })
    .await;
}
