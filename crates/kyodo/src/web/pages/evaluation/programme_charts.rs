//! The charts of a programme's page, each with its data as a table: 総コストの推移 (決算 and 予算 apart,
//! from `evaluation::cost_trend`) and one chart per indicator (目標 and 実績 by year).

use crate::charts::{self, Series};
use crate::evaluation::cost_trend::{self, SheetCosts};
use crate::evaluation::sheet_data::SheetData;
use crate::evaluation::sheet_view::num;
use crate::evaluation::store::{Indicator, IndicatorValue, UnitCost};
use crate::i18n::Tr;
use crate::web::format::fy;

pub struct Chart {
    pub svg: String,
    pub caption: String,
    pub headings: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

pub fn charts(
    t: Tr,
    data: &SheetData,
    year_of: &dyn Fn(i64) -> i64,
    units: &[UnitCost],
    inds: &[Indicator],
    values: &[IndicatorValue],
) -> Vec<Chart> {
    let mut out = Vec::new();
    out.extend(cost_chart(t, data, year_of, units));
    // Indicator charts cover the published years, oldest first.
    let mut years: Vec<i64> = data.sheets.iter().map(|s| year_of(s.cycle_id)).collect();
    years.sort_unstable();
    let year_labels: Vec<String> = years.iter().map(|y| fy(t, *y)).collect();
    for (k, ind) in inds.iter().enumerate() {
        let get = |y: i64| {
            values
                .iter()
                .find(|v| v.indicator_id == ind.id && v.fiscal_year == y)
        };
        let targets: Vec<Option<f64>> = years
            .iter()
            .map(|y| get(*y).and_then(|v| v.target))
            .collect();
        let actuals: Vec<Option<f64>> = years
            .iter()
            .map(|y| get(*y).and_then(|v| v.actual))
            .collect();
        let caption = format!("{} ({})", ind.name, ind.unit);
        let (target, actual) = (t.t("eval.target"), t.t("eval.actual"));
        out.push(Chart {
            svg: charts::bars(
                &format!("ind-{k}"),
                &caption,
                &year_labels,
                &[
                    Series {
                        name: target,
                        values: targets.clone(),
                    },
                    Series {
                        name: actual,
                        values: actuals.clone(),
                    },
                ],
                &ind.unit,
            ),
            caption,
            headings: vec![target.to_string(), actual.to_string()],
            rows: year_labels
                .iter()
                .enumerate()
                .map(|(i, y)| (y.clone(), vec![num(targets[i]), num(actuals[i])]))
                .collect(),
        });
    }
    out
}

/// 総コストの推移: a bar for each year's 決算 and 予算 that exists; none when no column was filled.
fn cost_chart(
    t: Tr,
    data: &SheetData,
    year_of: &dyn Fn(i64) -> i64,
    units: &[UnitCost],
) -> Option<Chart> {
    let sheets: Vec<SheetCosts<'_>> = data
        .sheets
        .iter()
        .map(|s| SheetCosts {
            fiscal_year: year_of(s.cycle_id),
            costs: data.costs_of(s.id),
            staffing: data.staffing_of(s.id),
        })
        .collect();
    let trend = cost_trend::trend(&sheets, units);
    if trend.is_empty() {
        return None;
    }
    let labels: Vec<String> = trend.iter().map(|y| fy(t, y.year)).collect();
    let total =
        |c: &Option<crate::evaluation::costs::ColumnTotal>| c.as_ref().map(|c| c.total as f64);
    let (settled, budget) = (t.t("eval.trend_settled"), t.t("eval.trend_budget"));
    let caption = t.t("eval.cost_trend").to_string();
    Some(Chart {
        svg: charts::bars(
            "cost-trend",
            &caption,
            &labels,
            &[
                Series {
                    name: settled,
                    values: trend.iter().map(|y| total(&y.settled)).collect(),
                },
                Series {
                    name: budget,
                    values: trend.iter().map(|y| total(&y.budget)).collect(),
                },
            ],
            t.t("eval.unit_thousand_yen"),
        ),
        caption,
        headings: [
            "eval.trend_settled_programme",
            "eval.trend_settled_personnel",
            "eval.trend_settled_total",
            "eval.trend_budget_total",
        ]
        .iter()
        .map(|k| t.t(k).to_string())
        .collect(),
        rows: labels
            .into_iter()
            .zip(&trend)
            .map(|(label, y)| {
                let s = y.settled.as_ref();
                (
                    label,
                    vec![
                        num(s.map(|c| c.programme_cost as f64)),
                        num(s.map(|c| c.personnel as f64)),
                        num(total(&y.settled)),
                        num(total(&y.budget)),
                    ],
                )
            })
            .collect(),
    })
}
