//! A case linked to the programme (事務事業) it shows a problem of, by the programme's code as
//! staff type it (full-width digits too; an unknown code refused beside the field): the
//! programme's evaluation sheet lists it for staff, and no longer once unlinked.

use super::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_case_linked_to_a_programme_is_listed_on_its_evaluation_sheet() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let (case, number, _) = send(&t, &mut guest, &v, v.fields("苦情", "その他", "補助金の申請が難しい", "書類が多すぎます。")).await;
        let (programme, code, sheet): (i64, String, i64) = sqlx::query_as(
            "SELECT p.id, p.code, s.id FROM programmes p JOIN eval_sheets s ON s.organization_id = p.organization_id \
             AND s.programme_id = p.id WHERE p.organization_id = $1 ORDER BY s.id LIMIT 1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let link = format!("/staff/cases/{case}/programme");
        let res = hq.post(&link, &[("programme", "存在しない事業")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("id=\"e-programme\"") && res.body.contains("この事業コードの事務事業はありません"), "{}", res.body);
        let linked = || async {
            sqlx::query_scalar::<_, Option<i64>>("SELECT programme_id FROM cases WHERE organization_id = $1 AND id = $2")
                .bind(org)
                .bind(case)
                .fetch_one(&t.app.db)
                .await
                .unwrap()
        };
        assert_eq!(linked().await, None);
        // Typed with full-width digits and hyphens, as a Japanese keyboard gives them.
        let wide: String = code
            .chars()
            .map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c })
            .collect();
        let res = hq.post(&link, &[("programme", wide.as_str())]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(linked().await, Some(programme));
        let page = hq.get(&format!("/staff/evaluation/sheets/{sheet}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("id=\"desk-title\"") && page.body.contains(&number) && page.body.contains("補助金の申請が難しい"), "{}", page.body);

        let res = hq.post(&link, &[("programme", "")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(linked().await, None);
        let page = hq.get(&format!("/staff/evaluation/sheets/{sheet}")).await.body;
        assert!(!page.contains(&number), "unlinked");
        t
    })
    .await;
}
