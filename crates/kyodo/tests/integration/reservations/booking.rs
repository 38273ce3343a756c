//! The booking rules through the pages: each refusal beside its field with nothing saved, the
//! citizen's 仮予約, the counter's 本予約 and 利用許可書, the loser of a slot told it is taken,
//! cancellation, the release of what was not completed, and 減免 arithmetic.

use super::*;
use axum::http::StatusCode;

async fn bookings(t: &TestApp) -> i64 {
    let org = t.demo_org().await;
    scalar(
        t,
        "SELECT COUNT(*) FROM rsv_bookings WHERE organization_id = $1",
        org,
    )
    .await
}

fn form<'a>(date: &'a str, slot: &'a str, attendees: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("date", date),
        ("slot", slot),
        ("purpose", "自治会の総会"),
        ("attendees", attendees),
    ]
}

#[tokio::test]
async fn a_citizen_books_the_counter_confirms_and_the_loser_is_told() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (hall, _, _) = demo_rooms(&t).await;
        let day = open_day(10);
        let d = iso(day);
        let month = day.format("%Y-%m").to_string();
        let grid = format!("/facilities/rooms/{hall}?month={month}");

        let mut anon = t.client();
        let list = anon.get("/facilities").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("市民交流センター(デモ)") && list.body.contains("デモデータ"));
        let page = anon.get(&grid).await;
        assert!(
            page.body.contains(&format!("book?date={d}&amp;slot=am")),
            "free cell links to the form"
        );

        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        let url = format!("/facilities/rooms/{hall}/book");
        assert_eq!(
            citizen.get(&format!("{url}?date={d}&slot=am")).await.status,
            StatusCode::OK
        );
        // Each refusal beside its field, nothing saved.
        let yesterday = iso(kyodo::reservations::today() - chrono::Duration::days(1));
        let far = iso(kyodo::reservations::today() + chrono::Duration::days(120));
        let mut monday = open_day(3);
        while monday.weekday() != chrono::Weekday::Mon {
            monday = monday.succ_opt().unwrap();
        }
        let monday = iso(monday);
        for (fields, message) in [
            (form(&yesterday, "am", "30"), "過ぎた日は予約できません"),
            (form(&far, "am", "30"), "まだ受け付けていません"),
            (form(&monday, "am", "30"), "この日は休館日です"),
            (form(&d, "am", "61"), "定員を超えています"),
            (form(&d, "morning", "30"), "一覧から選択してください"),
            (form("来週", "am", "30"), "令和7年11月24日 の形で"),
            (form(&d, "am", "たくさん"), "数値で入力してください"),
            (
                vec![("date", d.as_str()), ("slot", "am"), ("attendees", "3")],
                "入力してください",
            ),
        ] {
            let res = citizen.post(&url, &fields).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
            assert!(
                res.body.contains(message) && res.body.contains("aria-invalid=\"true\""),
                "{message}: {}",
                res.body
            );
        }
        assert_eq!(bookings(&t).await, 0);

        // Full-width digits as people type them.
        let res = citizen.submit(&url, &form(&d, "am", "３０")).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let fy = kyodo_jp::FiscalYear::containing(kyodo::reservations::today(), 4).0;
        let number = kyodo::reservations::booking::number_for(fy, 1);
        assert!(
            res.body.contains("仮予約を受け付けました") && res.body.contains(&number),
            "{}",
            res.body
        );
        assert!(res.body.contains("2,100円"), "resident fee, no reduction");
        let mails = t.outbox(org).await;
        assert!(
            mails.iter().any(|m| m.to == "citizen@demo.kyodo.jp"
                && m.body.contains(&number)
                && m.body.contains("手続きの期限")),
            "the receipt by mail"
        );

        // The public grid says 予約済 and nothing about who.
        let page = anon.get(&grid).await;
        assert!(!page.body.contains(&format!("book?date={d}&amp;slot=am")));
        assert!(page.body.contains(&format!("book?date={d}&amp;slot=pm")));
        for private in ["デモ 市民", "自治会の総会", &number] {
            assert!(!page.body.contains(private), "{private} on the public grid");
        }
        let ics = anon
            .get(&format!("/facilities/rooms/{hall}/calendar.ics"))
            .await;
        assert!(ics.body.contains(&format!(
            "DTSTART;TZID=Asia/Tokyo:{}T090000",
            d.replace('-', "")
        )));
        assert!(!ics.body.contains("デモ 市民"));

        // Not registered: told so. Registered: the slot is taken (409), another is free.
        let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
        let res = hq.post(&url, &form(&d, "night", "5")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("利用者登録(本登録)が済んでいません"));
        register_user(&t, "hq@demo.kyodo.jp", false).await;
        let res = hq.post(&url, &form(&d, "am", "5")).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        assert!(res.body.contains("ほかの方の予約が先に入りました"));
        let res = hq.submit(&url, &form(&d, "pm", "5")).await;
        assert!(
            res.body.contains("5,600円"),
            "non-resident fee: {}",
            res.body
        );

        // The counter: the day's list with names, 本予約, the permit.
        let id: i64 = sqlx::query_scalar(
            "SELECT id FROM rsv_bookings WHERE organization_id = $1 AND number = $2",
        )
        .bind(org)
        .bind(&number)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let counter = staff.get(&format!("/staff/facilities?date={d}")).await;
        assert!(counter.body.contains(&number) && counter.body.contains("デモ 市民"));
        assert_eq!(
            citizen
                .get(&format!("/staff/facilities/bookings/{id}/permit"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            staff
                .get(&format!("/staff/facilities/bookings/{id}/permit"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "no permit before 本予約"
        );
        let res = staff
            .submit(
                &format!("/staff/facilities/bookings/{id}/confirm"),
                &[("date", &d)],
            )
            .await;
        assert!(res.body.contains("本予約にしました"), "{}", res.body);
        // The facility's published 利用状況 counts the 本予約 and its fee.
        let facility_id: i64 =
            scalar(&t, "SELECT facility_id FROM rsv_rooms WHERE id = $1", hall).await;
        let f = kyodo::reservations::facilities::get(&t.app.db, org, facility_id)
            .await
            .unwrap()
            .unwrap();
        let fy = kyodo_jp::FiscalYear::containing(day, 4).0;
        let months = kyodo::reservations::utilisation::of_facility(&t.app.db, org, &f, fy)
            .await
            .unwrap();
        let m = months
            .iter()
            .find(|m| m.first.format("%Y-%m").to_string() == month)
            .unwrap();
        assert_eq!((m.used, m.revenue), (1, 2_100));
        assert!(m.available > 0);
        let page = anon.get(&format!("/facilities/{facility_id}")).await;
        assert!(
            page.body.contains("利用状況") && page.body.contains("<svg"),
            "{}",
            page.body
        );
        let permit = staff
            .get(&format!("/staff/facilities/bookings/{id}/permit"))
            .await;
        assert!(permit.body.contains("施設利用許可書") && permit.body.contains(&number));
        let pdf = staff.get(&format!("/staff/facilities/bookings/{id}/permit.pdf")).await;
        if std::path::Path::new(kyodo::config::DEFAULT_PDF_FONT).exists() {
            assert!(pdf.bytes.starts_with(b"%PDF-") && pdf.headers["content-disposition"].to_str().unwrap().contains("demo-permit-"));
            if let Some(text) = pdf_text(&t.data_dir, &pdf.bytes) {
                assert!(text.contains("施設利用許可書") && text.contains(&number) && text.contains("デモンストレーション"), "{text}");
            }
        }
        let res = staff
            .post(
                &format!("/staff/facilities/bookings/{id}/confirm"),
                &[("date", &d)],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "confirmed twice"
        );

        // Someone else's booking cannot be cancelled; one's own can, and the slot is free again.
        let res = hq
            .post(&format!("/facilities/bookings/{id}/cancel"), &[])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = citizen
            .submit(&format!("/facilities/bookings/{id}/cancel"), &[])
            .await;
        assert!(res.body.contains("予約を取り消しました"), "{}", res.body);
        let res = hq.post(&url, &form(&d, "am", "5")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        // Closing the room for repairs lists the bookings to contact, with telephones.
        let facility: i64 =
            scalar(&t, "SELECT facility_id FROM rsv_rooms WHERE id = $1", hall).await;
        let (fac, room) = (facility.to_string(), hall.to_string());
        let closure = |from: &'static str| {
            vec![
                ("facility".to_string(), fac.clone()),
                ("room".to_string(), room.clone()),
                ("starts_on".to_string(), from.to_string()),
                ("ends_on".to_string(), d.clone()),
                ("reason".to_string(), "空調の修理".to_string()),
            ]
        };
        let res = staff
            .post_owned("/staff/facilities/closures", &closure("2099-01-01"))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("開始日より前"));
        let mut fields = closure("");
        fields[2].1 = d.clone();
        let res = staff
            .post_owned("/staff/facilities/closures", &fields)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(
            res.body.contains("休館を設定しました") && res.body.contains("0242-39-1111"),
            "{}",
            res.body
        );
        let page = anon.get(&grid).await;
        assert!(
            !page.body.contains(&format!("book?date={d}&amp;slot=night")),
            "closed on the grid"
        );

        // A 仮予約 close to its day must be completed before the day begins (not 7 days later).
        let soon = open_day(2);
        let res = hq.post(&url, &form(&iso(soon), "night", "5")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let deadline: String = sqlx::query_scalar(
            "SELECT deadline FROM rsv_bookings WHERE organization_id = $1 AND used_on = $2 AND slot_code = 'night'",
        )
        .bind(org)
        .bind(iso(soon))
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let starts = soon
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_local_timezone(kyodo::i18n::jst())
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert!(deadline <= kyodo::db::timestamp(starts), "{deadline}");
        t
    })
    .await;
}

#[tokio::test]
async fn unconfirmed_bookings_are_released_and_exemptions_reduce_the_fee() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let (_, washitsu, _) = demo_rooms(&t).await;
        let day = open_day(8);
        let d = iso(day);
        let citizen_id = t.user_id(org, "citizen@demo.kyodo.jp").await;
        let fy = kyodo_jp::FiscalYear::containing(day, 4).0.to_string();

        // 減免 at the counter: a bad rate is refused beside its field; 50 % is registered.
        let mut staff = t.signed_in("staff@demo.kyodo.jp").await;
        let user = citizen_id.to_string();
        let res = staff
            .post(
                "/staff/facilities/exemptions",
                &[("user", &user), ("fiscal_year", &fy), ("category", "障害者団体"), ("rate_percent", "150")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("1から100までの数字"));
        let res = staff
            .submit(
                "/staff/facilities/exemptions",
                &[("user", &user), ("fiscal_year", &fy), ("category", "障害者団体"), ("rate_percent", "５０")],
            )
            .await;
        assert!(res.body.contains("減免を登録しました"), "{}", res.body);

        let mut citizen = t.signed_in("citizen@demo.kyodo.jp").await;
        let url = format!("/facilities/rooms/{washitsu}/book");
        let res = citizen.post(&url, &form(&d, "pm", "10")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mut commercial = form(&d, "night", "10");
        commercial.push(("commercial", "1"));
        assert_eq!(citizen.post(&url, &commercial).await.status, StatusCode::SEE_OTHER);
        let fees: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "SELECT slot_code, fee, exemption_percent, fee_due FROM rsv_bookings WHERE organization_id = $1 ORDER BY slot_code",
        )
        .bind(org)
        .fetch_all(&t.app.db)
        .await
        .unwrap();
        assert_eq!(
            fees,
            vec![("night".into(), 1_800, 0, 1_800), ("pm".into(), 800, 50, 400)],
            "半額 for residents, never for commercial use"
        );

        // The 午後 booking's deadline passes: the slot is free to others at once, the timer
        // marks it released and mails the user.
        sqlx::query(
            "UPDATE rsv_bookings SET deadline = '2000-01-01T00:00:00.000000Z' WHERE organization_id = $1 AND slot_code = 'pm'",
        )
        .bind(org)
        .execute(&t.app.db)
        .await
        .unwrap();
        let grid = t
            .client()
            .get(&format!("/facilities/rooms/{washitsu}?month={}", day.format("%Y-%m")))
            .await;
        assert!(grid.body.contains(&format!("book?date={d}&amp;slot=pm")), "released on the grid");
        assert!(!grid.body.contains(&format!("book?date={d}&amp;slot=night")));
        let mine = citizen.get("/facilities/my").await;
        assert!(mine.body.contains("期限切れ取消"));
        let pm: i64 = scalar(&t, "SELECT id FROM rsv_bookings WHERE organization_id = $1 AND slot_code = 'pm'", org).await;
        let res = staff
            .post(&format!("/staff/facilities/bookings/{pm}/confirm"), &[("date", &d)])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "too late for 本予約");
        assert!(res.body.contains("期限を過ぎています"));
        assert_eq!(
            kyodo::reservations::lifecycle::release_expired(&t.app, org).await.unwrap(),
            1
        );
        assert_eq!(
            kyodo::reservations::lifecycle::release_expired(&t.app, org).await.unwrap(),
            0,
            "released once"
        );
        let mails = t.outbox(org).await;
        assert!(
            mails.iter().any(|m| m.to == "citizen@demo.kyodo.jp" && m.subject.contains("仮予約の取消")),
            "the user is told"
        );
        register_user(&t, "manager@demo.kyodo.jp", true).await;
        let mut other = t.signed_in("manager@demo.kyodo.jp").await;
        assert_eq!(other.post(&url, &form(&d, "pm", "4")).await.status, StatusCode::SEE_OTHER);

        // The organization's limit on bookings held at once.
        sqlx::query("INSERT INTO org_settings (organization_id, key, value) VALUES ($1, 'reservations.per_user_limit', '2')")
            .bind(org)
            .execute(&t.app.db)
            .await
            .unwrap();
        let res = citizen.post(&url, &form(&d, "am", "4")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "second booking held");
        let res = citizen.post(&url, &form(&iso(open_day(15)), "am", "4")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("上限に達しています"));
        t
    })
    .await;
}
