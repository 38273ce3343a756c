//! The four kinds beside 市民の声, on both databases: the 手続一覧 with its forms and an offline
//! procedure, a fee and its payment (staff, and the payment seam), 民間提案 decided and published
//! without the proposer's text, 職員提案 scored by the committee and awarded, and 働きかけ記録 kept
//! for the HQ and the compliance officer — with bad input answered beside its field.

use super::*;
use axum::http::StatusCode;

const PDF: &[u8] = b"%PDF-1.4\n% Kyodo procedure form\n";

/// A demo kind's form: type id, question ids (subject, 区分, body) and 区分's options.
struct Form {
    type_id: i64,
    q: Vec<i64>,
    options: Vec<(String, i64)>,
}

impl Form {
    async fn of(t: &TestApp, code: &str) -> Form {
        let org = t.demo_org().await;
        let (type_id, survey): (i64, i64) = sqlx::query_as(
            "SELECT id, form_survey_id FROM case_types WHERE organization_id = $1 AND code = $2",
        )
        .bind(org)
        .bind(code)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let q: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM survey_questions WHERE organization_id = $1 AND survey_id = $2 ORDER BY position",
        )
        .bind(org)
        .bind(survey)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        let options = sqlx::query_as(
            "SELECT label, id FROM survey_options WHERE organization_id = $1 AND question_id = $2",
        )
        .bind(org)
        .bind(q[1])
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        Form {
            type_id,
            q,
            options,
        }
    }
    fn fields(&self, subject: &str, choice: &str, body: &str) -> Vec<(String, String)> {
        let option = self.options.iter().find(|o| o.0 == choice).unwrap().1;
        vec![
            (format!("q{}", self.q[0]), subject.into()),
            (format!("q{}", self.q[1]), option.to_string()),
            (format!("q{}", self.q[2]), body.into()),
        ]
    }
    fn voice(&self) -> Voice {
        Voice {
            type_id: self.type_id,
            q: [0; 4],
            options: Vec::new(),
        }
    }
}

async fn column(t: &TestApp, sql: &str, id: i64) -> String {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {sql} FROM cases WHERE organization_id = $1 AND id = $2"
    )))
    .bind(t.demo_org().await)
    .bind(id)
    .fetch_one(&t.app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn procedures_fees_and_their_payment() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let cert = Form::of(&t, "証明書郵送").await;
        // The catalogue: both demo procedures, the fee and the free one, the way online.
        let page = t.client().get("/procedures").await;
        assert_eq!(page.status, StatusCode::OK);
        for text in ["施設の利用者登録申請", "証明書の郵送請求", "300円", "無料", "本人確認書類の写し"] {
            assert!(page.body.contains(text), "{text} missing");
        }
        assert!(page.body.contains(&format!("/cases/types/{}", cert.type_id)));
        assert!(!page.body.contains("民間提案(業務"), "proposals are not procedures");

        // The HQ adds a form to download: listed, downloadable by anyone.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq
            .post_multipart(&format!("/hq/cases/{}/documents", cert.type_id), &[("document_title", "郵送請求書")], ("document", "seikyu.pdf", PDF))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = t.client().get("/procedures").await;
        assert!(page.body.contains("郵送請求書"), "the new form shows (the cached page was dropped)");
        let doc: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE organization_id = $1 AND owner_kind = 'case_type'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let file = t.client().get(&format!("/documents/{doc}")).await;
        assert_eq!((file.status, file.bytes.as_slice()), (StatusCode::OK, PDF));

        // A fee-bearing application: owed and unpaid, shown to the applicant.
        let mut guest = t.client();
        let (id, number, key) = send(&t, &mut guest, &cert.voice(), cert.fields("住民票 2通", "住民票の写し", "就職の手続")).await;
        assert_eq!(column(&t, "payment_status", id).await, "unpaid");
        let lookup = guest.post("/cases/status", &[("number", &number), ("key", &key)]).await;
        assert!(lookup.body.contains("300円") && lookup.body.contains("未納"), "{}", lookup.body);

        // Staff of another department may not record it; a code that is not in the list is
        // refused beside the field; the HQ records it paid.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let res = staff.post(&format!("/staff/cases/{id}/payment"), &[("payment", "paid")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = hq.post(&format!("/staff/cases/{id}/payment"), &[("payment", "bitcoin")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-payment\""), "the message is beside the field");
        assert_eq!(column(&t, "payment_status", id).await, "unpaid");
        let res = hq.post(&format!("/staff/cases/{id}/payment"), &[("payment", "paid")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let lookup = guest.post("/cases/status", &[("number", &number), ("key", &key)]).await;
        assert!(lookup.body.contains("納付済"));

        // The payment seam: a provider's confirmation goes through the same step, audited as it.
        kyodo::cases::payment::record(
            &t.app,
            org,
            id,
            "refunded",
            kyodo::cases::payment::Source::Provider { name: "testpay", reference: "T-1" },
        )
        .await
        .unwrap();
        assert_eq!(column(&t, "payment_status", id).await, "refunded");
        // Audit entries wait in audit_pending until sealed into audit_log: either will do.
        let mut by_provider = 0;
        for table in ["audit_pending", "audit_log"] {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table} WHERE organization_id = $1 AND action = 'cases.payment' AND actor_label = 'payment:testpay'"
            )))
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
            by_provider += n;
        }
        assert_eq!(by_provider, 1, "audited as the provider");

        // A free procedure's case owes nothing: recording a payment is refused.
        let free = Form::of(&t, "利用者登録").await;
        let (fid, _, _) = send(&t, &mut guest, &free.voice(), free.fields("会津 花子", "個人", "")).await;
        let res = hq.post(&format!("/staff/cases/{fid}/payment"), &[("payment", "paid")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(column(&t, "payment_status", fid).await, "");

        // At the counter only: in the catalogue with the way to apply, but no online form.
        let ty = kyodo::cases::store::case_type(&t.app.db, org, free.type_id).await.unwrap().unwrap();
        let settings = [
            ("name", ty.name.as_str()), ("code", ty.code.as_str()), ("audience", "public"), ("kind", "application"),
            ("deadline_days", "10"), ("fee", "１，０００円"), ("offline_only", "1"),
        ];
        let res = hq.post(&format!("/hq/cases/{}", free.type_id), &settings).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = t.client().get("/procedures").await;
        assert!(page.body.contains("1,000円") && page.body.contains("窓口または郵送"));
        assert_eq!(t.client().get(&format!("/cases/types/{}", free.type_id)).await.status, StatusCode::NOT_FOUND);
        assert!(!t.client().get("/cases").await.body.contains("施設の利用者登録申請"));
        t
    })
    .await;
}

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

#[tokio::test]
async fn a_kinds_settings_are_checked_beside_their_fields() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let base = |kind: &'static str, audience: &'static str| {
            vec![
                ("name", "試験の種類"),
                ("code", "試験"),
                ("kind", kind),
                ("audience", audience),
                ("deadline_days", "10"),
            ]
        };
        // 働きかけ must be restricted; 職員提案 staff-only; a restricted kind never publishes.
        let res = hq.post("/hq/cases", &base("approach", "public")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-audience\"") && res.body.contains("試験の種類"));
        let res = hq
            .post("/hq/cases", &base("staff_proposal", "signed_in"))
            .await;
        assert!(res.body.contains("id=\"e-audience\""));
        let mut publishing = base("voice", "restricted");
        publishing.push(("publishable", "1"));
        assert!(
            hq.post("/hq/cases", &publishing)
                .await
                .body
                .contains("id=\"e-publishable\"")
        );
        let mut fee = base("application", "public");
        fee.push(("fee", "三百円"));
        assert!(
            hq.post("/hq/cases", &fee)
                .await
                .body
                .contains("id=\"e-fee\"")
        );
        assert!(
            hq.post("/hq/cases", &base("lottery", "public"))
                .await
                .body
                .contains("id=\"e-kind\"")
        );
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_types WHERE organization_id = $1 AND code = '試験'",
        )
        .bind(t.demo_org().await)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(n, 0, "nothing stored");
        t
    })
    .await;
}

/// 途中保存: a form saved with the contact typed so far, continued from the link (the answers
/// back in their fields), sent, and the draft gone.
#[tokio::test]
async fn a_case_form_is_saved_to_finish_later() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let cert = Form::of(&t, "証明書郵送").await;
        let mut guest = t.client();
        let mut fields = cert.fields("戸籍謄本 1通", "戸籍証明", "");
        fields.push(("email".into(), "hanako@example.jp".into()));
        let path = format!("/cases/types/{}", cert.type_id);
        let saved = guest.post_owned(&format!("{path}/draft"), &fields).await;
        assert_eq!(saved.status, StatusCode::OK);
        assert_eq!(saved.headers["cache-control"], "no-store");
        let from = saved.body.find("?resume=").unwrap() + "?resume=".len();
        let secret: String = saved.body[from..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(secret.len() >= 20, "{secret}");
        let drafts = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM survey_drafts WHERE organization_id = $1",
            )
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap()
        };
        assert_eq!(drafts().await, 1, "kept, not sent");
        assert_eq!(
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM cases WHERE organization_id = $1 AND type_id = $2"
            )
            .bind(org)
            .bind(cert.type_id)
            .fetch_one(&t.app.db)
            .await
            .unwrap(),
            1,
            "only the demo's case"
        );

        // Continued: what was typed is back, with the draft's secret to send it.
        let form = t.client().get(&format!("{path}?resume={secret}")).await;
        assert!(
            form.body.contains("戸籍謄本 1通") && form.body.contains("hanako@example.jp"),
            "{}",
            form.body
        );
        assert!(
            form.body
                .contains(&format!("name=\"resume\" value=\"{secret}\""))
        );
        let mut finish = cert.fields("戸籍謄本 1通", "戸籍証明", "相続の手続");
        finish.push(("resume".into(), secret.clone()));
        let (_, number, _) = send(&t, &mut guest, &cert.voice(), finish).await;
        assert!(number.contains("証明書郵送"));
        assert_eq!(drafts().await, 0, "sending deletes the draft");
        let again = t.client().get(&format!("{path}?resume={secret}")).await;
        assert!(
            again.body.contains("保存内容は見つかりませんでした")
                && !again.body.contains("戸籍謄本 1通")
        );
        t
    })
    .await;
}
