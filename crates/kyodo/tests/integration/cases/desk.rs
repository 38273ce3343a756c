//! A guest's 市民の声 from the form to the published answer: refused input kept beside its field
//! with nothing stored, the receipt's number and key (and the mail), look-up that never tells a
//! wrong number from a wrong key and waits after repeated misses, staff answering, the submitter's
//! view without internal notes, and the public page showing only the redacted text.

use super::*;
use axum::http::StatusCode;

/// Cases of the demo's 市民の声 (the other kinds number their own).
async fn count(t: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases c JOIN case_types k ON k.organization_id = c.organization_id AND k.id = c.type_id \
         WHERE c.organization_id = $1 AND k.code = '市民の声'",
    )
        .bind(t.demo_org().await)
        .fetch_one(&t.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_guests_voice_is_numbered_looked_up_answered_and_published_redacted() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let desk = guest.get("/cases").await;
        assert_eq!(desk.status, StatusCode::OK);
        assert!(
            desk.body
                .contains(&format!("href=\"/cases/types/{}\"", v.type_id)),
            "{}",
            desk.body
        );
        let form = guest.get(&format!("/cases/types/{}", v.type_id)).await;
        assert!(
            form.body.contains("件名") && form.body.contains("name=\"consent\""),
            "{}",
            form.body
        );

        // Bad input: beside its field, what was typed kept, nothing stored.
        let before = count(&t).await;
        let mut bad = v.fields("要望", "その他", "", "街灯が暗い<script>");
        bad.push(("email".into(), "not-an-address".into()));
        bad.push(("latitude".into(), "137.5".into()));
        let res = guest
            .post_owned(&format!("/cases/types/{}", v.type_id), &bad)
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in [format!("q{}", v.q[2]), "email".into(), "latitude".into()] {
            assert!(
                res.body.contains(&format!("id=\"e-{field}\"")),
                "{field}: {}",
                res.body
            );
        }
        assert!(
            res.body.contains("街灯が暗い&#60;script&#62;") && !res.body.contains("<script>"),
            "kept, escaped: {}",
            res.body
        );
        assert_eq!(count(&t).await, before);

        // Sent: number, key, deadline, mail.
        let mut good = v.fields(
            "要望",
            "その他",
            "街灯が暗い",
            "駅前の公園の街灯が暗く、夜道が不安です。私の電話は0242-99-9999です。",
        );
        good.extend([
            ("email".into(), "taro@example.jp".into()),
            ("name".into(), "会津 太郎".into()),
            ("consent".into(), "1".into()),
        ]);
        let (id, number, key) = send(&t, &mut guest, &v, good).await;
        let fy = kyodo_jp::FiscalYear::containing(chrono::Utc::now().date_naive(), 4);
        let era = fy.era().map(|(e, n)| format!("{}{n}", e.kanji())).unwrap();
        assert_eq!(
            number,
            format!("{era}-市民の声-{:05}", before + 1),
            "the demo's three come first"
        );
        assert_eq!(key.len(), 12);
        let (due, dept): (String, i64) = sqlx::query_as(
            "SELECT due_on, department_id FROM cases WHERE organization_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let today =
            chrono::NaiveDate::parse_from_str(&kyodo::surveys::store::today(), "%Y-%m-%d").unwrap();
        let expected = kyodo::cases::calendar::office_days_after(today, 10, &Default::default());
        assert_eq!(due, expected.to_string());
        let planning: i64 = sqlx::query_scalar(
            "SELECT id FROM departments WHERE organization_id = $1 AND code = '110'",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(dept, planning, "その他 goes to the type's own department");
        let mail = t
            .outbox(org)
            .await
            .into_iter()
            .find(|m| m.to == "taro@example.jp")
            .expect("receipt mail");
        assert!(mail.body.contains(&number) && mail.body.contains(&key));

        // Look-up: a wrong key and an unknown number get the same answer.
        let wrong_key = guest
            .post(
                "/cases/status",
                &[("number", &number), ("key", "AAAAAAAAAAAA")],
            )
            .await;
        let no_number = guest
            .post(
                "/cases/status",
                &[("number", "令和1-市民の声-99999"), ("key", &key)],
            )
            .await;
        assert_eq!(wrong_key.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(no_number.status, wrong_key.status);
        for r in [&wrong_key, &no_number] {
            assert!(
                r.body.contains("整理番号またはアクセスキーが違います"),
                "{}",
                r.body
            );
        }
        // Full-width digits as typed from the mail on a phone.
        let typed: String = number
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()
                } else {
                    c
                }
            })
            .collect();
        let page = guest
            .post("/cases/status", &[("number", &typed), ("key", &key)])
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.headers.get("cache-control").unwrap(), "no-store");
        // A hit does not clear the misses: one's own key buys no more guesses.
        let misses: i64 = sqlx::query_scalar(
            "SELECT failures FROM case_lookup_delays WHERE organization_id = $1",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        assert_eq!(misses, 2);
        assert!(
            page.body.contains("受付") && page.body.contains("駅前の公園の街灯"),
            "{}",
            page.body
        );

        // Staff: an internal note, then the answer (mailed).
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let work = staff.get("/staff/cases").await;
        assert!(
            work.body.contains(&number),
            "own department's list: {}",
            work.body
        );
        let res = staff
            .submit(
                &format!("/staff/cases/{id}/note"),
                &[("note", "内部: 公園緑地課に照会済み")],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let res = staff
            .post(&format!("/staff/cases/{id}/answer"), &[("answer", "")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("id=\"e-answer\""));
        let res = staff
            .submit(
                &format!("/staff/cases/{id}/answer"),
                &[("answer", "街灯を2基増設します。")],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(status_of(&t, id).await, "answered");
        assert!(
            t.outbox(org)
                .await
                .iter()
                .any(|m| m.to == "taro@example.jp" && m.body.contains("街灯を2基増設します"))
        );

        // The submitter sees the answer, never the note.
        let page = guest
            .post("/cases/status", &[("number", &number), ("key", &key)])
            .await;
        assert!(
            page.body.contains("回答済") && page.body.contains("街灯を2基増設します"),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains("公園緑地課に照会済み"),
            "internal note leaked"
        );

        // Published redacted: the public page shows the redacted text only.
        let res = staff
            .submit(
                &format!("/staff/cases/{id}/publish"),
                &[
                    ("public_text", "公園の街灯を明るくしてほしい。"),
                    ("public_answer", "街灯を2基増設します。"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let public = t.client().get("/cases/voices").await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(
            public.body.contains("公園の街灯を明るくしてほしい。"),
            "{}",
            public.body
        );
        for private in [
            "0242-99-9999",
            "会津 太郎",
            "taro@example.jp",
            "駅前の公園の街灯が暗く",
            "公園緑地課",
        ] {
            assert!(
                !public.body.contains(private),
                "{private} on the public page"
            );
        }
        assert!(
            public.body.contains("id=\"cases-total\">4<"),
            "the demo's 3 and this one: {}",
            public.body
        );

        // Repeated misses: the address waits, even with the right key.
        for _ in 0..kyodo::cases::lookup::DELAY_AFTER {
            guest
                .post(
                    "/cases/status",
                    &[("number", &number), ("key", "BBBBBBBBBBBB")],
                )
                .await;
        }
        let res = guest
            .post("/cases/status", &[("number", &number), ("key", &key)])
            .await;
        assert!(res.body.contains("しばらくしてから"), "{}", res.body);

        // Withdrawing an answered case is refused; the submitter's reply too.
        assert_eq!(status_of(&t, id).await, "answered");
        t
    })
    .await;
}

#[tokio::test]
async fn a_submitter_answers_a_request_for_more_and_withdraws() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let v = Voice::of(&t).await;
        let mut guest = t.client();
        let (id, number, key) = send(
            &t,
            &mut guest,
            &v,
            v.fields("苦情", "その他", "騒音", "夜間の工事がうるさい。"),
        )
        .await;
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let res = staff
            .submit(
                &format!("/staff/cases/{id}/message"),
                &[("message", "場所を教えてください。"), ("ask", "1")],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(status_of(&t, id).await, "returned");
        let page = guest
            .post("/cases/status", &[("number", &number), ("key", &key)])
            .await;
        assert!(
            page.body.contains("場所を教えてください。")
                && page.body.contains("市からの依頼に返信する"),
            "{}",
            page.body
        );
        let res = guest
            .post(
                "/cases/status/reply",
                &[
                    ("number", &number),
                    ("key", &key),
                    ("body", "本町1丁目です。"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(status_of(&t, id).await, "in_progress");
        // A wrong key cannot reply or withdraw.
        let res = guest
            .post(
                "/cases/status/withdraw",
                &[("number", &number), ("key", "CCCCCCCCCCCC")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status_of(&t, id).await, "in_progress");
        let res = guest
            .post(
                "/cases/status/withdraw",
                &[("number", &number), ("key", &key)],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(status_of(&t, id).await, "withdrawn");
        let page = staff.get(&format!("/staff/cases/{id}")).await;
        assert!(
            page.body.contains("本町1丁目です。") && page.body.contains("取下げ"),
            "{}",
            page.body
        );
        let res = guest
            .post(
                "/cases/status/reply",
                &[("number", &number), ("key", &key), ("body", "やはり")],
            )
            .await;
        assert!(res.body.contains("すでに終わっています"), "{}", res.body);
        t
    })
    .await;
}
