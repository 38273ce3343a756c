//! The city's column mapping for workbook imports — which header holds each field, and the table
//! that turns the city's words into Kyodo's codes (「１　現状維持」→ 継続) — saved per organization so
//! next year's file imports without mapping again.

use super::FIELDS;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Mapping {
    /// Field → the header of the city's column. A field not set reads its default header.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Field (`direction`, `method`) → the city's word (normalised) → a code of Kyodo's list.
    #[serde(default)]
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
}

impl Mapping {
    /// The header that holds `field`: as mapped, else the layout's own (「事業コード」).
    pub fn header(&self, field: &str) -> &str {
        match self.headers.get(field) {
            Some(h) => h,
            None => FIELDS
                .iter()
                .find(|(f, _, _)| *f == field)
                .map_or("", |(_, h, _)| h),
        }
    }

    /// The code the city's word stands for, when the table has it.
    pub fn translated(&self, field: &str, word: &str) -> Option<&str> {
        self.translations
            .get(field)?
            .get(&super::normalize(word))
            .map(String::as_str)
    }
}

/// The saved mapping, or the default headers when none was saved. A mapping saved before the
/// translation table existed (a plain field → header map) still reads.
pub async fn saved(db: &Db, org: i64) -> AppResult<Mapping> {
    let json: Option<String> = sqlx::query_scalar(
        "SELECT mapping_json FROM eval_import_mappings WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_optional(db)
    .await?;
    let Some(json) = json else {
        return Ok(Mapping::default());
    };
    if let Ok(headers) = serde_json::from_str::<BTreeMap<String, String>>(&json) {
        return Ok(Mapping {
            headers,
            ..Default::default()
        });
    }
    Ok(serde_json::from_str(&json).unwrap_or_default())
}

/// Replaces the organization's mapping: one statement, so two imports saving theirs at the same
/// moment (two instances on PostgreSQL) both succeed and the later one stays.
pub async fn save(db: &Db, org: i64, m: &Mapping) -> AppResult<()> {
    let json = serde_json::to_string(m).map_err(|e| AppError::Internal(e.into()))?;
    sqlx::query(
        "INSERT INTO eval_import_mappings (organization_id, mapping_json, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id) DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at",
    )
    .bind(org)
    .bind(json)
    .bind(crate::db::now())
    .execute(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_default_to_the_layouts_and_words_translate_as_normalised() {
        let mut m = Mapping::default();
        assert_eq!(m.header("code"), "事業コード");
        m.headers.insert("code".into(), "ID".into());
        assert_eq!(m.header("code"), "ID");
        m.translations
            .entry("direction".into())
            .or_default()
            .insert(super::super::normalize("１　現状維持"), "continue".into());
        assert_eq!(m.translated("direction", "1 現状維持"), Some("continue"));
        assert_eq!(m.translated("method", "1 現状維持"), None);
    }
}
