//! 財政指標 — the fiscal indicators a city publishes each year (§4.5): 財政力指数, 経常収支比率 and the
//! four 健全化判断比率 of the 財政健全化法 with their thresholds (早期健全化基準, 財政再生基準), and
//! 実質収支比率. Each is entered by the HQ, or computed where the law's formula allows from what
//! was entered: 実質収支比率 = 実質収支額 ÷ 標準財政規模, 実質赤字比率 from a negative 実質収支,
//! and 実質公債費比率 as the three-year average of the single-year ratios. Ratios are kept in
//! thousandths (93.4 % → 93400, an index 0.523 → 523), amounts in 円.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::Db;
use std::collections::BTreeMap;

/// How a value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// An index with three decimals (財政力指数).
    Index,
    /// A percentage with one decimal.
    Percent,
    /// An amount, entered and shown in 千円.
    Thousands,
}

/// A threshold: none, fixed by law, or entered per year (実質赤字比率's depends on 標準財政規模).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    None,
    Fixed(i64),
    /// The value of an input code, plus a fixed margin (連結 = 実質赤字の基準 + 5 points).
    Entered(&'static str, i64),
}

pub struct Def {
    pub code: &'static str,
    /// Catalogue keys of the name and of what it means.
    pub key: &'static str,
    pub note: &'static str,
    pub unit: Unit,
    /// 赤字 ratios: zero or less is no deficit, shown 「−」.
    pub deficit: bool,
    pub early: Threshold,
    pub rebuild: Threshold,
}

const fn def(
    code: &'static str,
    key: &'static str,
    note: &'static str,
    unit: Unit,
    early: Threshold,
    rebuild: Threshold,
) -> Def {
    Def {
        code,
        key,
        note,
        unit,
        deficit: false,
        early,
        rebuild,
    }
}

/// The indicators, in the order cities publish them.
pub const INDICATORS: [Def; 7] = [
    def(
        "fiscal_strength",
        "fix.fiscal_strength",
        "fix.fiscal_strength_note",
        Unit::Index,
        Threshold::None,
        Threshold::None,
    ),
    def(
        "current_balance",
        "fix.current_balance",
        "fix.current_balance_note",
        Unit::Percent,
        Threshold::None,
        Threshold::None,
    ),
    def(
        "real_balance",
        "fix.real_balance",
        "fix.real_balance_note",
        Unit::Percent,
        Threshold::None,
        Threshold::None,
    ),
    Def {
        code: "real_deficit",
        key: "fix.real_deficit",
        note: "fix.real_deficit_note",
        unit: Unit::Percent,
        deficit: true,
        early: Threshold::Entered("real_deficit_early", 0),
        rebuild: Threshold::Fixed(20_000),
    },
    Def {
        code: "consolidated_deficit",
        key: "fix.consolidated_deficit",
        note: "fix.consolidated_deficit_note",
        unit: Unit::Percent,
        deficit: true,
        early: Threshold::Entered("real_deficit_early", 5_000),
        rebuild: Threshold::Fixed(30_000),
    },
    def(
        "debt_service",
        "fix.debt_service",
        "fix.debt_service_note",
        Unit::Percent,
        Threshold::Fixed(25_000),
        Threshold::Fixed(35_000),
    ),
    def(
        "future_burden",
        "fix.future_burden",
        "fix.future_burden_note",
        Unit::Percent,
        Threshold::Fixed(350_000),
        Threshold::None,
    ),
];

/// What some indicators are computed from, entered like them: (code, unit, name key).
pub const INPUTS: [(&str, Unit, &str); 4] = [
    ("standard_scale", Unit::Thousands, "fix.standard_scale"),
    (
        "real_balance_amount",
        Unit::Thousands,
        "fix.real_balance_amount",
    ),
    (
        "debt_service_single",
        Unit::Percent,
        "fix.debt_service_single",
    ),
    (
        "real_deficit_early",
        Unit::Percent,
        "fix.real_deficit_early",
    ),
];

/// Every code the HQ may enter: (code, unit, name key).
pub fn enterable() -> impl Iterator<Item = (&'static str, Unit, &'static str)> {
    INDICATORS
        .iter()
        .map(|d| (d.code, d.unit, d.key))
        .chain(INPUTS.iter().copied())
}

/// Whether the figures are demonstration data.
pub async fn is_demo(db: &Db, org: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM fin_indicator_values WHERE organization_id = $1 AND is_demo = 1",
    )
    .bind(org)
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

/// A value as stored from what was typed: 「93.4」 → 93400; 「△3.6」 negative; 「-」 alone zero
/// (how a table writes 赤字なし); an amount in 千円 → 円. `None` when unreadable.
pub fn parse(unit: Unit, raw: &str) -> Option<i64> {
    if matches!(raw.trim(), "-" | "－" | "−" | "―") {
        return Some(0);
    }
    match unit {
        Unit::Thousands => kyodo_jp::numbers::parse_amount(raw)
            .ok()
            .flatten()
            .and_then(|v| v.checked_mul(1000)),
        Unit::Index | Unit::Percent => kyodo_jp::numbers::parse_decimal(raw)
            .ok()
            .flatten()
            .filter(|v| v.abs() < 1.0e9)
            .map(|v| (v * 1000.0).round() as i64),
    }
}

/// An indicator's value for a year: the figure, and whether it was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value {
    pub value: i64,
    pub computed: bool,
}

/// Every entered value: year → code → value.
pub type Entered = BTreeMap<i64, BTreeMap<String, i64>>;

pub async fn entered(db: &Db, org: i64) -> sqlx::Result<Entered> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT fiscal_year, code, value FROM fin_indicator_values WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_all(db)
    .await?;
    let mut out = Entered::new();
    for (y, code, v) in rows {
        out.entry(y).or_default().insert(code, v);
    }
    Ok(out)
}

/// An indicator's value for a year: computed where the formula's inputs are there, else entered.
pub fn value(all: &Entered, year: i64, code: &str) -> Option<Value> {
    let get = |y: i64, c: &str| all.get(&y).and_then(|m| m.get(c)).copied();
    let computed = |v: i64| {
        Some(Value {
            value: v,
            computed: true,
        })
    };
    let ratio = || match (
        get(year, "real_balance_amount"),
        get(year, "standard_scale"),
    ) {
        (Some(b), Some(s)) if s > 0 => Some((i128::from(b) * 100_000 / i128::from(s)) as i64),
        _ => None,
    };
    let entered = get(year, code).map(|v| Value {
        value: v,
        computed: false,
    });
    match code {
        "real_balance" => ratio().map_or(entered, computed),
        // A surplus is no deficit: the ratio of a deficit is positive.
        "real_deficit" => entered.or_else(|| ratio().and_then(|r| computed((-r).max(0)))),
        "debt_service" => {
            let singles: Option<Vec<i64>> = (year - 2..=year)
                .map(|y| get(y, "debt_service_single"))
                .collect();
            singles.map_or(entered, |s| computed(s.iter().sum::<i64>() / 3))
        }
        _ => entered,
    }
}

/// A threshold's value for a year, if it has one.
pub fn threshold(all: &Entered, year: i64, t: Threshold) -> Option<i64> {
    match t {
        Threshold::None => None,
        Threshold::Fixed(v) => Some(v),
        Threshold::Entered(code, plus) => {
            all.get(&year).and_then(|m| m.get(code)).map(|v| v + plus)
        }
    }
}

/// Records a year's figures as entered: each `Some` written, each `None` removed.
pub async fn save(
    app: &App,
    org: i64,
    actor: &Actor,
    year: i64,
    values: &[(&'static str, Option<i64>)],
    is_demo: bool,
) -> anyhow::Result<()> {
    let mut tx = app.begin_write().await?;
    for (code, v) in values {
        sqlx::query("DELETE FROM fin_indicator_values WHERE organization_id = $1 AND fiscal_year = $2 AND code = $3")
            .bind(org)
            .bind(year)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        if let Some(v) = v {
            sqlx::query("INSERT INTO fin_indicator_values (organization_id, fiscal_year, code, value, is_demo, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(org)
                .bind(year)
                .bind(code)
                .bind(v)
                .bind(i64::from(is_demo))
                .bind(crate::db::now())
                .execute(&mut *tx)
                .await?;
        }
    }
    let after: serde_json::Map<String, serde_json::Value> = values
        .iter()
        .map(|(c, v)| (c.to_string(), serde_json::json!(v)))
        .collect();
    audit::append(
        &mut tx,
        org,
        actor,
        Change {
            action: "finance.indicators",
            target_type: "fin_indicator_year",
            target_id: year.to_string(),
            before: None,
            after: Some(serde_json::Value::Object(after)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_entered_or_computed_as_the_law_gives() {
        assert_eq!(parse(Unit::Percent, "９３．４"), Some(93_400));
        assert_eq!(parse(Unit::Percent, "△3.62"), Some(-3_620));
        assert_eq!(parse(Unit::Index, "0.523"), Some(523));
        assert_eq!(parse(Unit::Thousands, "29,000,000"), Some(29_000_000_000));
        assert_eq!(parse(Unit::Percent, "-"), Some(0));
        assert_eq!(parse(Unit::Percent, "高い"), None);
        let mut all = Entered::new();
        for (y, single) in [(2021, 8_700), (2022, 8_200), (2023, 7_900)] {
            all.entry(y)
                .or_default()
                .insert("debt_service_single".into(), single);
        }
        let y = all.entry(2023).or_default();
        y.insert("standard_scale".into(), 29_000_000_000);
        y.insert("real_balance_amount".into(), 1_050_000_000);
        y.insert("debt_service".into(), 1); // entered, but the computation wins
        let v = |c| value(&all, 2023, c).unwrap();
        assert_eq!(
            v("debt_service"),
            Value {
                value: 8_266,
                computed: true
            }
        );
        assert_eq!(
            v("real_balance"),
            Value {
                value: 3_620,
                computed: true
            },
            "1.05 / 29 = 3.62 %"
        );
        assert_eq!(v("real_deficit").value, 0, "a surplus is no deficit");
        assert_eq!(
            value(&all, 2022, "debt_service"),
            None,
            "2020 is missing and nothing entered"
        );
        all.entry(2023)
            .or_default()
            .insert("real_balance_amount".into(), -580_000_000);
        assert_eq!(
            value(&all, 2023, "real_deficit").unwrap().value,
            2_000,
            "0.58 / 29 = 2.0 %"
        );
        all.entry(2023)
            .or_default()
            .insert("real_deficit_early".into(), 11_820);
        let d = &INDICATORS[4];
        assert_eq!(
            threshold(&all, 2023, d.early),
            Some(16_820),
            "連結 = 実質赤字の基準 + 5"
        );
        assert_eq!(threshold(&all, 2022, d.early), None);
    }
}
