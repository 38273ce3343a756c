use crate::support::*;
use axum::http::StatusCode;
use kyodo::web::routes::ROUTES;

/// The status a GET of `path` answers to `who` (`None`: anonymous) for the best of the ids tried.
fn expected_status(path: &str, who: Option<&str>) -> StatusCode {
    // Pages that need more than an id, whoever asks.
    match path {
        "/prefs" => return StatusCode::SEE_OTHER,
        "/metrics" => return StatusCode::NOT_FOUND, // no KYODO_METRICS_TOKEN configured
        "/api/v1/cases/stats" => return StatusCode::BAD_REQUEST, // needs its fiscal_year
        p if p.starts_with("/api/v1/minutes/") && !p.ends_with('}') => {
            return StatusCode::BAD_REQUEST; // a search without any condition, as the NDL API
        }
        "/attachments/{id}" => return StatusCode::NOT_FOUND, // no attachment among the ids
        "/documents/{id}" => return StatusCode::NOT_FOUND,   // no document among the ids
        // No case file among the ids (tests/integration/cases/files.rs downloads real ones).
        "/staff/case-files/{id}" if who.is_some() => return StatusCode::NOT_FOUND,
        "/councils/meetings/{id}/cancel" => return StatusCode::NOT_FOUND, // no mailed key
        "/verify" => return StatusCode::BAD_REQUEST,                      // no token
        "/consultations/opinions/{id}" => return StatusCode::NOT_FOUND,   // no look-up key
        "/consultations/subscription" => return StatusCode::NOT_FOUND,    // no token
        // Open311 finds a request by its number (令和8-市民の声-00001), never by a row id.
        "/api/open311/v2/requests/{id}" | "/api/open311/v2/tokens/{id}" => {
            return StatusCode::NOT_FOUND;
        }
        // The placeholder itself is no CKAN action (tests/integration/opendata.rs asks real ones).
        "/api/3/action/{action}" => return StatusCode::BAD_REQUEST,
        _ => {}
    }
    // Who may see what, by path (docs/ARCHITECTURE.md), independent of the route table.
    let needs = if path == "/adviser" || path.starts_with("/adviser/") {
        Some("adviser") // an adviser's own pages: no one else has any (tests/integration/participation/advisers.rs)
    } else if path.starts_with("/manager/facilities/") {
        Some("manager") // a 指定管理者 account's facilities: none assigned in the demo (reservations/manager_accounts.rs)
    } else if path == "/staff/evaluation/sheets/{id}" {
        Some("department sheet") // its department's staff and the reform HQ; hidden from others
    } else if path.starts_with("/admin") || path.starts_with("/api/v1/admin") {
        Some("admin")
    } else if path.starts_with("/hq") {
        Some("hq")
    } else if path.starts_with("/committee") {
        Some("committee") // members and the reform HQ that runs the committees
    } else if path.starts_with("/compliance") {
        Some("hq") // 働きかけ記録: the reform HQ and the compliance officer
    } else if path.starts_with("/staff")
        || matches!(path, "/account" | "/account/tokens")
        || path == "/api/v1/me"
        || path == "/facilities/my"
        || path == "/manager/facilities"
        || path == "/facilities/register"
        || path == "/facilities/rooms/{id}/book"
        || path == "/facilities/lotteries/{id}/apply"
    {
        Some("any")
    } else if path.starts_with("/plans/items/")
        && (path.ends_with("/change") || path.ends_with("/report"))
    {
        Some("department") // the item's departments and the reform HQ
    } else {
        None
    };
    if path == "/hq/evaluation/imports/{id}/report.csv" && who == Some("hq@demo.kyodo.jp") {
        return StatusCode::NOT_FOUND; // the upload among the ids is not applied
    }
    match (needs, who) {
        (Some(_), None) if path.starts_with("/api/") => StatusCode::UNAUTHORIZED,
        (None, _) => StatusCode::OK,
        (Some(_), None) => StatusCode::SEE_OTHER, // to the sign-in page
        (Some("admin"), Some(w)) if !w.starts_with("admin@") => StatusCode::FORBIDDEN,
        (Some("hq" | "committee"), Some(w)) if !w.starts_with("hq@") => StatusCode::FORBIDDEN,
        (Some("department"), Some(w)) if !w.starts_with("hq@") => StatusCode::FORBIDDEN,
        (Some("department sheet"), Some(w)) if !w.starts_with("hq@") => StatusCode::NOT_FOUND,
        (Some("adviser" | "manager"), Some(_)) => StatusCode::NOT_FOUND,
        _ => StatusCode::OK,
    }
}

#[tokio::test]
async fn every_page_renders_in_both_languages_with_headers_and_no_missing_strings() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let user = t.user_id(org, "staff@demo.kyodo.jp").await.to_string();
        // Every `{id}` route is tried with a user, the seed plan and an item with charts, so each
        // page renders at least once.
        let (plan, node): (i64, i64) = sqlx::query_as("SELECT plan_id, id FROM plan_nodes WHERE organization_id = $1 AND seed_ref = 'S-2.2.4'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        // 行政評価: a programme, a 施策, a published year and a sheet of the current year.
        let eval: (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT p.id, p.policy_node_id, c.id, s.id FROM programmes p \
             JOIN eval_sheets s ON s.organization_id = p.organization_id AND s.programme_id = p.id \
             JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id \
             WHERE p.organization_id = $1 AND p.code = '0102' AND c.fiscal_year = 2024",
        )
        .bind(org)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
        let measure: i64 = sqlx::query_scalar("SELECT id FROM policy_nodes WHERE organization_id = $1 AND number = '1-1'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        // Surveys: the open anonymous questionnaire and the latest closed wave.
        let survey = |audience: &'static str| {
            let db = t.app.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT id FROM surveys WHERE organization_id = $1 AND audience = $2 ORDER BY fiscal_year DESC",
                )
                .bind(org)
                .bind(audience)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        let (open_survey, wave) = (survey("public").await, survey("codes").await);
        // An uploaded workbook under review (the published year's own export).
        let import = {
            let mut hq = t.signed_in("hq@demo.kyodo.jp").await;
            let book = hq.get(&format!("/evaluation/cycles/{}/programmes.xlsx", eval.2)).await;
            let res = hq
                .post_multipart(&format!("/hq/evaluation/cycles/{}/import", eval.2), &[], ("file", "year.xlsx", &book.bytes))
                .await;
            res.location().rsplit('/').next().unwrap().to_string()
        };
        // 会議録: a demonstration meeting.
        let meeting: i64 = sqlx::query_scalar("SELECT id FROM minutes_meetings WHERE organization_id = $1 ORDER BY held_on LIMIT 1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        // 施設予約: a facility, its room and a 本予約 (its permit page needs one).
        let (facility, room): (i64, i64) = sqlx::query_as("SELECT facility_id, id FROM rsv_rooms WHERE organization_id = $1 AND name = '大会議室'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        let citizen = t.user_id(org, "citizen@demo.kyodo.jp").await;
        let form = kyodo::reservations::booking::BookingForm {
            date: crate::reservations::iso(crate::reservations::open_day(5)),
            slot: "am".into(),
            purpose: "総会".into(),
            attendees: "10".into(),
            commercial: String::new(),
        };
        let booking = kyodo::reservations::booking::book(&t.app, org, citizen, room, &form, kyodo::reservations::today())
            .await
            .unwrap()
            .id;
        kyodo::reservations::lifecycle::confirm(&t.app, org, citizen, booking).await.unwrap();
        // 抽選: a drawn lottery of the 大会議室 for the month after next.
        let first = kyodo::reservations::today().checked_add_months(chrono::Months::new(2)).unwrap();
        let lottery = kyodo::reservations::lottery::create(&t.app, org, citizen, room, &first.format("%Y-%m").to_string(), "2020-01-01", "2020-01-02")
            .await
            .unwrap();
        kyodo::reservations::lottery::run_draw(&t.app, org, &kyodo::audit::Actor::system(), lottery).await.unwrap();
        let designated: i64 = sqlx::query_scalar("SELECT id FROM rsv_facilities WHERE organization_id = $1 AND manager_kind = 'designated'")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        // 意見公募: the demo's open consultation (its opinion form) and its published one.
        let consultations: Vec<i64> = sqlx::query_scalar("SELECT id FROM pc_consultations WHERE organization_id = $1 ORDER BY result_state")
            .bind(org)
            .fetch_all(&t.app.db)
            .await
            .unwrap();
        // The first record of each table whose pages take an id (councils, finances).
        let mut first_ids = Vec::new();
        for table in ["fin_bids", "fin_outlooks", "fin_statement_sets", "fin_editions", "cn_calls", "cn_meetings", "cn_bodies"] {
            let id: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT MIN(id) FROM {table} WHERE organization_id = $1")))
                .bind(org)
                .fetch_one(&t.app.db)
                .await
                .unwrap();
            first_ids.push(id.to_string());
        }
        // 窓口: the demo's 市民の声 type and one of its cases.
        let (case_type, case): (i64, i64) = sqlx::query_as("SELECT type_id, MIN(id) FROM cases WHERE organization_id = $1 GROUP BY type_id")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        first_ids.extend([case_type.to_string(), case.to_string()]);
        let mut ids = first_ids;
        ids.extend([
            designated.to_string(),
            consultations[0].to_string(),
            consultations[1].to_string(),
            lottery.to_string(),
            facility.to_string(),
            room.to_string(),
            booking.to_string(),
            open_survey.to_string(),
            wave.to_string(),
            user,
            plan.to_string(),
            node.to_string(),
            eval.0.to_string(),
            measure.to_string(),
            eval.2.to_string(),
            eval.3.to_string(),
            import,
            meeting.to_string(),
        ]);
        for lang in ["ja", "en"] {
            for who in [None, Some("hq@demo.kyodo.jp"), Some("admin@demo.kyodo.jp")] {
                let mut c = match who {
                    Some(e) => t.signed_in(e).await,
                    None => t.client(),
                };
                c.get(&format!("/prefs?lang={lang}")).await;
                // The status each page must answer, worked out apart from the route table's guard:
                // from who is asking and the route's documented access, with the few pages that
                // need more than an id named (every page with an id answers 200 for one of them).
                let mut best: std::collections::HashMap<&str, StatusCode> = Default::default();
                for (r, id) in ROUTES.iter().filter(|r| r.method == "get").flat_map(|r| ids.iter().map(move |id| (r, id))) {
                    if !r.path.contains("{id}") && id != &ids[0] {
                        continue;
                    }
                    let res = c.get(&r.path.replace("{id}", id)).await;
                    assert!(
                        !res.status.is_server_error(),
                        "{} answered {} as {who:?}",
                        r.path,
                        res.status
                    );
                    // 200 for some id beats any refusal, and a refusal beats "no such id".
                    let seen = best.entry(r.path).or_insert(res.status);
                    if res.status == StatusCode::OK || *seen == StatusCode::NOT_FOUND {
                        *seen = res.status;
                    }
                    for h in [
                        "content-security-policy",
                        "x-content-type-options",
                        "referrer-policy",
                        "x-frame-options",
                        "permissions-policy",
                    ] {
                        assert!(res.headers.contains_key(h), "{} lacks {h}", r.path);
                    }
                    let csp = res.headers["content-security-policy"].to_str().unwrap();
                    assert!(csp.contains("frame-ancestors 'none'"));
                    let is_html = res
                        .headers
                        .get("content-type")
                        .is_some_and(|v| v.to_str().unwrap().starts_with("text/html"));
                    if res.status == StatusCode::OK && is_html {
                        assert!(
                            res.body.contains(&format!("<html lang=\"{lang}\">")),
                            "{} not in {lang}",
                            r.path
                        );
                        assert!(
                            res.body.contains("<main id=\"main\""),
                            "{} has no main landmark",
                            r.path
                        );
                        assert!(res.body.contains("<h1"), "{} has no heading", r.path);
                    }
                }
                for r in ROUTES.iter().filter(|r| r.method == "get") {
                    let want = expected_status(r.path, who);
                    assert_eq!(best[r.path], want, "GET {} as {who:?}", r.path);
                }
            }
        }
        assert!(
            kyodo::i18n::missing_keys().is_empty(),
            "missing catalogue keys: {:?}",
            kyodo::i18n::missing_keys()
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_home_page_shows_wareki_and_the_fiscal_year() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let res = c.get("/").await;
        assert!(
            res.body.contains("令和") && res.body.contains("年度("),
            "{}",
            res.body
        );
        assert!(res.body.contains("企画政策部"));
        c.get("/prefs?lang=en").await;
        let res = c.get("/").await;
        assert!(res.body.contains("(Reiwa ") && res.body.contains("FY20"));
        assert!(res.body.contains("Planning and Policy Department"));
        t
    })
    .await;
}

#[tokio::test]
async fn preferences_persist_and_never_redirect_off_site() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let res = c.get("/prefs?text=xl&contrast=high&back=%2Flogin").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.location(), "/login");
        let page = c.get("/login").await;
        assert!(page.body.contains("text-xl contrast-high"));
        for evil in [
            "%2F%2Fevil.example",
            "https%3A%2F%2Fevil.example",
            "%2F%5Cevil.example",
        ] {
            let res = c.get(&format!("/prefs?lang=en&back={evil}")).await;
            assert_eq!(res.location(), "/", "{evil}");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn health_metrics_and_not_found() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let res = c.get("/healthz").await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("\"database\":true"));
        // Metrics only with the configured token (counters of every organization).
        assert_eq!(c.get("/metrics").await.status, StatusCode::NOT_FOUND);
        let mut config = (*t.app.config).clone();
        config.metrics_token = Some("scraper-token-0123456789".into());
        let app = kyodo::app::App::open(config).await.unwrap();
        let with_token = kyodo::web::router(app);
        let send = |auth: &'static str| {
            let r = with_token.clone();
            async move {
                let mut req = axum::http::Request::get("/metrics").header("host", HOST);
                if !auth.is_empty() {
                    req = req.header("authorization", auth);
                }
                let res =
                    tower::ServiceExt::oneshot(r, req.body(axum::body::Body::empty()).unwrap())
                        .await
                        .unwrap();
                let status = res.status();
                let body = http_body_util::BodyExt::collect(res.into_body())
                    .await
                    .unwrap()
                    .to_bytes();
                (status, String::from_utf8_lossy(&body).into_owned())
            }
        };
        assert_eq!(send("").await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(
            send("Bearer wrong-token-0123456789").await.0,
            StatusCode::UNAUTHORIZED
        );
        let (status, body) = send("Bearer scraper-token-0123456789").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains("kyodo_http_requests_total{class=\"2xx\"}"),
            "{body}"
        );
        let res = c.get("/no/such/page").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(res.body.contains("見つかりませんでした"));
        t
    })
    .await;
}

#[tokio::test]
async fn a_closed_database_gives_503_not_500() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.signed_in("admin@demo.kyodo.jp").await;
        // Warm the organization cache, then take the database away.
        c.get("/").await;
        t.app.db.close().await;
        for path in ["/healthz", "/admin/users", "/"] {
            let res = c.get(path).await;
            assert_eq!(
                res.status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{path}: {}",
                res.body
            );
        }
        t
    })
    .await;
}
