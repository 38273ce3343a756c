//! The licence an organization publishes its datasets under (`org_settings` key
//! `opendata.license`): CC BY 4.0 unless it chose another of the licences Japanese public
//! bodies use — the 政府標準利用規約 / 公共データ利用規約 (PDL 1.0, compatible with CC BY 4.0) or CC0.

use crate::app::App;
use crate::db::Db;
use crate::error::{AppError, AppResult};

pub const SETTING: &str = "opendata.license";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct License {
    /// CKAN's `license_id`.
    pub id: &'static str,
    /// Catalogue key of its title.
    pub title_key: &'static str,
    pub url: &'static str,
    /// Open by the Open Definition (CKAN's `isopen`).
    pub is_open: bool,
}

pub const CHOICES: [License; 3] = [
    License {
        id: "cc-by-4.0",
        title_key: "opendata.license_cc_by",
        url: "https://creativecommons.org/licenses/by/4.0/",
        is_open: true,
    },
    License {
        id: "pdl-1.0",
        title_key: "opendata.license_pdl",
        url: "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
        is_open: true,
    },
    License {
        id: "cc-zero",
        title_key: "opendata.license_cc0",
        url: "https://creativecommons.org/publicdomain/zero/1.0/",
        is_open: true,
    },
];

/// The organization's licence; an unknown stored value falls back to the default.
pub async fn of(db: &Db, org: i64) -> sqlx::Result<License> {
    let chosen = crate::accounts::org_settings::get(db, org, SETTING).await?;
    Ok(chosen
        .and_then(|id| CHOICES.iter().find(|l| l.id == id).copied())
        .unwrap_or(CHOICES[0]))
}

/// Chooses the licence (one of [`CHOICES`]); anything else is refused beside the field.
pub async fn choose(app: &App, org: i64, actor: i64, id: &str) -> AppResult<()> {
    if !CHOICES.iter().any(|l| l.id == id) {
        let mut errs = crate::validation::FieldErrors::default();
        errs.add("license", "field.bad_choice");
        return Err(AppError::Invalid(errs));
    }
    crate::accounts::org_settings::set(app, org, actor, SETTING, id, "license").await
}
