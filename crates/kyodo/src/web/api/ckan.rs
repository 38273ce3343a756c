//! The open-data catalogue as the CKAN Action API's read endpoints (`/api/3/action/{name}`:
//! `package_list`, `package_show`, `package_search`, `current_package_list_with_resources`,
//! `organization_list`, `organization_show`, `resource_show`, `status_show`; DCAT is `dcat`), so
//! that national and prefectural catalogues harvest a city as they harvest a CKAN site. The
//! envelope, status codes and field names follow CKAN 2.x; datasets are described once in
//! `opendata`.

use crate::error::AppResult;
use crate::i18n::Lang;
use crate::opendata::search::{self, Owner, Query};
use crate::opendata::{Dataset, license::License};
use crate::web::WebState;
use crate::web::cache_scope::Areas;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathName, QueryData};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

pub(super) type Params = Vec<(String, String)>;

pub(super) fn param<'a>(p: &'a Params, name: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The catalogue of the request's organization in its language, kept until any area changes.
pub async fn datasets(
    st: &WebState,
    ctx: &Ctx,
    lang: Lang,
) -> AppResult<Arc<(License, Vec<Dataset>)>> {
    let org = ctx.org_id();
    let db = st.reader(ctx);
    let key = i64::from(lang == Lang::En);
    let t = crate::i18n::Tr { lang };
    let found = st
        .snapshots
        .opendata
        .get_or_load(&st.cache, Areas::ALL, org, key, || async move {
            let (license, list) = tokio::try_join!(
                crate::opendata::license::of(db, org),
                crate::opendata::sources::catalogue(db, org, t)
            )?;
            Ok::<_, crate::error::AppError>(Some((license, list)))
        })
        .await?;
    found.ok_or(crate::error::AppError::NotFound)
}

struct Site<'a> {
    base: String,
    ctx: &'a Ctx,
    license: License,
}

impl Site<'_> {
    fn organization(&self, count: Option<usize>) -> Value {
        let o = &self.ctx.org;
        let mut v = json!({
            "id": crate::opendata::org_id(&o.lg_code),
            "name": o.lg_code, "title": o.name, "display_name": o.name,
            "description": "", "image_url": "", "type": "organization",
            "is_organization": true, "state": "active", "approval_status": "approved",
        });
        if let Some(n) = count {
            v["package_count"] = json!(n);
        }
        v
    }

    fn package(&self, d: &Dataset) -> Value {
        let t = crate::i18n::Tr { lang: Lang::Ja };
        let lg = &self.ctx.org.lg_code;
        let id = d.id(lg);
        let resources: Vec<Value> = d
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "id": d.resource_id(lg, i), "package_id": id, "position": i,
                    "name": t.t(r.name_key), "description": "", "format": r.format,
                    "mimetype": r.mimetype, "mimetype_inner": null,
                    "url": format!("{}{}", self.base, r.path), "url_type": null,
                    "size": null, "hash": "", "resource_type": if r.format == "API" { json!("api") } else { json!(null) },
                    "created": d.created, "last_modified": d.modified, "state": "active",
                    "datastore_active": false,
                })
            })
            .collect();
        let tags: Vec<Value> = d
            .tags
            .iter()
            .map(
                |x| json!({"name": x, "display_name": x, "state": "active", "vocabulary_id": null}),
            )
            .collect();
        let org_name = &self.ctx.org.name;
        json!({
            "id": id, "name": d.name, "title": d.title, "notes": d.notes,
            "url": format!("{}{}", self.base, d.landing), "version": null,
            "license_id": self.license.id, "license_title": t.t(self.license.title_key),
            "license_url": self.license.url, "isopen": self.license.is_open,
            "organization": self.organization(None),
            "owner_org": crate::opendata::org_id(&self.ctx.org.lg_code),
            "author": org_name, "author_email": null, "maintainer": org_name, "maintainer_email": null,
            "tags": tags, "num_tags": d.tags.len(), "groups": [],
            "extras": [
                {"key": "frequency", "value": d.frequency.code()},
                {"key": "update_frequency", "value": t.t(d.frequency.key())},
                {"key": "demonstration_data", "value": if d.is_demo { "true" } else { "false" }},
            ],
            "metadata_created": d.created, "metadata_modified": d.modified,
            "resources": resources, "num_resources": d.resources.len(),
            "state": "active", "private": false, "type": "dataset",
            "creator_user_id": null, "relationships_as_subject": [], "relationships_as_object": [],
        })
    }
}

fn envelope(site: &Site, action: &str, status: StatusCode, body: Value) -> Response {
    let help = format!("{}/api/3/action/help_show?name={action}", site.base);
    let v = if status.is_success() {
        json!({"help": help, "success": true, "result": body})
    } else {
        json!({"help": help, "success": false, "error": body})
    };
    (status, Json(v)).into_response()
}

fn error(site: &Site, action: &str, status: StatusCode, kind: &str, message: &str) -> Response {
    envelope(
        site,
        action,
        status,
        json!({"__type": kind, "message": message}),
    )
}

/// A whole number parameter within bounds; CKAN answers a bad one with a validation error.
fn number(p: &Params, name: &str, default: usize, max: usize) -> Result<usize, String> {
    match param(p, name).map(str::trim) {
        None | Some("") => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(format!("{name}: must be a whole number from 0 to {max}")),
        },
    }
}

/// `/api/3/action/{name}`: the read actions a harvester uses.
pub async fn action(
    State(st): State<WebState>,
    ctx: Ctx,
    PathName(name): PathName,
    QueryData(p): QueryData<Params>,
) -> AppResult<Response> {
    let data = datasets(&st, &ctx, Lang::Ja).await?;
    let (license, all) = (&data.0, &data.1);
    let site = Site {
        base: ctx.org.base_url(&st.app.config.public_url),
        ctx: &ctx,
        license: *license,
    };
    let owner = Owner {
        organization: &ctx.org.lg_code,
        license_id: license.id,
    };
    let bad = |m: String| error(&site, &name, StatusCode::CONFLICT, "Validation Error", &m);
    let ok = |v: Value| envelope(&site, &name, StatusCode::OK, v);
    let not_found = || {
        error(
            &site,
            &name,
            StatusCode::NOT_FOUND,
            "Not Found Error",
            "Not found",
        )
    };
    let find = |id: &str| {
        all.iter()
            .find(|d| d.name == id || d.id(&ctx.org.lg_code) == id)
    };
    let res = match name.as_str() {
        "package_list" | "current_package_list_with_resources" => {
            let (limit, offset) = match (
                number(&p, "limit", all.len(), 1000),
                number(&p, "offset", 0, usize::MAX),
            ) {
                (Ok(l), Ok(o)) => (l, o),
                (Err(m), _) | (_, Err(m)) => return Ok(bad(m)),
            };
            if name == "package_list" {
                let mut names: Vec<&str> = all.iter().map(|d| d.name.as_str()).collect();
                names.sort_unstable();
                ok(json!(
                    names
                        .into_iter()
                        .skip(offset)
                        .take(limit)
                        .collect::<Vec<_>>()
                ))
            } else {
                let mut list: Vec<&Dataset> = all.iter().collect();
                list.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.name.cmp(&b.name)));
                ok(json!(
                    list.into_iter()
                        .skip(offset)
                        .take(limit)
                        .map(|d| site.package(d))
                        .collect::<Vec<_>>()
                ))
            }
        }
        "package_show" => match param(&p, "id").and_then(find) {
            Some(d) => ok(site.package(d)),
            None => not_found(),
        },
        "resource_show" => {
            let id = param(&p, "id").unwrap_or_default();
            let lg = &ctx.org.lg_code;
            let hit = all.iter().find_map(|d| {
                (0..d.resources.len())
                    .find(|i| d.resource_id(lg, *i) == id)
                    .map(|i| site.package(d)["resources"][i].clone())
            });
            hit.map_or_else(not_found, ok)
        }
        "package_search" => {
            let (rows, start) = match (
                number(&p, "rows", 10, 1000),
                number(&p, "start", 0, usize::MAX),
            ) {
                (Ok(r), Ok(s)) => (r, s),
                (Err(m), _) | (_, Err(m)) => return Ok(bad(m)),
            };
            let mut fq: Vec<&str> = p
                .iter()
                .filter(|(k, _)| k == "fq" || k == "fq_list")
                .map(|(_, v)| v.as_str())
                .collect();
            fq.retain(|v| !v.trim().is_empty());
            let facet_fields = match param(&p, "facet.field") {
                Some(raw) => match serde_json::from_str::<Vec<String>>(raw) {
                    Ok(v) => v,
                    Err(_) => return Ok(bad("facet.field: a JSON list of field names".into())),
                },
                None => Vec::new(),
            };
            let query = Query {
                q: param(&p, "q").unwrap_or_default().to_string(),
                fq: fq.join(" AND "),
                sort: param(&p, "sort").unwrap_or_default().to_string(),
                rows,
                start,
                facet_fields: if param(&p, "facet") == Some("false") {
                    Vec::new()
                } else {
                    facet_fields
                },
            };
            match search::search(all, &query, &owner) {
                Ok(found) => {
                    let facets: serde_json::Map<String, Value> = found
                        .facets
                        .iter()
                        .map(|(f, items)| {
                            let items: Vec<Value> = items
                                .iter()
                                .map(|(v, n)| json!({"name": v, "display_name": v, "count": n}))
                                .collect();
                            (f.clone(), json!({"title": f, "items": items}))
                        })
                        .collect();
                    let simple: serde_json::Map<String, Value> = found
                        .facets
                        .iter()
                        .map(|(f, items)| {
                            (
                                f.clone(),
                                json!(
                                    items
                                        .iter()
                                        .map(|(v, n)| (v.clone(), json!(n)))
                                        .collect::<serde_json::Map<_, _>>()
                                ),
                            )
                        })
                        .collect();
                    ok(json!({
                        "count": found.count, "sort": query.sort,
                        "results": found.results.iter().map(|d| site.package(d)).collect::<Vec<_>>(),
                        "facets": simple, "search_facets": facets,
                    }))
                }
                Err(search::BadQuery(m)) => error(
                    &site,
                    &name,
                    StatusCode::BAD_REQUEST,
                    "Search Query Error",
                    &m,
                ),
            }
        }
        "organization_list" => {
            if param(&p, "all_fields") == Some("true") {
                ok(json!([site.organization(Some(all.len()))]))
            } else {
                ok(json!([ctx.org.lg_code]))
            }
        }
        "organization_show" => {
            let id = param(&p, "id").unwrap_or_default();
            if id == ctx.org.lg_code || id == crate::opendata::org_id(&ctx.org.lg_code) {
                let mut o = site.organization(Some(all.len()));
                if param(&p, "include_datasets") == Some("true") {
                    o["packages"] = json!(
                        all.iter()
                            .take(10)
                            .map(|d| site.package(d))
                            .collect::<Vec<_>>()
                    );
                }
                ok(o)
            } else {
                not_found()
            }
        }
        "status_show" => ok(json!({
            "site_title": ctx.org.name, "site_description": "", "site_url": site.base,
            "locale_default": "ja", "extensions": [], "error_emails_to": null,
            "ckan_version": "2.10.0",
        })),
        other => error(
            &site,
            other,
            StatusCode::BAD_REQUEST,
            "Bad request",
            &format!("Action name not known: {other}"),
        ),
    };
    Ok(res)
}
