//! The open-data catalogue as DCAT 3 in JSON-LD (`/catalog.jsonld`), as ckanext-dcat serves it:
//! the catalogue with its publisher and licence, each dataset with its distributions.

use super::ckan::{Params, datasets, param};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::QueryData;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// DCAT 3 in JSON-LD (`/catalog.jsonld?page=N`, 100 datasets a page with Hydra paging, as
/// ckanext-dcat serves `/catalog.jsonld`).
pub async fn catalog_jsonld(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(p): QueryData<Params>,
) -> AppResult<Response> {
    const PER_PAGE: usize = 100;
    let data = datasets(&st, &ctx, Lang::Ja).await?;
    let (license, all) = (&data.0, &data.1);
    let t = crate::i18n::Tr { lang: Lang::Ja };
    let base = ctx.org.base_url(&st.app.config.public_url);
    let page = param(&p, "page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let publisher = json!({"@type": "foaf:Agent", "foaf:name": ctx.org.name});
    let lg = &ctx.org.lg_code;
    let datasets: Vec<Value> = all
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|d| {
            let distributions: Vec<Value> = d
                .resources
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let url = format!("{base}{}", r.path);
                    let mut v = json!({
                        "@id": format!("{base}/opendata#{}", d.resource_id(lg, i)),
                        "@type": "dcat:Distribution", "dct:title": t.t(r.name_key),
                        "dcat:accessURL": {"@id": url}, "dcat:mediaType": r.mimetype,
                        "dct:format": r.format, "dct:license": {"@id": license.url},
                    });
                    if r.format != "HTML" && r.format != "API" {
                        v["dcat:downloadURL"] = json!({"@id": url});
                    }
                    v
                })
                .collect();
            json!({
                "@id": format!("{base}/opendata#{}", d.name), "@type": "dcat:Dataset",
                "dct:identifier": d.id(lg), "dct:title": d.title, "dct:description": d.notes,
                "dcat:keyword": d.tags, "dct:issued": d.created, "dct:modified": d.modified,
                "dct:publisher": publisher, "dcat:landingPage": {"@id": format!("{base}{}", d.landing)},
                "dct:license": {"@id": license.url},
                "dct:accrualPeriodicity": {"@id": format!("http://publications.europa.eu/resource/authority/frequency/{}", d.frequency.code())},
                "dcat:distribution": distributions,
            })
        })
        .collect();
    let last = all.len().div_ceil(PER_PAGE).max(1);
    let mut paging = json!({
        "@id": format!("{base}/catalog.jsonld?page={page}"), "@type": "hydra:PagedCollection",
        "hydra:totalItems": all.len(), "hydra:itemsPerPage": PER_PAGE,
        "hydra:firstPage": format!("{base}/catalog.jsonld?page=1"),
        "hydra:lastPage": format!("{base}/catalog.jsonld?page={last}"),
    });
    if page < last {
        paging["hydra:nextPage"] = json!(format!("{base}/catalog.jsonld?page={}", page + 1));
    }
    let doc = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/", "hydra": "http://www.w3.org/ns/hydra/core#",
        },
        "@id": format!("{base}/catalog.jsonld"), "@type": "dcat:Catalog",
        "dct:title": t.f("opendata.catalog_title", &[&ctx.org.name]),
        "dct:description": t.t("opendata.lead"), "dct:publisher": publisher,
        "dct:language": "ja", "foaf:homepage": {"@id": format!("{base}/")},
        "dct:license": {"@id": license.url},
        "dcat:dataset": datasets, "hydra:view": paging,
    });
    let mut res = Json(doc).into_response();
    res.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/ld+json"),
    );
    Ok(res)
}
