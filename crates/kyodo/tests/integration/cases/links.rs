//! A case linked to the programme (事務事業) it shows a problem of, by the programme's code as
//! staff type it (full-width digits too; an unknown code refused beside the field): the
//! programme's evaluation sheet lists it for staff, and no longer once unlinked; the same for a
//! plan item and its page.

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

/// A case linked to a plan item: listed on the item's page for staff (never for the public, whose
/// cached page stays as it was), a choice that is no plan item refused beside the field, and a
/// restricted record never listed for other staff, whatever it is linked to.
#[tokio::test]
async fn a_case_linked_to_a_plan_item_is_listed_on_the_items_page_for_staff() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let (case, number, _) = send(&t, &mut guest, &v, v.fields("要望", "その他", "補助金の見直しを早く", "団体への補助金の基準を公開してほしい。")).await;
        let item: i64 = sqlx::query_scalar("SELECT id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = 'S-2.2.1'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let not_an_item: i64 = sqlx::query_scalar("SELECT id FROM plan_nodes WHERE organization_id = $1 AND trackable = 0 LIMIT 1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let page = format!("/plans/items/{item}");
        assert!(t.client().get(&page).await.status == StatusCode::OK, "cached for anonymous visitors");
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let link = format!("/staff/cases/{case}/plan-item");
        for bad in [not_an_item.to_string(), "abc".into()] {
            let res = staff.post(&link, &[("plan_item", bad.as_str())]).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(res.body.contains("id=\"e-plan_item\""));
        }
        let res = staff.post(&link, &[("plan_item", item.to_string().as_str())]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let shown = staff.get(&page).await.body;
        assert!(shown.contains("id=\"desk-title\"") && shown.contains(&number), "staff see the linked case");
        assert!(staff.get(&format!("/staff/cases/{case}")).await.body.contains(&format!("/plans/items/{item}")));
        let public = t.client().get(&page).await.body;
        assert!(!public.contains(&number) && !public.contains("補助金の見直しを早く"), "never public");

        // A restricted record linked to the same item stays the HQ's and the compliance officer's.
        let approach: i64 = sqlx::query_scalar(
            "SELECT c.id FROM cases c JOIN case_types k ON k.organization_id = c.organization_id AND k.id = c.type_id \
             WHERE c.organization_id = $1 AND k.kind = 'approach' LIMIT 1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq.post(&format!("/staff/cases/{approach}/plan-item"), &[("plan_item", item.to_string().as_str())]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(!staff.get(&page).await.body.contains("入札参加資格"), "a restricted record is not listed");

        let res = staff.post(&link, &[("plan_item", "")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(!staff.get(&page).await.body.contains(&number), "unlinked");
        t
    })
    .await;
}
