//! The kinds beside 市民の声, on both databases: the 手続一覧 with its forms and an offline
//! procedure, a fee and its payment (staff, and the payment seam), a kind's settings checked
//! beside their fields, and 途中保存 of a case form. Proposals and 働きかけ記録: `proposals.rs`.

use super::*;
use axum::http::StatusCode;

const PDF: &[u8] = b"%PDF-1.4\n% Kyodo procedure form\n";

/// A demo kind's form: type id, question ids (subject, 区分, body) and 区分's options.
pub(super) struct Form {
    pub(super) type_id: i64,
    pub(super) q: Vec<i64>,
    options: Vec<(String, i64)>,
}

impl Form {
    pub(super) async fn of(t: &TestApp, code: &str) -> Form {
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
    pub(super) fn fields(&self, subject: &str, choice: &str, body: &str) -> Vec<(String, String)> {
        let option = self.options.iter().find(|o| o.0 == choice).unwrap().1;
        vec![
            (format!("q{}", self.q[0]), subject.into()),
            (format!("q{}", self.q[1]), option.to_string()),
            (format!("q{}", self.q[2]), body.into()),
        ]
    }
    pub(super) fn voice(&self) -> Voice {
        Voice {
            type_id: self.type_id,
            q: [0; 4],
            options: Vec::new(),
        }
    }
}

pub(super) async fn column(t: &TestApp, sql: &str, id: i64) -> String {
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
        // As open data: the one CSV writer (demo row and name), listed in the catalogue.
        let csv = t.client().get("/procedures.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        let text = csv.body.trim_start_matches('\u{feff}');
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].contains("デモ") || lines[0].to_lowercase().contains("demo"), "{}", lines[0]);
        assert!(lines[1].starts_with("手続名,対象者,必要書類,手数料(円),申請方法"), "{}", lines[1]);
        assert!(text.contains("証明書の郵送請求") && text.contains(",300,オンライン,"), "{text}");
        assert!(text.contains(&format!("/cases/types/{}", cert.type_id)));
        let catalogue = t.client().get("/api/3/action/package_show?id=procedures").await;
        assert_eq!(catalogue.status, StatusCode::OK, "{}", catalogue.body);
        assert!(catalogue.body.contains("/procedures.csv"));

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
