use crate::support::*;
use axum::http::{StatusCode, header};
use kyodo::web::routes::ROUTES;

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    each_backend(|t| async move {
        let mut c = t.client();
        let kyodo_org = kyodo::accounts::service::create_organization(
            &t.app,
            "072028",
            "会津若松市",
            "Aizu-Wakamatsu",
        )
        .await;
        assert!(kyodo_org.is_ok());
        let res = c.get("/api/v1/openapi.json").await;
        assert_eq!(res.status, StatusCode::OK);
        let doc: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        for r in ROUTES.iter().filter(|r| r.path.starts_with("/api/v1/")) {
            assert!(
                doc["paths"][r.path][r.method].is_object(),
                "{} {} missing",
                r.method,
                r.path
            );
        }
        t
    })
    .await;
}

#[tokio::test]
async fn errors_use_one_envelope_in_the_users_language() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let res = c.get("/api/v1/me").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(v["error"]["code"], "unauthorized");
        assert!(v["error"]["message"].as_str().unwrap().contains("ログイン"));
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        admin.get("/prefs?lang=en").await;
        let res = admin
            .post_json(
                "/api/v1/admin/departments",
                &serde_json::json!({"code": "", "name": "", "level": "zz"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(v["error"]["code"], "invalid");
        let fields: Vec<&str> = v["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["code", "name", "level"]);
        assert_eq!(v["error"]["fields"][0]["message"], "Enter a value.");
        let res = admin
            .post_json("/api/v1/admin/departments", &serde_json::json!({"code": 5}))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        let res = admin
            .post_json(
                "/api/v1/admin/departments",
                &serde_json::json!({"code": "600", "name": "教育委員会", "level": "bu"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
        let users = admin.get("/api/v1/admin/users").await;
        assert!(users.body.contains("staff@demo.kyodo.jp"));
        assert!(
            !users.body.contains("password"),
            "hashes never leave the server"
        );
        let me = admin.get("/api/v1/me").await;
        assert!(me.body.contains("sysadmin"));
        t
    })
    .await;
}

#[tokio::test]
async fn public_api_carries_no_personal_data() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        for path in ["/api/v1/organization", "/api/v1/departments", "/"] {
            let res = c.get(path).await;
            assert_eq!(res.status, StatusCode::OK);
            for personal in ["@demo.kyodo.jp", "デモ 職員", "デモ 市民", "argon2"] {
                assert!(!res.body.contains(personal), "{path} leaks {personal}");
            }
        }
        t
    })
    .await;
}

/// A client that polls gets 304 with no body while the answer is unchanged, and the answer again
/// (with a new tag) once it changes.
#[tokio::test]
async fn api_reads_carry_an_etag_and_answer_304_while_unchanged() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let first = c.get("/api/v1/departments").await;
        assert_eq!(first.status, StatusCode::OK);
        let tag = first.headers[header::ETAG].to_str().unwrap().to_string();
        assert!(tag.starts_with('"') && tag.len() == 34, "{tag}");
        let ask = |c: &Client, tag: &str| {
            c.request("GET", "/api/v1/departments")
                .header(header::IF_NONE_MATCH, tag)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        let again = c.send(ask(&c, &tag)).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert!(again.bytes.is_empty());
        assert_eq!(again.headers[header::ETAG].to_str().unwrap(), tag);
        // Another department: the answer changes, and so does its tag.
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        let res = admin
            .post(
                "/admin/departments",
                &[("code", "ETAG1"), ("name", "広報広聴課"), ("level", "bu")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let changed = c.send(ask(&c, &tag)).await;
        assert_eq!(changed.status, StatusCode::OK);
        assert!(changed.body.contains("広報広聴課"));
        assert_ne!(changed.headers[header::ETAG].to_str().unwrap(), tag);
        t
    })
    .await;
}

/// The published evaluation years and their programmes, page by page with the cursor: together
/// exactly the rows of the year's open-data CSV.
#[tokio::test]
async fn evaluation_years_page_through_the_same_rows_as_the_csv() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let mut c = t.client();
        let years: serde_json::Value =
            serde_json::from_str(&c.get("/api/v1/evaluation/years").await.body).unwrap();
        let year = &years["years"][0];
        let first = year["programmes"].as_str().unwrap().to_string();
        let mut codes = Vec::new();
        let mut next = format!("{first}?limit=3");
        let total = loop {
            let page = c.get(&next).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let v: serde_json::Value = serde_json::from_str(&page.body).unwrap();
            let total = v["total"].as_u64().unwrap();
            let items = v["programmes"].as_array().unwrap();
            assert!(items.len() <= 3);
            codes.extend(
                items
                    .iter()
                    .map(|p| p["code"].as_str().unwrap().to_string()),
            );
            assert!(
                items
                    .iter()
                    .all(|p| p.get("total_general").is_none() || p["code"].is_string())
            );
            match v["next_cursor"].as_str() {
                Some(cursor) => next = format!("{first}?limit=3&cursor={cursor}"),
                None => break total,
            }
        };
        assert_eq!(codes.len() as u64, total);
        assert!(
            codes.windows(2).all(|w| w[0] < w[1]),
            "in code order, none twice"
        );
        // The same programmes as the CSV (after its header and the demo notice).
        let csv = c.get(year["csv"].as_str().unwrap()).await.body;
        let csv_codes: Vec<String> = csv
            .lines()
            .skip_while(|l| !l.trim_start_matches('\u{feff}').starts_with("fiscal_year,"))
            .skip(1)
            .filter_map(|l| l.split(',').nth(1).map(|c| c.trim_matches('"').to_string()))
            .collect();
        assert_eq!(csv_codes, codes);
        assert!(
            total >= 4,
            "the demo publishes a year of programmes: {total}"
        );
        let bad = c.get(&format!("{first}?limit=0")).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        t
    })
    .await;
}
