//! The staff side: routing by answer, who may work a case (its department, the HQ), transfer with a
//! reason, the work list's filters and deadlines (with the organization's own closed days), bulk
//! status, merging a duplicate, numbers under concurrent submissions, and a restricted type seen by
//! the HQ alone.

use super::*;
use axum::http::StatusCode;
use chrono::NaiveDate;

async fn dept(t: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM departments WHERE organization_id = $1 AND code = $2")
        .bind(t.demo_org().await)
        .bind(code)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn routing_transfer_deadlines_bulk_and_merge() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let (tax, tax_no, _) = send(&t, &mut guest, &v, v.fields("要望", "税・財政", "納税通知", "通知を早く")).await;
        let dept_of = |id: i64| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT department_id FROM cases WHERE organization_id = $1 AND id = $2")
                    .bind(org)
                    .bind(id)
                    .fetch_one(&db)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(dept_of(tax).await, dept(&t, "310").await, "routed by 分野");

        // Another department's case: staff of 企画調整課 read it but may not act.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(staff.get(&format!("/staff/cases/{tax}")).await.status, StatusCode::OK);
        let res = staff.post(&format!("/staff/cases/{tax}/answer"), &[("answer", "回答")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(status_of(&t, tax).await, "received");
        assert!(!staff.get("/staff/cases").await.body.contains(&tax_no), "not in the own department's list");
        assert!(staff.get("/staff/cases?department=all").await.body.contains(&tax_no));

        // The HQ transfers it: a reason is required.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let planning = dept(&t, "110").await.to_string();
        let res = hq.post(&format!("/staff/cases/{tax}/transfer"), &[("department", &planning), ("reason", "")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-reason\""));
        let res = hq.submit(&format!("/staff/cases/{tax}/transfer"), &[("department", &planning), ("reason", "企画の所管")]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(dept_of(tax).await, dept(&t, "110").await);
        assert!(staff.get("/staff/cases").await.body.contains(&tax_no));

        // Overdue: the deadline passed while open.
        sqlx::query("UPDATE cases SET due_on = '2000-01-04' WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(tax)
            .execute(&t.app.db)
            .await
            .unwrap();
        let overdue = staff.get("/staff/cases?due=overdue").await;
        assert!(overdue.body.contains(&tax_no) && overdue.body.contains("id=\"cases-found\">該当件数: 1<"), "{}", overdue.body);
        assert_eq!(staff.get("/staff/cases?due=someday").await.status, StatusCode::BAD_REQUEST);
        let csv = staff.get("/staff/cases.csv?due=overdue").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains(&tax_no) && csv.body.contains("整理番号"), "{}", csv.body);
        assert_eq!(csv.body.lines().filter(|l| l.contains("-市民の声-")).count(), 1, "the filter holds: {}", csv.body);
        // The daily reminder: the department's staff are mailed the overdue case.
        let actor = kyodo::audit::Actor::cli("test");
        let sent = kyodo::cases::reminders::remind(&t.app, org, &actor, &kyodo::surveys::store::today(), 2).await.unwrap();
        assert!(sent >= 1);
        let mails = t.outbox(org).await;
        let reminder = mails.iter().find(|m| m.body.contains(&tax_no) && m.subject.contains("回答期限")).expect("reminder");
        assert!(reminder.to.ends_with("@demo.kyodo.jp") && reminder.body.contains("期限超過"), "{}", reminder.body);

        // Bulk: two own cases to 確認中; one of another department makes the whole change refused.
        let (own, own_no, _) = send(&t, &mut guest, &v, v.fields("意見", "その他", "ごみ出し", "曜日を増やして")).await;
        let (other, _, _) = send(&t, &mut guest, &v, v.fields("意見", "窓口・職員の対応", "窓口", "親切だった")).await;
        let res = staff.post("/staff/cases/bulk", &[("status", "checking"), ("id", &tax.to_string()), ("id", &other.to_string())]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(status_of(&t, tax).await, "received", "nothing changed");
        let res = staff.submit("/staff/cases/bulk", &[("status", "checking"), ("id", &tax.to_string()), ("id", &own.to_string())]).await;
        assert!(res.body.contains("2件の状況を変更しました"), "{}", res.body);
        assert_eq!(status_of(&t, own).await, "checking");

        // Merge: the duplicate closes, linked; a number of no case is refused beside the field.
        let res = staff.post(&format!("/staff/cases/{own}/merge"), &[("into", "令和1-市民の声-99999")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-into\""));
        let res = staff.submit(&format!("/staff/cases/{own}/merge"), &[("into", &tax_no)]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(status_of(&t, own).await, "closed");
        let merged: Option<i64> = sqlx::query_scalar("SELECT merged_into FROM cases WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(own)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert_eq!(merged, Some(tax));
        assert!(!own_no.is_empty());

        // The organization's own closed day moves a deadline; national holidays and 年末年始 always do.
        sqlx::query("INSERT INTO org_holidays (organization_id, day, name) VALUES ($1, '2026-05-07', '市民の日')")
            .bind(org)
            .execute(&t.app.db)
            .await
            .unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let due = kyodo::cases::calendar::due_on(&t.app.db, org, d(2026, 4, 24), 10).await.unwrap();
        assert_eq!(due, d(2026, 5, 15), "Golden Week and 市民の日 skipped (5/14 without it)");
        let due = kyodo::cases::calendar::due_on(&t.app.db, org, d(2026, 12, 25), 3).await.unwrap();
        assert_eq!(due, d(2027, 1, 5), "年末年始 skipped");
        // After submissions, a transfer, answers and a merge, the kept counts agree with the cases
        // themselves: their totals, and everything the statistics show after a recount.
        use kyodo::cases::{public, tallies};
        let years = public::years(&t.app.db, org).await.unwrap();
        assert!(!years.is_empty());
        for fy in years {
            let kept = public::stats(&t.app.db, org, fy).await.unwrap();
            let (total, answered): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), COUNT(c.answered_at) FROM cases c JOIN case_types t \
                 ON t.organization_id = c.organization_id AND t.id = c.type_id WHERE c.organization_id = $1 \
                 AND c.fiscal_year = $2 AND t.publishable = 1 AND c.merged_into IS NULL",
            )
            .bind(org)
            .bind(fy)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
            assert!(total > 0);
            assert_eq!((kept.total, kept.answered), (total, answered), "{fy}");
            tallies::rebuild(&t.app.db, &t.app.writes, org).await.unwrap();
            let recounted = public::stats(&t.app.db, org, fy).await.unwrap();
            assert_eq!(format!("{kept:?}"), format!("{recounted:?}"), "{fy}");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn numbers_stay_unique_under_concurrent_submissions_and_restricted_cases_are_the_hqs() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let v = Voice::of(&t).await;
        let ty = kyodo::cases::store::case_type(&t.app.db, org, v.type_id).await.unwrap().unwrap();
        let organization = kyodo::accounts::organizations::by_id(&t.app.db, org).await.unwrap().unwrap();
        let sends = (0..16).map(|i| {
            let (app, ty, fields) = (t.app.clone(), ty.clone(), v.fields("意見", "その他", &format!("同時{i}"), "本文"));
            let organization = organization.clone();
            async move {
                kyodo::cases::submit::submit(&app, &organization, &ty, None, &fields, &Default::default(), Vec::new()).await.unwrap().number
            }
        });
        let mut numbers = futures_util::future::join_all(sends).await;
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 16, "every number once");
        let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM cases WHERE organization_id = $1 AND type_id = $2 ORDER BY seq")
            .bind(org)
            .bind(v.type_id)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        assert_eq!(seqs, (1..=19).collect::<Vec<i64>>(), "the demo's 3 and 16 more, no gap");
        // Each receipt's number is the one stored (PostgreSQL takes it before the case's transaction).
        let mut stored: Vec<String> = sqlx::query_scalar("SELECT number FROM cases WHERE organization_id = $1 AND type_id = $2 AND seq > 3")
            .bind(org)
            .bind(v.type_id)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        stored.sort();
        assert_eq!(stored, numbers, "receipts and stored numbers");

        // A restricted type (働きかけ記録): the HQ alone sends, lists and reads it.
        let survey: i64 = sqlx::query_scalar("SELECT form_survey_id FROM case_types WHERE organization_id = $1 AND id = $2")
            .bind(org)
            .bind(v.type_id)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO case_types (organization_id, id, code, name, audience, form_survey_id, deadline_days) \
             VALUES ($1, 777, '働きかけ2', '働きかけ記録(試験)', 'restricted', $2, 10)",
        )
        .bind(org)
        .bind(survey)
        .execute(&t.app.db)
        .await
        .unwrap();
        let restricted = Voice { type_id: 777, ..Voice::of(&t).await };
        assert_eq!(t.client().get("/cases/types/777").await.status, StatusCode::NOT_FOUND);
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        assert_eq!(staff.get("/cases/types/777").await.status, StatusCode::NOT_FOUND);
        assert!(!staff.get("/cases").await.body.contains("働きかけ記録"));
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        assert!(hq.get("/cases").await.body.contains("働きかけ記録(試験)"));
        let (id, number, _) = send(&t, &mut hq, &restricted, restricted.fields("意見", "その他", "議員からの要望", "記録")).await;
        assert!(number.contains("-働きかけ2-00001"), "{number}");
        assert_eq!(staff.get(&format!("/staff/cases/{id}")).await.status, StatusCode::NOT_FOUND);
        assert!(!staff.get("/staff/cases?department=all").await.body.contains(&number));
        let res = staff.post(&format!("/staff/cases/{id}/note"), &[("note", "見たい")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(hq.get("/staff/cases?department=all").await.body.contains(&number));
        assert_eq!(hq.get(&format!("/staff/cases/{id}")).await.status, StatusCode::OK);
        // Never on the public page.
        assert!(!t.client().get("/cases/voices").await.body.contains("議員からの要望"));
        t
    })
    .await;
}
