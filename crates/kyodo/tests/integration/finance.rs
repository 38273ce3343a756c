//! 予算・決算 on both databases: the demo's budget by purpose and nature and "where my taxes go"
//! on the public page; a budget file as a city has it (title rows, 千円, full-width digits, △,
//! 款計 rows) imported by the HQ; a 款 that is not the sum of its 項 refused by line with nothing
//! imported; a re-import replacing; each organization seeing only its own.

use crate::support::*;
use axum::http::StatusCode;

fn with_commas(v: i64) -> String {
    let digits = v.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// A 国民健康保険特別会計 budget as a city's 予算書 CSV: title and unit rows, 款計 rows, full-width
/// digits with commas, a △ line; `tax_total` is the 款計 of 保険税 (3,000 when consistent).
fn city_file(tax_total: &str) -> Vec<u8> {
    format!(
        "令和7年度 国民健康保険特別会計 当初予算書,,,,,,,\n\
         （単位：千円）,,,,,,,\n\
         年度,会計,予算区分,歳入歳出,款,項,性質,金額\n\
         令和7年度,国民健康保険特別会計,当初,歳入,保険税,,,{tax_total}\n\
         令和7年度,国民健康保険特別会計,当初,歳入,保険税,一般被保険者保険税,,\"２，５００\"\n\
         令和7年度,国民健康保険特別会計,当初,歳入,保険税,退職被保険者等保険税,,500\n\
         令和7年度,国民健康保険特別会計,当初,歳入,繰入金,一般会計繰入金,,1200\n\
         令和7年度,国民健康保険特別会計,当初,歳入,諸収入,雑入,,△200\n\
         ,,,,,,,\n\
         令和7年度,国民健康保険特別会計,当初,歳出,保険給付費,療養諸費,扶助費,3500\n\
         令和7年度,国民健康保険特別会計,当初,歳出,総務費,総務管理費,人件費,500\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn budgets_are_shown_imported_checked_and_kept_per_organization() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut guest = t.client();
        let page = guest.get("/finance").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("民生費") && page.body.contains("扶助費") && page.body.contains("<svg"), "{}", page.body);
        assert!(page.body.contains("デモデータ"), "demonstration data says so");

        // Where my taxes go: each 款's share of 100,000 yen, as the database sums it.
        let (edition, spent): (i64, i64) = sqlx::query_as(
            "SELECT e.id, CAST(SUM(l.amount) AS BIGINT) FROM fin_editions e JOIN fin_lines l ON l.organization_id = e.organization_id AND l.edition_id = e.id \
             WHERE e.organization_id = $1 AND e.edition = '決算' AND l.side = 'expenditure' GROUP BY e.id",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let welfare: i64 = sqlx::query_scalar("SELECT CAST(SUM(amount) AS BIGINT) FROM fin_lines WHERE organization_id = $1 AND edition_id = $2 AND kan = '民生費'")
            .bind(org)
            .bind(edition)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let page = guest.get(&format!("/finance?edition={edition}&tax=100000")).await;
        let row = page.body.split("<tr>").find(|r| r.contains("民生費") && !r.contains('%')).unwrap().to_string();
        assert!(row.contains(&with_commas(welfare * 100_000 / spent)), "{row}");
        let bad = guest.get("/finance?tax=abc").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"e-tax\""));

        // A 款 that is not the sum of its 項: refused by line, nothing imported.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM fin_editions WHERE organization_id = $1")
                .bind(org)
                .fetch_one(&t.app.db)
                .await
                .unwrap()
        };
        let before = count().await;
        let res = hq.post_multipart("/hq/finance/import", &[], ("file", "yosan.csv", &city_file("3100"))).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let row = res.body.split("<tr>").find(|r| r.contains("保険税")).unwrap_or_default().to_string();
        assert!(row.contains("<td class=\"num\">4</td>") && row.contains("3100000"), "the 款 by line: {}", res.body);
        assert_eq!(count().await, before, "nothing imported");

        // As published: title rows, 千円, full-width digits, △, 款計 rows, a blank row.
        let res = hq.post_multipart("/hq/finance/import", &[], ("file", "yosan.csv", &city_file("\"３，０００\""))).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(count().await, before + 1);
        let (id, lines, revenue): (i64, i64, i64) = sqlx::query_as(
            "SELECT e.id, COUNT(*), CAST(SUM(CASE WHEN l.side = 'revenue' THEN l.amount ELSE 0 END) AS BIGINT) FROM fin_editions e \
             JOIN fin_lines l ON l.organization_id = e.organization_id AND l.edition_id = e.id \
             WHERE e.organization_id = $1 AND e.account = '国民健康保険特別会計' AND e.fiscal_year = 2025 GROUP BY e.id",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!((lines, revenue), (6, 4_000_000_000 / 1000), "lines only (no 款計), in 円, △ negative");
        let page = guest.get(&format!("/finance?edition={id}")).await;
        assert!(page.body.contains("保険給付費") && page.body.contains("国民健康保険特別会計"), "a write shows at once");
        let csv = guest.get(&format!("/finance/editions/{id}/lines.csv")).await;
        assert!(csv.body.contains("金額(円)") && csv.body.contains("-200000"), "{}", csv.body);

        // The same edition again replaces it.
        let again = String::from_utf8(city_file("\"３，０００\"")).unwrap().replace("3500", "3000").replace(",1200", ",700");
        let res = hq.post_multipart("/hq/finance/import", &[], ("file", "yosan.csv", again.as_bytes())).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(count().await, before + 1, "replaced, not added");

        // The catalogue lists every edition; another organization has none of them.
        let list = guest.get("/api/3/action/package_list").await;
        assert_eq!(list.body.matches("budget-").count(), 3, "{}", list.body);
        let mut foreign = t.foreign_client();
        let none = foreign.get("/finance").await;
        assert!(none.status == StatusCode::OK && none.body.contains("まだ公表していません") && !none.body.contains("民生費"), "{}", none.body);
        assert_eq!(foreign.get(&format!("/finance/editions/{edition}/lines.csv")).await.status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}
