//! The HQ's direction (方向性) for a 施策 in a year: checked beside its field, stored, and shown on
//! the year's page — on both backends.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_hq_sets_a_measures_direction_for_a_year() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (measure,): (i64,) = sqlx::query_as(
            "SELECT id FROM policy_nodes WHERE organization_id = $1 AND level = 'measure' ORDER BY number LIMIT 1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let (cycle, year): (i64, i64) = sqlx::query_as(
            "SELECT id, fiscal_year FROM eval_cycles WHERE organization_id = $1 ORDER BY fiscal_year DESC LIMIT 1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let path = format!("/hq/evaluation/policies/{measure}");
        let (year, cycle) = (year.to_string(), cycle.to_string());
        let (dir_f, reason_f) = (format!("direction-{measure}"), format!("reason-{measure}"));
        let bad = hq
            .post(&path, &[("cycle", &cycle), ("year", &year), (&dir_f, "grow")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains(&format!("id=\"e-{dir_f}\"")), "{}", bad.body);
        let stored = "SELECT COUNT(*) FROM policy_directions WHERE node_id = $1";
        assert_eq!(scalar(&t, stored, measure).await, 0, "nothing stored");
        let reason = "市民の参加が伸びているため拡充する";
        let res = hq
            .post(
                &path,
                &[
                    ("cycle", &cycle),
                    ("year", &year),
                    (&dir_f, "expand"),
                    (&reason_f, reason),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(
            res.location(),
            format!("/hq/evaluation/cycles/{cycle}#measures")
        );
        let (direction, kept): (String, String) = sqlx::query_as(
            "SELECT direction, reason FROM policy_directions WHERE node_id = $1 AND fiscal_year = $2",
        )
        .bind(measure)
        .bind(year.parse::<i64>().unwrap())
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!((direction.as_str(), kept.as_str()), ("expand", reason));
        let page = hq.get(&format!("/hq/evaluation/cycles/{cycle}")).await;
        assert!(page.body.contains("保存しました。"), "the notice");
        t
    })
    .await;
}
