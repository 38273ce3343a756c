//! Demo data says so in every download: file names, a first CSV row, a first workbook sheet; a real
//! organization's files carry no mark; and every download arrives whole with gzip and without.

use crate::support::*;
use axum::body::Body;
use axum::http::{StatusCode, header};
use std::io::Read;

/// What the demo organization exports: its plan, its latest 市民意識調査 wave, its latest published
/// evaluation year and a sheet of that year.
struct DemoFiles {
    plan: i64,
    wave: i64,
    cycle: i64,
    sheet: i64,
}

async fn demo_files(t: &TestApp) -> DemoFiles {
    let org = t.demo_org().await;
    let (plan,): (i64,) = sqlx::query_as("SELECT id FROM plans WHERE organization_id = $1")
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
    let (wave,): (i64,) = sqlx::query_as(
        "SELECT id FROM surveys WHERE organization_id = $1 AND audience = 'codes' ORDER BY fiscal_year DESC",
    )
    .bind(org)
    .fetch_one(&t.app.db)
    .await
    .unwrap();
    let (cycle, sheet): (i64, i64) = sqlx::query_as(
        "SELECT c.id, s.id FROM eval_cycles c JOIN eval_sheets s ON s.organization_id = c.organization_id AND s.cycle_id = c.id \
         WHERE c.organization_id = $1 AND c.published = 1 ORDER BY c.fiscal_year DESC, s.id",
    )
    .bind(org)
    .fetch_one(&t.app.db)
    .await
    .unwrap();
    DemoFiles {
        plan,
        wave,
        cycle,
        sheet,
    }
}

/// A real organization's exports carry no demo mark.
#[tokio::test]
async fn a_real_organizations_exports_carry_no_demo_mark() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut foreign = t.foreign_client();
        foreign.login("admin@other.example", PASSWORD).await;
        let res = foreign.get("/admin/audit.csv").await;
        assert_eq!(res.status, StatusCode::OK);
        let name = res.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(!name.contains("demo-"), "{name}");
        assert!(!res.body.contains(kyodo::web::demo_marks::DEMO_ROW));
        assert!(res.body.starts_with("\u{feff}seq,"), "{}", res.body);
        t
    })
    .await;
}

async fn get_encoded(c: &mut Client, path: &str, encoding: &str) -> Res {
    let req = c
        .request("GET", path)
        .header(header::ACCEPT_ENCODING, encoding)
        .body(Body::empty())
        .unwrap();
    c.send(req).await
}

/// Every download, with gzip and without: the same bytes. The streamed ones (survey responses,
/// the audit log) used to end early under gzip — the compression layer polled the finished
/// stream again and it panicked.
#[tokio::test]
async fn every_download_is_whole_with_gzip_and_identity() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let DemoFiles {
            plan, wave, cycle, ..
        } = demo_files(&t).await;
        let hq_routes = [
            format!("/hq/surveys/{wave}/responses.csv"),
            format!("/hq/surveys/{wave}/responses.xlsx"),
        ];
        let public_routes = [
            format!("/plans/{plan}/items.csv"),
            format!("/plans/{plan}/reports.csv"),
            format!("/plans/{plan}/indicators.csv"),
            format!("/plans/{plan}/effects.csv"),
            format!("/plans/{plan}/plan.csv"),
            format!("/evaluation/cycles/{cycle}/programmes.csv"),
        ];
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        let mut public = t.client();
        for (client, path) in hq_routes
            .iter()
            .map(|p| (0, p.clone()))
            .chain(public_routes.iter().map(|p| (1, p.clone())))
            .chain(std::iter::once((2, "/admin/audit.csv".to_string())))
        {
            let c = match client {
                0 => &mut hq,
                1 => &mut public,
                _ => &mut admin,
            };
            let plain = get_encoded(c, &path, "identity").await;
            assert_eq!(plain.status, StatusCode::OK, "{path}");
            // A demo organization's file says so: in its name, and a CSV in its first row.
            let name = plain.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
            assert!(
                name.contains("filename=\"demo-") && name.contains("''demo-"),
                "{path}: {name}"
            );
            if path.ends_with(".csv") {
                demo_csv(&plain);
            }
            assert!(
                plain.bytes.len() > 100,
                "{path}: {} bytes",
                plain.bytes.len()
            );
            let zipped = get_encoded(c, &path, "gzip").await;
            assert_eq!(zipped.status, StatusCode::OK, "{path} (gzip)");
            assert_eq!(
                zipped
                    .headers
                    .get(header::CONTENT_ENCODING)
                    .map(|v| v.to_str().unwrap()),
                Some("gzip"),
                "{path}"
            );
            let mut unzipped = Vec::new();
            flate2::read::GzDecoder::new(zipped.bytes.as_slice())
                .read_to_end(&mut unzipped)
                .unwrap_or_else(|e| panic!("{path}: gzip body cut short: {e}"));
            if path.ends_with(".xlsx") {
                // A workbook records when it was written: compare its parts' count and its size.
                assert!(unzipped.starts_with(b"PK"), "{path}");
                assert!(unzipped.len().abs_diff(plain.bytes.len()) < 64, "{path}");
            } else {
                assert!(unzipped == plain.bytes, "{path}: gzip and identity differ");
            }
        }
        t
    })
    .await;
}

/// A demo organization's workbooks open on a first sheet that says so; the reader leaves that sheet
/// out, so each still imports back (the plan and evaluation round trips elsewhere use them).
#[tokio::test]
async fn a_demo_workbook_opens_on_a_sheet_that_says_so() {
    use calamine::Reader;
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let DemoFiles {
            plan,
            wave,
            cycle,
            sheet,
        } = demo_files(&t).await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        for path in [
            format!("/plans/{plan}/plan.xlsx"),
            format!("/plans/{plan}/annual-report.xlsx?year=2009"),
            format!("/evaluation/cycles/{cycle}/programmes.xlsx"),
            format!("/evaluation/sheets/{sheet}/sheet.xlsx"),
            format!("/hq/surveys/{wave}/responses.xlsx"),
        ] {
            let res = hq.get(&path).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
            let mut book: calamine::Xlsx<_> =
                calamine::Xlsx::new(std::io::Cursor::new(res.bytes.clone())).unwrap();
            let names = book.sheet_names().to_vec();
            assert_eq!(
                names[0],
                kyodo_decode::sheet::DEMO_SHEET,
                "{path}: {names:?}"
            );
            assert!(names.len() > 1, "{path}: the data is there too");
            let first = book.worksheet_range(&names[0]).unwrap();
            assert_eq!(
                first.get_value((0, 0)).map(|v| v.to_string()).as_deref(),
                Some(kyodo::web::demo_marks::DEMO_ROW),
                "{path}"
            );
            let read = kyodo_decode::sheet::read_xlsx(&res.bytes).unwrap();
            assert_eq!(
                read.len(),
                names.len() - 1,
                "{path}: the reader leaves the demo sheet out"
            );
            assert!(
                read.iter()
                    .all(|s| s.name != kyodo_decode::sheet::DEMO_SHEET)
            );
        }
        t
    })
    .await;
}
