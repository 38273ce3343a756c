//! 行政評価 (programme evaluation), as the pages and routes of web/pages/evaluation/.

mod cycle;
mod directions;
mod exchange;
mod figures;
mod import_defects;
mod import_layout;
mod import_limits;
mod master;
mod privacy;

use crate::support::*;
use axum::http::StatusCode;

/// Uploads a workbook to a year's import, then submits its review with `fields` (`action=apply`
/// unless given): the response to that (303 once applied, 422 with the problems).
async fn import_workbook(
    c: &mut Client,
    cycle: i64,
    file_name: &str,
    book: &[u8],
    fields: &[(&str, &str)],
) -> Res {
    let res = c
        .post_multipart(
            &format!("/hq/evaluation/cycles/{cycle}/import"),
            &[],
            ("file", file_name, book),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let review = res.location().to_string();
    let mut f = fields.to_vec();
    if !f.iter().any(|(k, _)| *k == "action") {
        f.push(("action", "apply"));
    }
    c.post(&review, &f).await
}

/// The sheet of programme `code` in the cycle of `year`.
async fn sheet_of(t: &TestApp, org: i64, code: &str, year: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT s.id FROM eval_sheets s JOIN programmes p ON p.organization_id = s.organization_id AND p.id = s.programme_id \
         JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id \
         WHERE s.organization_id = $1 AND p.code = $2 AND c.fiscal_year = $3",
    )
    .bind(org)
    .bind(code)
    .bind(year)
    .fetch_one(&t.app.db)
    .await
    .unwrap()
}

fn verdict<'a>(operator: &'a str, direction: &'a str, reason: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("operator", operator),
        ("direction", direction),
        ("reason", reason),
        ("improvement", ""),
    ]
}

/// The published sheet as a one-page workbook and PDF, both without the contact details.
async fn sheet_files(t: &TestApp, sheet: i64) {
    let mut c = t.client();
    let xlsx = c
        .get(&format!("/evaluation/sheets/{sheet}/sheet.xlsx"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let cells: Vec<String> = kyodo::plans::exchange::sheet::read_xlsx(&xlsx.bytes)
        .unwrap()
        .into_iter()
        .flat_map(|s| s.rows.into_iter().flatten())
        .collect();
    for text in [
        "行政評価システム運営(デモ)",
        "外部評価を踏まえ統合する",
        "総コスト",
    ] {
        assert!(
            cells.iter().any(|c| c.contains(text)),
            "{text} not in the workbook"
        );
    }
    assert!(
        cells.iter().any(|c| c == "7700"),
        "the computed total is a number in the workbook: {cells:?}"
    );
    assert!(
        !cells
            .iter()
            .any(|c| c.contains("会津 花子") || c.contains("0242-39-9999"))
    );
    let pdf = c
        .get(&format!("/evaluation/sheets/{sheet}/sheet.pdf"))
        .await;
    if !std::path::Path::new(kyodo::config::DEFAULT_PDF_FONT).exists() {
        assert_eq!(pdf.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            std::env::var("KYODO_TEST_REQUIRE_BROWSER").is_err(),
            "CI installs fonts-ipaexfont"
        );
        return;
    }
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let path = t.data_dir.join(format!("sheet-{sheet}.pdf"));
    std::fs::write(&path, &pdf.bytes).unwrap();
    if let Ok(out) = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        let text: String = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect();
        for v in ["行政評価システム運営", "類似事業と統合すべき", "7,700"] {
            assert!(text.contains(v), "{v} missing from the PDF");
        }
        assert!(!text.contains("会津花子"));
        // One page: pdftotext separates pages with a form feed.
        assert_eq!(
            String::from_utf8_lossy(&out.stdout)
                .matches('\u{c}')
                .count(),
            1,
            "the sheet fits one page"
        );
    }
}
