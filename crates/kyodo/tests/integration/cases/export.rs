//! The work list's CSV is written in batches (keyset: due, received, id): an export longer than
//! a batch has every row of the list exactly once, in the list's order, and the list's count.

use super::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_work_list_csv_has_every_row_once_across_batches() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let (seed, _, _) = send(&t, &mut guest, &v, v.fields("要望", "その他", "見本", "一件目")).await;
        // 1,100 more like it (more than two batches), with received times in the same second.
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1100) \
             INSERT INTO cases (organization_id, id, type_id, fiscal_year, seq, number, submitter_id, guest_name, \
             email, access_digest, subject, answers, category, address, latitude, longitude, department_id, status, \
             received_at, due_on, publish_consent, is_demo) \
             SELECT organization_id, id + i, type_id, fiscal_year, seq + 100000 + i, number || '-' || CAST(i AS TEXT), \
             submitter_id, guest_name, email, access_digest, subject, answers, category, address, latitude, longitude, \
             department_id, status, received_at, due_on, publish_consent, is_demo FROM cases, n \
             WHERE organization_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(seed)
        .execute(&t.app.db)
        .await
        .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let list = hq.get("/staff/cases?department=all").await.body;
        let from = list.find("id=\"cases-found\">").unwrap();
        let found: usize = list[from..]
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit())
            .collect::<String>()
            .parse()
            .unwrap();
        assert!(found > 1_100, "{found}");

        let res = hq.get("/staff/cases.csv?department=all").await;
        assert_eq!(res.status, StatusCode::OK);
        // The demo's first row says it is demonstration data; the header follows.
        let body = res.body.trim_start_matches('\u{feff}');
        let (marker, body) = body.split_once('\n').unwrap();
        assert!(marker.starts_with("デモデータ"), "{marker}");
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        assert_eq!(reader.headers().unwrap().get(0), Some("整理番号"));
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), found, "the list's count");
        let mut numbers: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
        let keys: Vec<(&str, &str)> = rows.iter().map(|r| (r.get(8).unwrap(), r.get(7).unwrap())).collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "due first, then received");
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), found, "no row twice");
        t
    })
    .await;
}
