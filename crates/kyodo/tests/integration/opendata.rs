//! The open-data catalogue driven as a CKAN harvester drives a site (the national and BODIK
//! catalogues harvest municipal CKANs this way): list the packages, read each, fetch every
//! resource it names, search with filters and paging, then read the DCAT JSON-LD. Only published
//! data is listed, each organization sees its own, and the licence is the organization's choice.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::Value;

async fn action(c: &mut Client, query: &str) -> (StatusCode, Value) {
    let res = c.get(&format!("/api/3/action/{query}")).await;
    let v: Value =
        serde_json::from_str(&res.body).unwrap_or_else(|_| panic!("{query}: {}", res.body));
    (res.status, v)
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("/".into(), |i| rest[i..].to_string())
}

#[tokio::test]
async fn a_harvester_reads_every_dataset_and_resource_through_the_ckan_api_and_dcat() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let org = t.demo_org().await;
        let mut c = t.client();
        let (status, v) = action(&mut c, "status_show").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v["success"], true);

        let (_, v) = action(&mut c, "package_list").await;
        let names: Vec<String> = v["result"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "sorted by name");
        let (plan, _) = seed_item(&t, "S-2.1.2").await;
        for want in [format!("plan-{plan}"), "consultation-results".into(), "councils".into(), "public-facilities".into(), "minutes".into()] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        for prefix in ["evaluation-", "survey-", "budget-2024-"] {
            assert!(names.iter().any(|n| n.starts_with(prefix)), "{prefix} missing from {names:?}");
        }
        // Unpublished things are not listed: an open consultation has no result yet.
        let open: i64 = sqlx::query_scalar("SELECT id FROM pc_consultations WHERE organization_id = $1 AND result_state <> 'published' ORDER BY id LIMIT 1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert!(!names.contains(&format!("consultation-{open}")));
        let published: i64 = sqlx::query_scalar("SELECT id FROM pc_consultations WHERE organization_id = $1 AND result_state = 'published' ORDER BY id LIMIT 1")
            .bind(org)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
        assert!(names.contains(&format!("consultation-{published}")));

        // Every package as a harvester reads it, every resource fetched.
        let mut with_pdf = 0;
        for name in &names {
            let (status, v) = action(&mut c, &format!("package_show?id={name}")).await;
            assert_eq!(status, StatusCode::OK, "{name}");
            let p = &v["result"];
            assert_eq!(p["name"], name.as_str());
            assert_eq!(p["license_id"], "cc-by-4.0");
            assert_eq!(p["organization"]["name"], "072028");
            assert!(p["title"].as_str().unwrap().starts_with("(デモデータ)"), "demo data says so: {}", p["title"]);
            let id = p["id"].as_str().unwrap();
            assert_eq!(id.len(), 36);
            let (_, again) = action(&mut c, &format!("package_show?id={id}")).await;
            assert_eq!(again["result"]["name"], name.as_str(), "found by id too");
            let resources = p["resources"].as_array().unwrap();
            assert!(!resources.is_empty(), "{name}");
            assert_eq!(p["num_resources"], resources.len());
            if resources.iter().any(|r| r["format"] == "PDF") {
                with_pdf += 1;
            }
            for r in resources {
                let url = r["url"].as_str().unwrap();
                assert!(url.starts_with("http"), "{url}");
                let res = c.get(&path_of(url)).await;
                assert_eq!(res.status, StatusCode::OK, "{name}: {url}");
                let ct = res.headers["content-type"].to_str().unwrap().to_string();
                let mime = r["mimetype"].as_str().unwrap();
                assert!(ct.starts_with(mime), "{url}: {ct}, catalogue says {mime}");
                let (_, shown) = action(&mut c, &format!("resource_show?id={}", r["id"].as_str().unwrap())).await;
                assert_eq!(shown["result"]["url"], url);
            }
        }

        // Search: terms, filters, paging, facets, as CKAN answers them.
        let (_, v) = action(&mut c, "package_search?q=%E5%AE%9F%E6%96%BD%E8%A8%88%E7%94%BB").await; // 実施計画
        let found: Vec<&str> = v["result"]["results"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert!(found.contains(&format!("plan-{plan}").as_str()), "{found:?}");
        let (_, v) = action(&mut c, "package_search?fq=res_format:PDF&rows=1000&facet.field=%5B%22res_format%22%5D").await;
        assert_eq!(v["result"]["count"], with_pdf);
        assert!(v["result"]["search_facets"]["res_format"]["items"].as_array().unwrap().iter().any(|i| i["name"] == "PDF" && i["count"] == with_pdf));
        let mut paged = Vec::new();
        for start in (0..names.len()).step_by(3) {
            let (_, v) = action(&mut c, &format!("package_search?rows=3&start={start}&sort=name%20asc")).await;
            assert_eq!(v["result"]["count"], names.len());
            paged.extend(v["result"]["results"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()));
        }
        assert_eq!(paged, names, "pages of 3 by name give the whole list once");
        let (_, v) = action(&mut c, "package_search?fq=metadata_modified:%5B2999-01-01T00:00:00Z%20TO%20*%5D").await;
        assert_eq!(v["result"]["count"], 0);
        let (status, v) = action(&mut c, "package_search?rows=5000").await;
        assert_eq!((status, v["success"].clone()), (StatusCode::CONFLICT, Value::Bool(false)));
        let (status, v) = action(&mut c, "package_search?fq=colour:red").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(v["error"]["__type"], "Search Query Error");
        let (_, v) = action(&mut c, "current_package_list_with_resources?limit=3").await;
        let newest = v["result"].as_array().unwrap();
        assert_eq!(newest.len(), 3.min(names.len()));
        assert!(newest.windows(2).all(|w| w[0]["metadata_modified"].as_str() >= w[1]["metadata_modified"].as_str()));
        let (_, v) = action(&mut c, "organization_list?all_fields=true").await;
        assert_eq!(v["result"][0]["name"], "072028");
        assert_eq!(v["result"][0]["package_count"], names.len());
        let (status, v) = action(&mut c, "package_show?id=no-such-dataset").await;
        assert_eq!((status, v["error"]["__type"].as_str()), (StatusCode::NOT_FOUND, Some("Not Found Error")));
        let (status, v) = action(&mut c, "package_create").await;
        assert_eq!((status, v["success"].clone()), (StatusCode::BAD_REQUEST, Value::Bool(false)));

        // DCAT: the same datasets, each with its title, description and distributions.
        let res = c.get("/catalog.jsonld").await;
        assert!(res.headers["content-type"].to_str().unwrap().starts_with("application/ld+json"));
        let doc: Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(doc["@type"], "dcat:Catalog");
        assert!(doc["dct:publisher"]["foaf:name"].as_str().is_some_and(|n| !n.is_empty()));
        let ds = doc["dcat:dataset"].as_array().unwrap();
        assert_eq!(ds.len(), names.len());
        for d in ds {
            assert!(!d["dct:title"].as_str().unwrap().is_empty() && !d["dct:description"].as_str().unwrap().is_empty(), "{d}");
            for x in d["dcat:distribution"].as_array().unwrap() {
                assert!(x["dcat:accessURL"]["@id"].as_str().unwrap().starts_with("http"));
            }
        }
        assert_eq!(doc["hydra:view"]["hydra:totalItems"], names.len());

        // The page lists them for people.
        let page = c.get("/opendata").await;
        assert!(page.body.contains("/api/3/action/package_search") && page.body.contains(&format!("/plans/{plan}/items.csv")));

        // Another organization's catalogue is its own (it has published nothing).
        let mut foreign = t.foreign_client();
        let (_, v) = action(&mut foreign, "package_list").await;
        assert_eq!(v["result"], serde_json::json!([]));

        // The licence is the organization's choice, and every dataset says it at once.
        let mut admin = t.signed_in("admin@demo.kyodo.jp").await;
        assert_eq!(admin.post("/admin/opendata", &[("license", "gpl")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(admin.post("/admin/opendata", &[("license", "pdl-1.0")]).await.status, StatusCode::SEE_OTHER);
        let (_, v) = action(&mut c, &format!("package_show?id=plan-{plan}")).await;
        assert_eq!(v["result"]["license_id"], "pdl-1.0");
        t
    })
    .await;
}
