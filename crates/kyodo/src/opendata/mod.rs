//! オープンデータカタログ — every dataset Kyodo publishes for an organization, described once
//! (title, description, keywords, licence, update frequency, resources with format and address)
//! and served as the CKAN Action API's read endpoints and as DCAT (JSON-LD) by `web::api::ckan`,
//! and as a page (`/opendata`). Nothing is stored: the catalogue is worked out from what each area
//! has published (`sources`), so a dataset appears the moment its data is public and never lists
//! a draft.
//!
//! - `sources`: which datasets each area publishes, read in one round of queries;
//! - `license`: the organization's licence (CC BY 4.0 unless it chose another);
//! - `search`: `package_search`'s query, filters, sorting and facets over the catalogue.

pub mod finance;
pub mod license;
pub mod search;
pub mod sources;

use sha2::{Digest, Sha256};

/// A resource of a dataset: one file or endpoint.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Catalogue key of its name (the API writes the organization's default language).
    pub name_key: &'static str,
    /// `CSV`, `XLSX`, `JSON`, `PDF`, `HTML`, `API`.
    pub format: &'static str,
    pub mimetype: &'static str,
    /// Path on the organization's site (`/plans/3/items.csv`).
    pub path: String,
}

/// How often a dataset changes, as the EU frequency vocabulary names it (DCAT's
/// `dct:accrualPeriodicity`); the catalogue key says it in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Annual,
    Irregular,
    Continuous,
}

impl Frequency {
    pub fn code(self) -> &'static str {
        match self {
            Frequency::Annual => "ANNUAL",
            Frequency::Irregular => "IRREG",
            Frequency::Continuous => "CONT",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Frequency::Annual => "opendata.freq_annual",
            Frequency::Irregular => "opendata.freq_irregular",
            Frequency::Continuous => "opendata.freq_continuous",
        }
    }
}

/// One dataset of the catalogue.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Unique in the organization, as CKAN names are: lower-case letters, digits, `-`.
    pub name: String,
    /// In the requested language; demonstration data says so first.
    pub title: String,
    pub notes: String,
    pub tags: Vec<String>,
    pub frequency: Frequency,
    /// The page that shows it (path).
    pub landing: String,
    /// ISO 8601 without a zone (UTC), as CKAN writes `metadata_created` / `metadata_modified`.
    pub created: String,
    pub modified: String,
    pub is_demo: bool,
    pub resources: Vec<Resource>,
}

impl Dataset {
    /// A stable UUID for the dataset (CKAN's `id`), from the organization and the name: the
    /// same dataset keeps its id across instances and restarts, so a harvester updates it.
    pub fn id(&self, lg_code: &str) -> String {
        uuid_from(&format!("kyodo:{lg_code}:{}", self.name))
    }
    pub fn resource_id(&self, lg_code: &str, index: usize) -> String {
        uuid_from(&format!("kyodo:{lg_code}:{}:{index}", self.name))
    }
}

/// The organization's id in the catalogue (CKAN's `owner_org`), from its 全国地方公共団体コード.
pub fn org_id(lg_code: &str) -> String {
    uuid_from(&format!("kyodo:{lg_code}"))
}

/// A name-based UUID (version 8 layout over SHA-256).
fn uuid_from(seed: &str) -> String {
    let h = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x: String = b.iter().map(|v| format!("{v:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

/// A stored timestamp (`2026-04-01T00:00:01.000000Z` or a date) as CKAN writes one.
pub fn ckan_time(stored: &str) -> String {
    let s = stored.trim().trim_end_matches('Z');
    if s.len() == 10 {
        format!("{s}T00:00:00")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_uuids_and_differ_by_organization() {
        let d = Dataset {
            name: "plan-1".into(),
            title: String::new(),
            notes: String::new(),
            tags: Vec::new(),
            frequency: Frequency::Annual,
            landing: "/plans/1".into(),
            created: String::new(),
            modified: String::new(),
            is_demo: false,
            resources: Vec::new(),
        };
        let a = d.id("072028");
        assert_eq!(a, d.id("072028"));
        assert_ne!(a, d.id("131016"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert_ne!(d.resource_id("072028", 0), d.resource_id("072028", 1));
    }

    #[test]
    fn times_are_written_as_ckan_does() {
        assert_eq!(
            ckan_time("2026-04-01T00:00:01.000000Z"),
            "2026-04-01T00:00:01.000000"
        );
        assert_eq!(ckan_time("2026-04-01"), "2026-04-01T00:00:00");
    }
}
