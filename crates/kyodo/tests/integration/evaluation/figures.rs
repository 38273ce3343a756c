//! Figures computed on the server: budget-frame totals equal to the sum of the requests, and the
//! summed list equal to the full cost computation — on both backends.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn frame_totals_are_the_sum_of_the_requests() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let frames = kyodo::evaluation::frames::for_year(&t.app.db, org, 2026, None).await.unwrap();
        assert!(frames.len() >= 7);
        for f in &frames {
            let sum: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(k.amount), 0) AS BIGINT) FROM eval_costs k \
                 JOIN eval_sheets s ON s.organization_id = k.organization_id AND s.id = k.sheet_id \
                 JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id \
                 JOIN programmes p ON p.organization_id = s.organization_id AND p.id = s.programme_id \
                 WHERE k.organization_id = $1 AND c.fiscal_year = 2025 AND k.col = 'next_budget' AND k.source = 'general' AND p.department_id = $2",
            )
            .bind(org)
            .bind(f.department_id)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
            assert_eq!(f.requested(), sum, "department {}", f.department_id);
            assert_eq!(f.requested(), f.requests.iter().map(|r| r.general).sum::<i64>());
            assert!(sum > 0);
        }
        // The HQ sets a frame; a non-integer amount is refused beside its field.
        let dept = frames[0].department_id.to_string();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let field = format!("frame-{dept}");
        let res = hq.post("/hq/evaluation/frames", &[("year", "2026"), ("department", &dept), (&field, "1.5")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains(&format!("id=\"e-{field}\"")));
        let res = hq.submit("/hq/evaluation/frames", &[("year", "2026"), ("department", &dept), (&field, "123,456")]).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("123,456"));
        // Staff see their own department's frame only; the page is not public.
        let page = t.signed_in("staff@demo.kyodo.jp").await.get("/staff/evaluation/frames?year=2026").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("行政評価システム運営") && !page.body.contains("予算編成事務"));
        t
    })
    .await;
}

#[tokio::test]
async fn the_summed_list_agrees_with_the_full_cost_computation() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        for c in kyodo::evaluation::store::cycles(&t.app.db, org)
            .await
            .unwrap()
        {
            let listed = kyodo::evaluation::listing::rows(&t.app.db, org, c.id, c.fiscal_year)
                .await
                .unwrap();
            let y = kyodo::evaluation::year::YearData::load(&t.app.db, org, c.clone(), true)
                .await
                .unwrap();
            assert_eq!(listed.len(), y.data.sheets.len());
            assert!(!listed.is_empty(), "{} lists no sheet", c.fiscal_year);
            assert!(listed.iter().any(|r| r.cost() > 0), "{}: every cost is zero", c.fiscal_year);
            for r in &listed {
                // The same figure from the rows in SQL, apart from both code paths: 事業費 of the
                // settled column plus staff-years × that year's (or the latest earlier) unit cost,
                // else the budget column when nothing is settled.
                let mut independent = 0;
                for col in ["settled", "budget"] {
                    let (programme,): (i64,) = sqlx::query_as(
                        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM eval_costs WHERE organization_id = $1 AND sheet_id = $2 AND col = $3",
                    )
                    .bind(org)
                    .bind(r.sheet_id)
                    .bind(col)
                    .fetch_one(&t.app.db)
                    .await
                    .unwrap();
                    let staff: Vec<(f64, Option<i64>)> = sqlx::query_as(
                        "SELECT s.fte, (SELECT u.unit_cost FROM personnel_unit_costs u WHERE u.organization_id = s.organization_id \
                         AND u.category = s.category AND u.fiscal_year <= $3 ORDER BY u.fiscal_year DESC LIMIT 1) \
                         FROM eval_staffing s WHERE s.organization_id = $1 AND s.sheet_id = $2 AND s.col = $4",
                    )
                    .bind(org)
                    .bind(r.sheet_id)
                    .bind(c.fiscal_year)
                    .bind(col)
                    .fetch_all(&t.app.db)
                    .await
                    .unwrap();
                    let personnel: f64 = staff.iter().map(|(fte, u)| fte * u.unwrap_or(0) as f64).sum();
                    independent = programme + personnel.round() as i64;
                    if independent > 0 {
                        break;
                    }
                }
                assert_eq!(r.cost(), independent, "sheet {} of {}: cost against SQL", r.sheet_id, c.fiscal_year);
                let s = y.data.sheet(r.sheet_id).unwrap();
                assert_eq!(
                    r.cost(),
                    kyodo::evaluation::year::year_cost(&y.columns(s)),
                    "sheet {} of {}",
                    r.sheet_id,
                    c.fiscal_year
                );
                assert_eq!(
                    r.direction.as_deref().filter(|_| s.stage != kyodo::evaluation::stage::Stage::Draft),
                    y.direction(s),
                    "sheet {}",
                    r.sheet_id
                );
            }
        }
        t
    })
    .await;
}

/// Two HQ members set the same department's frame at the same moment (two instances on
/// PostgreSQL): one upsert each, so both succeed and one of the two amounts stays — the delete and
/// insert it replaced let the later insert collide on the key (a 500).
#[tokio::test]
async fn two_saves_of_one_frame_at_once_both_succeed() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let frames = kyodo::evaluation::frames::for_year(&t.app.db, org, 2026, None).await.unwrap();
        let dept = frames[0].department_id.to_string();
        let field = format!("frame-{dept}");
        let (mut a, mut b) = (t.signed_in("hq@demo.kyodo.jp").await, t.signed_in("hq@demo.kyodo.jp").await);
        for round in 0..10 {
            let form = |amount: &'static str| [("year", "2026"), ("department", dept.as_str()), (field.as_str(), amount)];
            let (first, second) = (form("1,000"), form("2,000"));
            let (x, y) = tokio::join!(a.post("/hq/evaluation/frames", &first), b.post("/hq/evaluation/frames", &second));
            assert_eq!((x.status, y.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "round {round}");
        }
        let frame: i64 = sqlx::query_scalar("SELECT frame FROM budget_frames WHERE organization_id = $1 AND department_id = $2 AND fiscal_year = 2026")
            .bind(org)
            .bind(frames[0].department_id)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert!(frame == 1000 || frame == 2000, "{frame}");
        t
    })
    .await;
}
