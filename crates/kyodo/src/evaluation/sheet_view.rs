//! The view of one evaluation sheet shared by the public programme page and the staff, HQ and
//! committee pages: the cost table (four columns × funding sources, 人件費, total), indicators with
//! achievement, the self-evaluation scores and every stage's verdict side by side.

use crate::charts::fmt_num;
use crate::codes::{self, Code};
use crate::evaluation::costs::{self, ColumnTotal};
use crate::evaluation::sheet_data::SheetData;
use crate::evaluation::stage::{REVIEW_STAGES, Stage};
use crate::evaluation::store::{Indicator, IndicatorValue, Sheet};
use crate::i18n::Tr;
use crate::i18n::fy;
use crate::plans::metrics::achievement;

pub struct VerdictView {
    pub stage: Stage,
    pub operator: String,
    pub direction: String,
    pub reason: String,
    pub improvement: String,
}

pub struct SheetView {
    pub sheet_id: i64,
    pub year_label: String,
    pub stage: String,
    pub headings: Vec<String>,
    /// (row label, one cell per column, is a total row)
    pub cost_rows: Vec<(String, Vec<String>, bool)>,
    pub cost_per_unit: String,
    pub missing_unit_costs: bool,
    /// (kind, name, unit, target, actual, achievement)
    pub indicators: Vec<[String; 6]>,
    pub scores: Vec<(String, String, String)>,
    /// One per stage, `None` until given.
    pub verdicts: Vec<(String, Option<VerdictView>)>,
    pub external: bool,
}

fn kind_key(kind: &str) -> &'static str {
    match kind {
        "target" => "eval.ind_target",
        "activity" => "eval.ind_activity",
        _ => "eval.ind_outcome",
    }
}

pub fn num(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_else(|| "—".into())
}

/// Everything a sheet's view is built from: the sheet and the tables read for it.
pub struct Sources<'a> {
    pub fiscal_year: i64,
    pub sheet: &'a Sheet,
    pub data: &'a SheetData,
    pub cols: &'a [ColumnTotal],
    pub inds: &'a [Indicator],
    pub values: &'a [IndicatorValue],
    pub all_codes: &'a [Code],
}

pub fn build(t: Tr, sources: Sources<'_>) -> SheetView {
    let Sources {
        fiscal_year,
        sheet,
        data,
        cols,
        inds,
        values,
        all_codes,
    } = sources;
    let label = |list: &str, c: &str| codes::label(all_codes, list, c, t.lang).to_string();
    let headings = costs::COLUMNS
        .iter()
        .zip(cols)
        .map(|((_, key), c)| format!("{} {}", fy(t, c.year), t.t(key)))
        .collect();
    let money = |v: i64| fmt_num(v as f64);
    let mut cost_rows: Vec<(String, Vec<String>, bool)> =
        codes::of_list(all_codes, codes::FUNDING_SOURCE)
            .map(|src| {
                (
                    src.label(t.lang).to_string(),
                    cols.iter()
                        .map(|c| money(c.by_source.get(&src.code).copied().unwrap_or(0)))
                        .collect(),
                    false,
                )
            })
            .collect();
    cost_rows.push((
        t.t("eval.programme_cost").into(),
        cols.iter().map(|c| money(c.programme_cost)).collect(),
        true,
    ));
    cost_rows.push((
        t.t("eval.fte").into(),
        cols.iter().map(|c| format!("{:.2}", c.fte)).collect(),
        false,
    ));
    cost_rows.push((
        t.t("eval.personnel_cost").into(),
        cols.iter().map(|c| money(c.personnel)).collect(),
        false,
    ));
    cost_rows.push((
        t.t("eval.total_cost").into(),
        cols.iter().map(|c| money(c.total)).collect(),
        true,
    ));
    let settled = costs::column(cols, "settled").map_or(0, |c| c.total);
    let output = inds
        .iter()
        .find(|i| i.kind == "activity")
        .and_then(|i| costs::actual(values, i.id, fiscal_year));
    let unit = inds
        .iter()
        .find(|i| i.kind == "activity")
        .map(|i| i.unit.clone())
        .unwrap_or_default();
    let cost_per_unit = match costs::cost_per_unit(settled, output) {
        Some(v) => t.f("eval.cost_per_unit_value", &[&format!("{v:.1}"), &unit]),
        None => "—".into(),
    };
    let indicators = inds
        .iter()
        .map(|i| {
            let v = values
                .iter()
                .find(|v| v.indicator_id == i.id && v.fiscal_year == fiscal_year);
            let (target, actual) = (v.and_then(|v| v.target), v.and_then(|v| v.actual));
            let a = target
                .zip(actual)
                .and_then(|(tg, ac)| achievement(i.higher_is_better, tg, ac));
            [
                t.t(kind_key(&i.kind)).to_string(),
                i.name.clone(),
                i.unit.clone(),
                num(target),
                num(actual),
                a.map(|a| format!("{a:.1}%")).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    let shown = sheet.stage.verdicts_public();
    SheetView {
        sheet_id: sheet.id,
        year_label: fy(t, fiscal_year),
        stage: t.t(sheet.stage.sheet_key()).to_string(),
        headings,
        cost_rows,
        cost_per_unit,
        missing_unit_costs: cols.iter().any(|c| !c.missing_unit_costs.is_empty()),
        indicators,
        scores: codes::of_list(all_codes, codes::EVAL_CRITERION)
            .filter_map(|c| {
                data.scores_of(sheet.id, Stage::First)
                    .into_iter()
                    .find(|s| s.criterion == c.code)
            })
            .map(|s| {
                (
                    label(codes::EVAL_CRITERION, &s.criterion),
                    label(codes::EVAL_SCORE, &s.score),
                    s.reason.clone(),
                )
            })
            .collect(),
        verdicts: REVIEW_STAGES
            .into_iter()
            .filter(|st| *st != Stage::External || sheet.external)
            .map(|st| {
                let v = data
                    .verdict(sheet.id, st)
                    .filter(|v| shown && !v.direction.is_empty())
                    .map(|v| VerdictView {
                        stage: st,
                        operator: label(codes::EVAL_OPERATOR, &v.operator),
                        direction: label(codes::EVAL_DIRECTION, &v.direction),
                        reason: v.reason.clone(),
                        improvement: v.improvement.clone(),
                    });
                (t.t(st.key()).to_string(), v)
            })
            .collect(),
        external: sheet.external,
    }
}
