//! 行政評価: the whole cycle through the pages (department → HQ 二次 → committee 外部 → final →
//! published), bad input beside its fields with nothing stored, department scoping, locking after
//! the final decision — on both backends.

use super::*;
use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_whole_cycle_from_department_to_published_page() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let committee: i64 = sqlx::query_scalar(
            "SELECT id FROM committees WHERE organization_id = $1 AND name LIKE '行政評価委員会%'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();

        // Opening a year: a bad date is refused beside its field; then one sheet per active programme.
        let res = hq
            .post(
                "/hq/evaluation/cycles",
                &[("fiscal_year", "2026"), ("sheets_due", "5月の末")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-sheets_due\""), "{}", res.body);
        let c = committee.to_string();
        let res = hq
            .post(
                "/hq/evaluation/cycles",
                &[
                    ("fiscal_year", "2026"),
                    ("committee_id", &c),
                    ("sheets_due", "令和9年5月31日"),
                    ("publish_on", "2027-11-30"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let cycle: i64 = res.location().rsplit('/').next().unwrap().parse().unwrap();
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM eval_sheets WHERE cycle_id = $1",
                cycle
            )
            .await,
            30
        );
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM eval_cycles WHERE id = $1 AND sheets_due = '2027-05-31'",
                cycle
            )
            .await,
            1
        );
        let res = hq
            .post("/hq/evaluation/cycles", &[("fiscal_year", "2026")])
            .await;
        assert!(
            res.body.contains("id=\"e-fiscal_year\""),
            "a second 2026 is refused"
        );
        // Reminders go to the staff of divisions with unsubmitted sheets.
        let before = t.outbox(org).await.len();
        let res = hq
            .submit(&format!("/hq/evaluation/cycles/{cycle}/remind"), &[])
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let mail = t.outbox(org).await;
        assert!(mail.len() > before);
        assert!(
            mail.iter()
                .any(|m| m.to == "staff@demo.kyodo.jp" && m.subject.contains("事務事業評価シート") && m.body.contains("令和9年(2027年)5月31日")),
            "{mail:?}"
        );

        // The department (企画調整課) sees its sheet; bad input is reported beside each field, nothing stored.
        let sheet = sheet_of(&t, org, "0301", 2026).await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let list = staff.get("/staff/evaluation").await;
        assert!(
            list.body
                .contains(&format!("/staff/evaluation/sheets/{sheet}"))
        );
        let path = format!("/staff/evaluation/sheets/{sheet}");
        let res = staff
            .post(
                &format!("{path}/submit"),
                &[
                    ("cost-settled-general", "12.5"),
                    ("fte-settled-regular", "たくさん"),
                    ("cost-budget-national", "-3"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for f in [
            "cost-settled-general",
            "fte-settled-regular",
            "cost-budget-national",
            "score-necessity",
            "operator",
            "direction",
            "reason",
        ] {
            assert!(
                res.body.contains(&format!("id=\"e-{f}\"")),
                "no message beside {f}"
            );
        }
        assert!(
            res.body.contains("value=\"12.5\""),
            "what was typed is kept"
        );
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM eval_costs WHERE sheet_id = $1",
                sheet
            )
            .await,
            0
        );
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM eval_sheets WHERE id = $1 AND stage = 'draft'",
                sheet
            )
            .await,
            1
        );

        // Another department's sheet is not this staff member's to write.
        let other = sheet_of(&t, org, "0401", 2026).await;
        let res = staff
            .post(
                &format!("/staff/evaluation/sheets/{other}"),
                &[("issues", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // Nor to read: a draft names its contact and phone (the probe read one with a 200).
        let res = staff.get(&format!("/staff/evaluation/sheets/{other}")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "another department's sheet");
        let res = staff.get(&format!("/staff/evaluation/sheets/{sheet}")).await;
        assert_eq!(res.status, StatusCode::OK, "the department's own sheet");

        // A complete submission; the total is computed (0.5 staff-years × the 2025 rate 8,400 = 4,200).
        let mut form = vec![
            ("issues", "窓口の待ち時間が長い"),
            ("contact_name", "会津 花子"),
            ("contact_phone", "0242-39-9999"),
            ("cost-settled-national", "1,000"),
            ("cost-settled-general", "2500"),
            ("cost-next_budget-general", "3,000"),
            ("fte-settled-regular", "0.5"),
            ("operator", "city"),
            ("direction", "improve"),
            ("reason", "手続の電子化で効率化できる"),
            ("improvement", "申請の電子化"),
        ];
        for c in ["necessity", "effectiveness", "efficiency", "fairness"] {
            form.push((Box::leak(format!("score-{c}").into_boxed_str()), "2"));
        }
        let submit = format!("{path}/submit");
        let res = staff.submit(&submit, &form).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(
            res.body.contains("7,700"),
            "total cost 1,000 + 2,500 + 4,200"
        );
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM eval_sheets WHERE id = $1 AND stage = 'first'",
                sheet
            )
            .await,
            1
        );
        let res = staff.post(&submit, &form).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "a submitted sheet is no longer the department's to edit"
        );

        // 所属長承認 first: the HQ cannot give 二次評価 yet; the department head approves.
        let hq_path = format!("/hq/evaluation/sheets/{sheet}/verdict");
        let early = hq
            .post(&hq_path, &verdict("outsource", "improve", "早すぎる二次評価"))
            .await;
        assert_eq!(early.status, StatusCode::BAD_REQUEST);
        assert!(early.body.contains("所属長の承認を待っています"), "{}", early.body);
        let sheet_page = hq.get(&format!("/staff/evaluation/sheets/{sheet}")).await;
        assert!(sheet_page.body.contains("この評価シートは所属長の承認を待っています"), "the HQ sees why there is no verdict form");
        assert!(staff.get("/staff/evaluation").await.body.contains("所属長承認"), "the staff see what it awaits");
        let mut manager = t.signed_in("manager@demo.kyodo.jp").await;
        let page = manager.get(&path).await;
        assert!(page.body.contains("所属長として承認し、行革本部に回す"), "{}", page.body);
        let approval = format!("{path}/approval");
        assert_eq!(staff.post(&approval, &[]).await.status, StatusCode::FORBIDDEN);
        let res = manager.submit(&approval, &[]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            manager.post(&approval, &[]).await.status,
            StatusCode::FORBIDDEN,
            "approved once; nothing waits for the manager any more"
        );
        // HQ: 二次評価 (bad verdict first), then chooses the sheet for 外部評価.
        let res = hq.post(&hq_path, &verdict("nobody", "", "")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-operator\"") && res.body.contains("id=\"e-direction\""));
        let res = hq
            .submit(
                &hq_path,
                &verdict("outsource", "improve", "委託化で費用を抑えられる"),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = hq.submit(&format!("/hq/evaluation/sheets/{sheet}/external"), &[]).await;
        assert_eq!(res.status, StatusCode::OK);

        // The committee member sees it without the internal contact details and records 外部評価.
        let mut member = t.signed_in("committee@demo.kyodo.jp").await;
        let list = member.get("/committee/evaluation").await;
        assert!(
            list.body
                .contains(&format!("/committee/evaluation/sheets/{sheet}"))
        );
        let page = member
            .get(&format!("/committee/evaluation/sheets/{sheet}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("0242-39-9999") && !page.body.contains("会津 花子"));
        let res = member
            .post(
                &format!("/committee/evaluation/sheets/{sheet}"),
                &verdict("partnership", "merge", "類似事業と統合すべき"),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // The HQ cannot give the committee's verdict.
        let other_sheet = sheet_of(&t, org, "0302", 2026).await;
        let res = member
            .get(&format!("/committee/evaluation/sheets/{other_sheet}"))
            .await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "not chosen for external evaluation"
        );
        let file = member.get(&format!("/evaluation/sheets/{other_sheet}/sheet.xlsx")).await;
        assert_eq!(file.status, StatusCode::NOT_FOUND, "nor its file before publication");
        let file = member.get(&format!("/evaluation/sheets/{sheet}/sheet.xlsx")).await;
        assert_eq!(file.status, StatusCode::OK, "the chosen sheet's file is theirs to read");

        // Final decision locks the sheet; every stage stays side by side.
        let res = hq
            .submit(
                &hq_path,
                &verdict("outsource", "merge", "外部評価を踏まえ統合する"),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM eval_verdicts WHERE sheet_id = $1",
                sheet
            )
            .await,
            4
        );
        let res = hq
            .post(&hq_path, &verdict("city", "continue", "やり直し"))
            .await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "a final sheet is locked"
        );
        let res = hq.post(&format!("/hq/evaluation/sheets/{sheet}/return"), &[]).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);

        // Published: the public page shows the year with four verdicts, no contact details.
        let programme = scalar(
            &t,
            "SELECT programme_id FROM eval_sheets WHERE id = $1",
            sheet,
        )
        .await;
        let public = format!("/evaluation/programmes/{programme}");
        let before = t.client().get(&public).await;
        assert!(
            !before.body.contains("類似事業と統合すべき"),
            "unpublished years stay internal"
        );
        let res = hq
            .submit(&format!("/hq/evaluation/cycles/{cycle}/publish"), &[("confirm", "1")])
            .await;
        assert_eq!(res.status, StatusCode::OK);
        // The reform verdict is carried out as the seed plan's S-2.3.6 item; its page shows it.
        let item: i64 = sqlx::query_scalar("SELECT id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = 'S-2.3.6' AND trackable = 1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let link = format!("/hq/evaluation/sheets/{sheet}/plan-link");
        let res = hq.submit(&link, &[("plan_item", &item.to_string())]).await;
        assert_eq!(res.status, StatusCode::OK);
        let res = hq.post(&link, &[("plan_item", &sheet.to_string())]).await;
        assert!(res.body.contains("id=\"e-plan_item\""), "only plan items can be linked");
        let item_page = t.client().get(&format!("/plans/items/{item}")).await;
        assert!(item_page.body.contains("行政評価システム運営") && item_page.body.contains(&format!("/evaluation/programmes/{programme}")));
        let page = t.client().get(&public).await;
        for text in [
            "類似事業と統合すべき",
            "外部評価を踏まえ統合する",
            "委託化で費用を抑えられる",
            "手続の電子化で効率化できる",
            "7,700",
        ] {
            assert!(page.body.contains(text), "public page lacks {text}");
        }
        assert!(!page.body.contains("0242-39-9999") && !page.body.contains("会津 花子"));
        sheet_files(&t, sheet).await;
        let csv = t
            .client()
            .get(&format!("/evaluation/cycles/{cycle}/programmes.csv"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains("行政評価システム運営") && !csv.body.contains("会津 花子"));
        t
    })
    .await;
}
