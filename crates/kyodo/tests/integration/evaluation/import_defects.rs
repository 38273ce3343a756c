//! Defects found by importing a real city's workbook (issue: a real workbook goes in without help),
//! each pinned by a test that failed before its fix: a differing name never renames published
//! history, a code of 0 is refused, public workbooks hide draft verdicts as the pages do, and the
//! cost chart plots the years that exist.

use super::exchange::{row, workbook};
use crate::support::*;
use axum::http::StatusCode;

const FIELDS: [(&str, &str); 2] = [("map_code", "コード"), ("map_name", "事業名")];

/// A new (unpublished) year to import into; the demo's 令和5・6年度 are published.
async fn new_cycle(hq: &mut Client) -> i64 {
    let res = hq
        .post("/hq/evaluation/cycles", &[("fiscal_year", "2026")])
        .await;
    res.location().rsplit('/').next().unwrap().parse().unwrap()
}

async fn demo_programme(t: &TestApp, org: i64) -> (i64, String, String) {
    sqlx::query_as(
        "SELECT id, code, name FROM programmes WHERE organization_id = $1 ORDER BY code LIMIT 1",
    )
    .bind(org)
    .fetch_one(&t.app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_differing_name_is_flagged_and_never_renames_a_published_year() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (id, code, name) = demo_programme(&t, org).await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let cycle = new_cycle(&mut hq).await;
        let mut cells = row(1, &code).0;
        cells[1] = "改名された事業".into();
        let book = workbook(&[cells]);
        let res = super::import_workbook(&mut hq, cycle, "city.xlsx", &book, &FIELDS).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let at = res
            .body
            .find("<td>B(事業名)</td>")
            .expect("the name is flagged");
        let flagged = res.body[at..].split("</tr>").next().unwrap();
        assert!(
            flagged.contains("登録済みの事業名と異なります") && flagged.contains(&name),
            "{flagged}"
        );
        let mut accepting = FIELDS.to_vec();
        accepting.push(("accept_flagged", "1"));
        let res = super::import_workbook(&mut hq, cycle, "city.xlsx", &book, &accepting).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let now: String = sqlx::query_scalar(
            "SELECT name FROM programmes WHERE organization_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(now, name, "a programme with published years keeps its name");
        let page = t
            .client()
            .get(&format!("/evaluation/programmes/{id}"))
            .await;
        assert!(page.body.contains(&name) && !page.body.contains("改名された事業"));
        t
    })
    .await;
}

#[tokio::test]
async fn a_code_of_zero_is_flagged_and_its_row_left_out_not_imported_as_programme_0() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let cycle = new_cycle(&mut hq).await;
        let rows = vec![row(1, "9001").0, row(2, "0").0, row(3, "０００").0];
        let book = workbook(&rows);
        let res = super::import_workbook(&mut hq, cycle, "city.xlsx", &book, &FIELDS).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        for r in [3, 4] {
            let at = res
                .body
                .find(&format!("<td class=\"num\">{r}</td><td>A(コード)</td>"))
                .unwrap_or_else(|| panic!("row {r} not reported"));
            let line = res.body[at..].split("</tr>").next().unwrap();
            assert!(line.contains("事業コードとして使えません") && line.contains("要確認"), "{line}");
        }
        let mut accepting = FIELDS.to_vec();
        accepting.push(("accept_flagged", "1"));
        let res = super::import_workbook(&mut hq, cycle, "city.xlsx", &book, &accepting).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM programmes WHERE organization_id = $1 AND code IN ('0', '000', '9001')")
            .bind(org)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        assert_eq!(codes, ["9001"], "the rows of 0 are left out");
        t
    })
    .await;
}

/// Cells of the public workbook by programme code: (name, direction, reason).
fn workbook_rows(bytes: &[u8]) -> Vec<(String, String, String)> {
    let sheets = kyodo::plans::exchange::sheet::read_xlsx(bytes).unwrap();
    let sheet = sheets.iter().find(|s| s.name == "事務事業評価").unwrap();
    let h = &sheet.rows[0];
    let at = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (c, n, d, r) = (
        at("事業コード"),
        at("事務事業名"),
        at("今後の方向性(一次評価)"),
        at("理由(一次評価)"),
    );
    sheet.rows[1..]
        .iter()
        .map(|x| {
            let get = |i: usize| x.get(i).cloned().unwrap_or_default();
            (
                get(c),
                format!("{}|{}|{}", get(n), get(d), get(r)),
                String::new(),
            )
        })
        .collect()
}

#[tokio::test]
async fn public_workbooks_show_exactly_what_the_public_pages_and_csv_show() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (cycle,): (i64,) = sqlx::query_as("SELECT id FROM eval_cycles WHERE organization_id = $1 AND fiscal_year = 2024")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        // A published year holding one draft sheet (published before it was finished) whose
        // first-stage verdict is written but not decided.
        let (pid, code, _) = demo_programme(&t, org).await;
        let sheet: i64 = sqlx::query_scalar("SELECT id FROM eval_sheets WHERE organization_id = $1 AND cycle_id = $2 AND programme_id = $3")
            .bind(org)
            .bind(cycle)
            .bind(pid)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        for sql in [
            "UPDATE eval_sheets SET stage = 'draft' WHERE organization_id = $1 AND id = $2",
            "UPDATE eval_verdicts SET direction = 'abolish', reason = '下書きの理由(非公開)' WHERE organization_id = $1 AND sheet_id = $2 AND stage = 'first'",
        ] {
            sqlx::query(sql).bind(org).bind(sheet).execute(&t.app.db).await.unwrap();
        }
        let mut c = t.client();
        let xlsx = c.get(&format!("/evaluation/cycles/{cycle}/programmes.xlsx")).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        let csv = demo_csv(&c.get(&format!("/evaluation/cycles/{cycle}/programmes.csv")).await);
        let csv = kyodo::plans::exchange::sheet::read_csv(csv.as_bytes(), "csv").unwrap();
        let ch = &csv.rows[0];
        let at = |name: &str| ch.iter().position(|x| x == name).unwrap();
        let (cc, cn, cd) = (at("code"), at("name"), at("first_direction"));
        let book = workbook_rows(&xlsx.bytes);
        assert_eq!(book.len(), csv.rows.len() - 1, "the same programmes");
        for (code_x, fields, _) in &book {
            let line = csv.rows.iter().find(|r| r[cc] == *code_x).expect("in the CSV");
            let parts: Vec<&str> = fields.split('|').collect();
            assert_eq!(parts[0], line[cn], "{code_x}: name");
            assert_eq!(parts[1], line[cd], "{code_x}: direction");
            if parts[2].is_empty() {
                continue;
            }
            let id: i64 = sqlx::query_scalar("SELECT id FROM programmes WHERE organization_id = $1 AND code = $2")
                .bind(org)
                .bind(code_x)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
            let page = c.get(&format!("/evaluation/programmes/{id}")).await;
            assert!(page.body.contains(parts[2]), "{code_x}: the reason is on the page too");
        }
        let draft = book.iter().find(|r| r.0 == code).unwrap();
        assert_eq!(draft.1.split('|').skip(1).collect::<Vec<_>>(), ["", ""], "the draft's verdict is not public");
        assert!(!xlsx.bytes.windows("下書きの理由".len()).any(|w| w == "下書きの理由".as_bytes()));
        // The HQ's copy (the import layout, for the round trip) keeps it.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let own = workbook_rows(&hq.get(&format!("/evaluation/cycles/{cycle}/programmes.xlsx")).await.bytes);
        assert!(own.iter().any(|r| r.1.ends_with("下書きの理由(非公開)")));
        t
    })
    .await;
}

#[tokio::test]
async fn the_cost_chart_plots_the_years_that_exist_and_labels_budget_apart() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (pid, _, _) = demo_programme(&t, org).await;
        // Only 令和6年度 is published, and its sheet has a 予算 and last year's 決算 but no 決算 yet.
        sqlx::query("UPDATE eval_cycles SET published = 0 WHERE organization_id = $1 AND fiscal_year = 2023")
            .bind(org)
            .execute(&t.app.db)
            .await
            .unwrap();
        let sheet: i64 = sqlx::query_scalar("SELECT s.id FROM eval_sheets s JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id \
             WHERE s.organization_id = $1 AND s.programme_id = $2 AND c.fiscal_year = 2024")
            .bind(org)
            .bind(pid)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        for table in ["eval_costs", "eval_staffing"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE organization_id = $1 AND sheet_id = $2 AND col = 'settled'")))
                .bind(org)
                .bind(sheet)
                .execute(&t.app.db)
                .await
                .unwrap();
        }
        let page = t.client().get(&format!("/evaluation/programmes/{pid}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let svg = page.body.split("<svg").nth(1).unwrap().split("</svg>").next().unwrap();
        let labels: Vec<&str> = svg
            .split("text-anchor=\"end\"")
            .skip(1)
            .map(|s| s.split('>').nth(1).unwrap().split('<').next().unwrap())
            .collect();
        assert!(labels.iter().all(|l| !l.contains('.')), "no axis step finer than 1 千円: {labels:?}");
        assert!(labels.iter().any(|l| l.len() > 2), "the axis reaches the amounts: {labels:?}");
        assert!(svg.contains("令和5年度") && svg.contains("令和6年度"), "last year's 決算 comes from this sheet");
        assert!(svg.contains("決算") && svg.contains("予算"), "budget and settled apart");
        let table = page.body.split("<svg").nth(1).unwrap().split("<table").nth(1).unwrap().split("</table>").next().unwrap();
        let r6 = table.split("<tr>").find(|r| r.contains("令和6年度")).unwrap();
        assert!(r6.contains("—"), "no 決算 for 令和6年度 is shown as missing, not as 0: {r6}");
        t
    })
    .await;
}

#[tokio::test]
async fn publishing_a_year_with_drafts_asks_first_and_says_how_many() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (cycle, drafts, total): (i64, i64, i64) = sqlx::query_as(
            "SELECT c.id, SUM(CASE WHEN s.stage = 'draft' THEN 1 ELSE 0 END), COUNT(*) FROM eval_cycles c \
             JOIN eval_sheets s ON s.organization_id = c.organization_id AND s.cycle_id = c.id \
             WHERE c.organization_id = $1 AND c.fiscal_year = 2025 GROUP BY c.id",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert!(drafts > 0);
        let published = || async {
            sqlx::query_scalar::<_, i64>("SELECT published FROM eval_cycles WHERE id = $1")
                .bind(cycle)
                .fetch_one(&t.app.db)
                .await
                .unwrap()
        };
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let path = format!("/hq/evaluation/cycles/{cycle}/publish");
        let res = hq.post(&path, &[]).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains(&format!("{total}件のうち{drafts}件の評価シートが下書きのまま")), "{}", res.body);
        assert_eq!(published().await, 0, "nothing published before the HQ confirms");
        let res = hq.post(&path, &[("confirm", "1")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(published().await, 1);
        t
    })
    .await;
}
