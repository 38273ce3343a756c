//! Helpers over the demo organization's data, shared by the area test files: its seed plan's
//! items and periods, single figures from the database, and what a demo export starts with.

use super::{Res, TestApp};
use axum::http::StatusCode;

/// (plan id, node id) of a seed plan item, by its reference in the seed outline (`S-1.3.1`).
pub async fn seed_item(t: &TestApp, seed_ref: &str) -> (i64, i64) {
    let org = t.demo_org().await;
    sqlx::query_as(
        "SELECT plan_id, id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = $2",
    )
    .bind(org)
    .bind(seed_ref)
    .fetch_one(&t.app.db)
    .await
    .unwrap()
}

/// The reporting period of a plan for a fiscal year.
pub async fn period(t: &TestApp, plan: i64, year: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM reporting_periods WHERE plan_id = $1 AND fiscal_year = $2")
        .bind(plan)
        .bind(year)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}

/// Form fields as the client takes them.
pub fn refs<'a>(v: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// One whole number from `sql` with `$1` bound to `id` (a count, an id, an amount).
pub async fn scalar(t: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(id)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}

/// 「1234567」→「1,234,567」, as a spreadsheet shows an amount.
pub fn grouped(v: i64) -> String {
    kyodo::charts::fmt_num(v as f64)
}

/// A CSV exported by the demo organization: checks that it starts with the BOM and the demo row,
/// and returns it with the BOM but without that row.
pub fn demo_csv(res: &Res) -> String {
    let body = res
        .body
        .strip_prefix('\u{feff}')
        .expect("CSV starts with a BOM");
    let (first, rest) = body.split_once('\n').expect("more than one line");
    assert_eq!(
        first.trim_end(),
        kyodo::web::demo_marks::DEMO_ROW,
        "no demo row"
    );
    format!("\u{feff}{rest}")
}

/// 所属長承認: the demo department head (企画調整課) passes a submitted report on to the HQ.
pub async fn manager_confirms(t: &TestApp, node: i64, period: &str) {
    let mut manager = t.signed_in("manager@demo.kyodo.jp").await;
    let res = manager
        .post(
            &format!("/plans/items/{node}/report/review/confirm"),
            &[("period", period)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}
