//! The demonstration city's 財政指標, marked as demonstration data. Loaded once.

use super::indicators::{entered, save};
use crate::app::App;
use crate::audit::Actor;

/// The demonstration city's figures for 平成29〜令和5年度 (2017–2023): single-year 実質公債費比率
/// from 2017 so the three-year averages compute from 2019, and the 実質収支 inputs.
pub async fn load(app: &App, org: i64) -> anyhow::Result<()> {
    if !entered(&app.db, org).await?.is_empty() {
        return Ok(());
    }
    let actor = Actor::cli("demo");
    let singles = [10_600, 10_200, 9_800, 9_100, 8_700, 8_200, 7_900];
    for (i, year) in (2017..=2023).enumerate() {
        let mut values: Vec<(&'static str, Option<i64>)> =
            vec![("debt_service_single", Some(singles[i]))];
        if year >= 2019 {
            let k = (year - 2019) as usize;
            values.extend([
                ("fiscal_strength", Some([620, 612, 603, 598, 607][k])),
                (
                    "current_balance",
                    Some([92_100, 93_500, 90_200, 91_800, 92_600][k]),
                ),
                (
                    "future_burden",
                    Some([78_400, 70_100, 61_300, 55_000, 49_200][k]),
                ),
                ("consolidated_deficit", Some(0)),
                (
                    "standard_scale",
                    Some([28_400_000, 28_900_000, 29_600_000, 29_300_000, 29_000_000][k] * 1000),
                ),
                (
                    "real_balance_amount",
                    Some([820_000, 1_240_000, 1_630_000, 1_180_000, 1_050_000][k] * 1000),
                ),
                ("real_deficit_early", Some(11_250 + [40, 30, 20, 25, 30][k])),
            ]);
        }
        save(app, org, &actor, year, &values, true).await?;
    }
    Ok(())
}
