//! 民間提案 decided and published without the proposer's text, 職員提案 scored by the committee
//! and awarded, and 働きかけ記録 kept for the HQ and the compliance officer — on both databases.

use super::kinds::{Form, column};
use super::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_private_proposal_is_decided_and_published_without_the_proposers_text() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let private = Form::of(&t, "民間提案").await;
        let mut guest = t.client();
        let body = "株式会社デモ代表 山田一郎(090-0000-0000)からの提案。図書館の窓口を委託する。";
        let (id, _, _) = send(&t, &mut guest, &private.voice(), private.fields("図書館の窓口委託", "民間委託", body)).await;

        // Only the HQ decides; without a summary to publish the decision is refused beside it.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let decision = [("decision", "adopted"), ("decision_reason", "効果が大きい"), ("decision_summary", "図書館の窓口業務を委託する提案")];
        assert_eq!(staff.post(&format!("/hq/proposals/{id}/decision"), &decision).await.status, StatusCode::FORBIDDEN);
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post(&format!("/hq/proposals/{id}/decision"), &[("decision", "adopted"), ("decision_reason", "効果が大きい")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-decision_summary\"") && res.body.contains("効果が大きい"), "message beside the field, the typed reason kept");
        let res = hq.post(&format!("/hq/proposals/{id}/decision"), &[("decision", "maybe"), ("decision_reason", "x"), ("decision_summary", "y")]).await;
        assert!(res.body.contains("id=\"e-decision\""));
        assert_eq!(column(&t, "decision", id).await, "");
        let res = hq.post(&format!("/hq/proposals/{id}/decision"), &decision).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(column(&t, "implementation", id).await, "planned", "adopted: tracked to implementation");

        // Published: the HQ's summary, the decision and the reason — never the proposer's text.
        let page = t.client().get("/cases/proposals").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("図書館の窓口業務を委託する提案") && page.body.contains("効果が大きい"));
        assert!(page.body.contains("採用"));
        assert!(page.body.contains("公民館の受付"), "the demo's decision is listed too");
        // The same as open data: a CSV through the one writer, listed in the catalogue.
        let csv = t.client().get("/cases/proposals.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains("図書館の窓口業務を委託する提案") && csv.body.contains("効果が大きい"));
        let catalogue = t.client().get("/api/3/action/package_show?id=private-proposals").await;
        assert_eq!(catalogue.status, StatusCode::OK, "{}", catalogue.body);
        assert!(catalogue.body.contains("/cases/proposals.csv"));
        for private in ["山田一郎", "090-0000-0000", "図書館の窓口委託"] {
            assert!(!page.body.contains(private), "{private} leaked");
            assert!(!csv.body.contains(private), "{private} leaked into the CSV");
        }
        // The department tracks implementation; a proposal not adopted has none to track.
        let res = hq.post(&format!("/staff/cases/{id}/implementation"), &[("implementation", "done")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(t.client().get("/cases/proposals").await.body.contains("実施済"));
        let res = hq.post(&format!("/hq/proposals/{id}/decision"), &[("decision", "not_adopted"), ("decision_reason", "見送り"), ("decision_summary", "図書館の窓口業務を委託する提案")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let res = hq.post(&format!("/staff/cases/{id}/implementation"), &[("implementation", "done")]).await;
        assert!(res.body.contains("id=\"e-implementation\""));
        // A 市民の声 case has no decision to make.
        let voice: i64 = sqlx::query_scalar("SELECT c.id FROM cases c JOIN case_types k ON k.organization_id = c.organization_id AND k.id = c.type_id WHERE c.organization_id = $1 AND k.code = '市民の声' LIMIT 1")
            .bind(t.demo_org().await)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(hq.post(&format!("/hq/proposals/{voice}/decision"), &decision).await.status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

#[tokio::test]
async fn staff_proposals_are_scored_by_the_committee_and_awarded() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let form = Form::of(&t, "職員提案").await;
        // Staff only: a guest cannot send one.
        assert_eq!(
            t.client()
                .get(&format!("/cases/types/{}", form.type_id))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let (id, _, _) = send(
            &t,
            &mut staff,
            &form.voice(),
            form.fields("押印の廃止", "事務の効率化", "内部文書の押印をやめる"),
        )
        .await;

        // The proposer and plain staff are not on the committee; a manager is (full-width digits).
        assert_eq!(
            staff
                .post(&format!("/staff/cases/{id}/score"), &[("score", "5")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let mut manager = t.signed_in("manager@demo.kyodo.jp").await;
        let res = manager
            .post(
                &format!("/staff/cases/{id}/score"),
                &[("score", "6"), ("score_comment", "良い")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-score\"") && res.body.contains("良い"));
        assert_eq!(
            manager
                .post(&format!("/staff/cases/{id}/score"), &[("score", "２")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            manager
                .post(&format!("/staff/cases/{id}/score"), &[("score", "３")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        assert_eq!(
            hq.post(&format!("/staff/cases/{id}/score"), &[("score", "4")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_scores WHERE organization_id = $1 AND case_id = $2",
        )
        .bind(t.demo_org().await)
        .bind(id)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(n, 2, "scoring again replaces one's own score");

        // Awards are the HQ's; the year list shows average, decision and award.
        assert_eq!(
            manager
                .post(&format!("/hq/proposals/{id}/award"), &[("award", "grand")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let res = hq
            .post(&format!("/hq/proposals/{id}/award"), &[("award", "gold")])
            .await;
        assert!(res.body.contains("id=\"e-award\""));
        assert_eq!(
            hq.post(&format!("/hq/proposals/{id}/award"), &[("award", "grand")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let list = staff.get("/staff/proposals").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.body.contains("押印の廃止")
                && list.body.contains("3.5")
                && list.body.contains("最優秀賞"),
            "{}",
            list.body
        );
        assert!(
            list.body.contains("会議資料のペーパーレス化") && list.body.contains("優秀賞"),
            "the demo's awarded proposal"
        );
        // The scores are the committee's: plain staff do not see who gave what on the case page.
        assert!(
            !staff
                .get(&format!("/staff/cases/{id}"))
                .await
                .body
                .contains("審査委員の評点")
        );
        assert!(
            hq.get(&format!("/staff/cases/{id}"))
                .await
                .body
                .contains("審査委員の評点")
        );
        t
    })
    .await;
}

#[tokio::test]
async fn approach_records_are_the_hq_and_compliance_officers_only() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let form = Form::of(&t, "働きかけ").await;
        let mut compliance = t.signed_in("compliance@demo.kyodo.jp").await;
        let (id, number, _) = send(
            &t,
            &mut compliance,
            &form.voice(),
            form.fields(
                "=HYPERLINK(\"x\")",
                "不当要求",
                "業者が職員に面会を強要した",
            ),
        )
        .await;
        // The compliance officer works it like the HQ; plain staff are told it does not exist.
        assert_eq!(
            compliance
                .post(
                    &format!("/staff/cases/{id}/note"),
                    &[("note", "上司に報告済み")]
                )
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(
            staff.get(&format!("/staff/cases/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(
            !staff
                .get("/staff/cases?department=all")
                .await
                .body
                .contains(&number)
        );
        assert!(
            compliance
                .get("/staff/cases?department=all")
                .await
                .body
                .contains(&number)
        );

        // The year list and its CSV: the HQ and the compliance officer; nobody else.
        let list = compliance.get("/compliance/approaches").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.body.contains(&number) && list.body.contains("入札参加資格についての要望"),
            "the new and the demo's record"
        );
        assert_eq!(list.headers["cache-control"], "no-store");
        let csv = compliance.get("/compliance/approaches.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body.contains(&number) && csv.body.contains("'=HYPERLINK"),
            "formulas neutralised: {}",
            csv.body
        );
        assert!(
            t.signed_in("hq@demo.kyodo.jp")
                .await
                .get("/compliance/approaches")
                .await
                .status
                == StatusCode::OK
        );
        assert_eq!(
            staff.get("/compliance/approaches").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            staff.get("/compliance/approaches.csv").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.client().get("/compliance/approaches").await.status,
            StatusCode::SEE_OTHER
        );
        // Never public, never Open311.
        for path in [
            "/cases",
            "/cases/voices",
            "/cases/proposals",
            "/procedures",
            "/api/open311/v2/requests.json",
        ] {
            assert!(!t.client().get(path).await.body.contains(&number), "{path}");
        }
        t
    })
    .await;
}
