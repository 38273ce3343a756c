//! `package_search` over the catalogue: a free-text query matched as exact substrings after NFKC
//! normalisation and case folding (全角/半角 alike, every term must match: title, description,
//! keywords, resource formats), CKAN's filter queries (`fq`) as harvesters send them
//! (`tags:…`, `res_format:…`, `organization:…`, `license_id:…`, `name:…`,
//! `metadata_modified:[2026-01-01T00:00:00Z TO *]`), sorting, paging and facet counts. A
//! catalogue is tens of datasets, so this runs over the list in memory.

use super::Dataset;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

fn fold(s: &str) -> String {
    s.nfkc().flat_map(char::to_lowercase).collect()
}

/// One `fq` clause; unknown fields are refused (CKAN answers a Solr error).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Filter {
    Tag(String),
    Format(String),
    Organization(String),
    License(String),
    Name(String),
    /// `metadata_modified` at or after (ISO, compared as text after normalising the zone away).
    ModifiedSince(String),
}

/// A `q`/`fq` that cannot be read: CKAN's 409 "Search Query Error".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadQuery(pub String);

fn unquote(v: &str) -> String {
    v.trim().trim_matches('"').to_string()
}

fn parse_fq(fq: &str) -> Result<Vec<Filter>, BadQuery> {
    let mut out = Vec::new();
    let mut rest = fq.trim();
    while !rest.is_empty() {
        let rest_trimmed = rest.trim_start_matches(['+', ' ']);
        let Some((field, tail)) = rest_trimmed.split_once(':') else {
            return Err(BadQuery(format!("cannot read fq: {fq}")));
        };
        let (value, next) = if let Some(inner) = tail.strip_prefix('[') {
            let end = inner
                .find(']')
                .ok_or_else(|| BadQuery(format!("unclosed range in fq: {fq}")))?;
            (format!("[{}]", &inner[..end]), &inner[end + 1..])
        } else if let Some(inner) = tail.strip_prefix('"') {
            let end = inner
                .find('"')
                .ok_or_else(|| BadQuery(format!("unclosed quote in fq: {fq}")))?;
            (inner[..end].to_string(), &inner[end + 1..])
        } else {
            let end = tail.find(' ').unwrap_or(tail.len());
            (tail[..end].to_string(), &tail[end..])
        };
        let v = unquote(&value);
        out.push(match field.trim() {
            "tags" => Filter::Tag(v),
            "res_format" => Filter::Format(v.to_uppercase()),
            "organization" | "owner_org" => Filter::Organization(v),
            "license_id" => Filter::License(v),
            "name" => Filter::Name(v),
            "metadata_modified" => {
                let inner = v.trim_start_matches('[').trim_end_matches(']');
                let (from, _) = inner
                    .split_once(" TO ")
                    .ok_or_else(|| BadQuery(format!("cannot read range: {v}")))?;
                Filter::ModifiedSince(from.trim().trim_end_matches('Z').to_string())
            }
            other => return Err(BadQuery(format!("unknown field in fq: {other}"))),
        });
        rest = next.trim_start();
        rest = rest.strip_prefix("AND ").unwrap_or(rest);
    }
    Ok(out)
}

/// What a search asks, as `package_search` takes it.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub q: String,
    pub fq: String,
    pub sort: String,
    pub rows: usize,
    pub start: usize,
    /// Fields to count (`facet.field`), from organization, tags, res_format, license_id.
    pub facet_fields: Vec<String>,
}

/// Who the catalogue belongs to, for the `organization` and `license_id` filters and facets.
pub struct Owner<'a> {
    pub organization: &'a str,
    pub license_id: &'a str,
}

pub struct Found<'a> {
    pub count: usize,
    pub results: Vec<&'a Dataset>,
    /// field → (value, count), most frequent first.
    pub facets: BTreeMap<String, Vec<(String, usize)>>,
}

fn admits(d: &Dataset, f: &Filter, owner: &Owner) -> bool {
    match f {
        Filter::Tag(t) => d.tags.iter().any(|x| x == t),
        Filter::Format(x) => d.resources.iter().any(|r| r.format == x),
        Filter::Organization(o) => o == owner.organization,
        Filter::License(l) => l == owner.license_id,
        Filter::Name(n) => &d.name == n,
        Filter::ModifiedSince(from) => d.modified.as_str() >= from.as_str(),
    }
}

fn text_of(d: &Dataset) -> String {
    let mut s = format!("{} {} {} {}", d.name, d.title, d.notes, d.tags.join(" "));
    for r in &d.resources {
        s.push(' ');
        s.push_str(r.format);
    }
    fold(&s)
}

pub fn search<'a>(all: &'a [Dataset], query: &Query, owner: &Owner) -> Result<Found<'a>, BadQuery> {
    let filters = parse_fq(&query.fq)?;
    let q = query.q.trim();
    let terms: Vec<String> = if q.is_empty() || q == "*:*" {
        Vec::new()
    } else {
        q.split_whitespace()
            .filter(|w| *w != "AND")
            .map(|w| fold(w.trim_start_matches("text:").trim_matches('"')))
            .collect()
    };
    let mut hits: Vec<&Dataset> = all
        .iter()
        .filter(|d| filters.iter().all(|f| admits(d, f, owner)))
        .filter(|d| {
            let text = text_of(d);
            terms.iter().all(|t| text.contains(t.as_str()))
        })
        .collect();
    match query.sort.trim() {
        "name asc" => hits.sort_by(|a, b| a.name.cmp(&b.name)),
        "name desc" => hits.sort_by(|a, b| b.name.cmp(&a.name)),
        "title_string asc" => hits.sort_by(|a, b| a.title.cmp(&b.title)),
        "title_string desc" => hits.sort_by(|a, b| b.title.cmp(&a.title)),
        "metadata_modified asc" => hits.sort_by(|a, b| a.modified.cmp(&b.modified)),
        "metadata_created desc" => hits.sort_by(|a, b| b.created.cmp(&a.created)),
        "metadata_created asc" => hits.sort_by(|a, b| a.created.cmp(&b.created)),
        // Every match is equally good here, so the default (`score desc, metadata_modified
        // desc`) is the newest change first.
        _ => hits.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.name.cmp(&b.name))),
    }
    let mut facets = BTreeMap::new();
    for field in &query.facet_fields {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for d in &hits {
            let values: Vec<String> = match field.as_str() {
                "tags" => d.tags.clone(),
                "res_format" => {
                    let mut f: Vec<String> =
                        d.resources.iter().map(|r| r.format.to_string()).collect();
                    f.dedup();
                    f.sort();
                    f.dedup();
                    f
                }
                "organization" => vec![owner.organization.to_string()],
                "license_id" => vec![owner.license_id.to_string()],
                _ => Vec::new(),
            };
            for v in values {
                *counts.entry(v).or_default() += 1;
            }
        }
        let mut items: Vec<(String, usize)> = counts.into_iter().collect();
        items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        facets.insert(field.clone(), items);
    }
    let count = hits.len();
    let results = hits
        .into_iter()
        .skip(query.start)
        .take(query.rows)
        .collect();
    Ok(Found {
        count,
        results,
        facets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::{Frequency, Resource};

    fn ds(
        name: &str,
        title: &str,
        tags: &[&str],
        formats: &[&'static str],
        modified: &str,
    ) -> Dataset {
        Dataset {
            name: name.into(),
            title: title.into(),
            notes: String::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            frequency: Frequency::Annual,
            landing: String::new(),
            created: modified.into(),
            modified: modified.into(),
            is_demo: false,
            resources: formats
                .iter()
                .map(|f| Resource {
                    name_key: "x",
                    format: f,
                    mimetype: "",
                    path: String::new(),
                })
                .collect(),
        }
    }

    const OWNER: Owner = Owner {
        organization: "072028",
        license_id: "cc-by-4.0",
    };

    #[test]
    fn terms_filters_paging_and_facets() {
        let all = vec![
            ds(
                "plan-1",
                "行政改革実施計画",
                &["行政改革"],
                &["CSV", "PDF"],
                "2026-05-01T00:00:00",
            ),
            ds(
                "evaluation-2025",
                "令和7年度 事務事業評価",
                &["行政評価"],
                &["CSV", "XLSX"],
                "2026-07-01T00:00:00",
            ),
            ds(
                "councils",
                "審議会等の一覧",
                &["市民参画"],
                &["HTML"],
                "2025-01-01T00:00:00",
            ),
        ];
        let q = |q: &str, fq: &str| Query {
            q: q.into(),
            fq: fq.into(),
            rows: 10,
            facet_fields: vec!["res_format".into(), "tags".into()],
            ..Default::default()
        };
        let f = search(&all, &q("", ""), &OWNER).unwrap();
        assert_eq!(f.count, 3);
        assert_eq!(f.results[0].name, "evaluation-2025", "newest change first");
        assert_eq!(f.facets["res_format"][0], ("CSV".to_string(), 2));
        // Full-width letters and digits match their half-width forms; every term must match.
        assert_eq!(
            search(&all, &q("ＣＳＶ 評価", ""), &OWNER).unwrap().count,
            1
        );
        assert_eq!(
            search(&all, &q("計画 審議会", ""), &OWNER).unwrap().count,
            0
        );
        assert_eq!(
            search(&all, &q("*:*", "res_format:CSV"), &OWNER)
                .unwrap()
                .count,
            2
        );
        assert_eq!(
            search(&all, &q("", "tags:\"市民参画\""), &OWNER)
                .unwrap()
                .count,
            1
        );
        assert_eq!(
            search(
                &all,
                &q("", "organization:072028 AND res_format:XLSX"),
                &OWNER
            )
            .unwrap()
            .count,
            1
        );
        assert_eq!(
            search(&all, &q("", "organization:131016"), &OWNER)
                .unwrap()
                .count,
            0
        );
        let since = search(
            &all,
            &q("", "metadata_modified:[2026-06-01T00:00:00Z TO *]"),
            &OWNER,
        )
        .unwrap();
        assert_eq!(since.count, 1);
        assert!(search(&all, &q("", "colour:red"), &OWNER).is_err());
        assert!(search(&all, &q("", "metadata_modified:[2026"), &OWNER).is_err());
        let page = Query {
            rows: 1,
            start: 1,
            sort: "name asc".into(),
            ..q("", "")
        };
        let p = search(&all, &page, &OWNER).unwrap();
        assert_eq!(
            (p.count, p.results.len(), p.results[0].name.as_str()),
            (3, 1, "evaluation-2025")
        );
    }
}
