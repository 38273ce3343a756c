//! 財政指標 for citizens: each indicator's history by year (entered or computed — marked), the
//! thresholds that matter (早期健全化基準, 財政再生基準) and where the latest year stands against them,
//! a chart of the ratios citizens watch most with the table as its data, and what each means. The
//! HQ's form for a year's figures, each refused beside its field.

use crate::audit::Actor;
use crate::charts::{Series, bars};
use crate::error::{AppError, AppResult};
use crate::finance::indicators::{self, INDICATORS, Threshold, Unit, enterable};
use crate::i18n::fy;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, QueryData, first};
use crate::web::format::amount;
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Years shown in the history, newest last.
const HISTORY: usize = 10;

fn shown(unit: Unit, v: i64) -> String {
    match unit {
        Unit::Thousands => amount(v / 1000),
        Unit::Index => format!("{:.3}", v as f64 / 1000.0),
        Unit::Percent => format!("{:.1}", v as f64 / 1000.0),
    }
}

pub struct Row {
    name: String,
    note: String,
    /// Per year: the value as shown, and whether computed.
    values: Vec<(String, bool)>,
    early: String,
    rebuild: String,
    status: String,
}

#[derive(Template)]
#[template(path = "finance/indicators.html")]
struct IndicatorsPage<'a> {
    s: Shell<'a>,
    years: Vec<String>,
    rows: Vec<Row>,
    chart: String,
    any_computed: bool,
    is_demo: bool,
}

pub async fn page(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let (db, org) = (st.reader(&ctx), ctx.org_id());
    let (all, is_demo) =
        tokio::try_join!(indicators::entered(db, org), indicators::is_demo(db, org))?;
    let years: Vec<i64> = all
        .keys()
        .copied()
        .filter(|y| {
            INDICATORS
                .iter()
                .any(|d| indicators::value(&all, *y, d.code).is_some())
        })
        .collect();
    let years = years[years.len().saturating_sub(HISTORY)..].to_vec();
    let Some(latest) = years.last().copied() else {
        return crate::web::pages::message(
            &ctx,
            "fix.title",
            &["fix.none"],
            Some(("/finance", "fin.title")),
        );
    };
    let text = |d: &indicators::Def, v: i64| {
        if d.deficit && v <= 0 {
            "−".to_string()
        } else {
            shown(d.unit, v)
        }
    };
    let limit = |th: Threshold, range: &'static str| {
        indicators::threshold(&all, latest, th)
            .map(|v| shown(Unit::Percent, v))
            .unwrap_or_else(|| {
                if th == Threshold::None {
                    String::new()
                } else {
                    t.t(range).to_string()
                }
            })
    };
    let mut any_computed = false;
    let rows = INDICATORS
        .iter()
        .map(|d| {
            let values = years
                .iter()
                .map(|y| match indicators::value(&all, *y, d.code) {
                    Some(v) => {
                        any_computed |= v.computed;
                        (text(d, v.value), v.computed)
                    }
                    None => (String::new(), false),
                })
                .collect();
            let now = indicators::value(&all, latest, d.code).map(|v| v.value);
            let (early, rebuild) = (
                indicators::threshold(&all, latest, d.early),
                indicators::threshold(&all, latest, d.rebuild),
            );
            let status = match (now, early, rebuild) {
                (Some(v), _, Some(r)) if v >= r => t.t("fix.over_rebuild"),
                (Some(v), Some(e), _) if v >= e => t.t("fix.over_early"),
                (Some(_), Some(_), _) | (Some(_), None, Some(_)) => t.t("fix.under"),
                _ => "",
            };
            Row {
                name: t.t(d.key).to_string(),
                note: t.t(d.note).to_string(),
                values,
                early: limit(
                    d.early,
                    if d.code == "real_deficit" {
                        "fix.early_range"
                    } else {
                        "fix.early_range_consolidated"
                    },
                ),
                rebuild: limit(d.rebuild, "fix.early_range"),
                status: status.to_string(),
            }
        })
        .collect();
    let labels: Vec<String> = years.iter().map(|y| fy(t, *y)).collect();
    let series = |code: &'static str| Series {
        name: t.t(match code {
            "current_balance" => "fix.current_balance",
            _ => "fix.debt_service",
        }),
        values: years
            .iter()
            .map(|y| indicators::value(&all, *y, code).map(|v| v.value as f64 / 1000.0))
            .collect(),
    };
    let chart = bars(
        "ratios",
        t.t("fix.chart"),
        &labels,
        &[series("current_balance"), series("debt_service")],
        "%",
    );
    let page = IndicatorsPage {
        s: Shell::new(&ctx, "fix.title"),
        years: labels,
        rows,
        chart,
        any_computed,
        is_demo,
    };
    Ok(st.cache.store(&ctx, render(&page)?.0))
}

/// Every year's indicators as open data: year, indicator, value, whether computed.
/// The open-data columns of the fiscal indicators.
pub const HEADER: [&str; 5] = ["fiscal_year", "indicator", "name", "value", "computed"];

/// Every year's value, computed or entered, as open-data rows (the CSV and the API).
pub async fn rows(db: &crate::db::Db, org: i64, t: crate::i18n::Tr) -> AppResult<Vec<Vec<String>>> {
    let all = indicators::entered(db, org).await?;
    let mut rows = Vec::new();
    for year in all.keys() {
        for d in &INDICATORS {
            if let Some(v) = indicators::value(&all, *year, d.code) {
                rows.push(vec![
                    year.to_string(),
                    d.code.to_string(),
                    t.t(d.key).to_string(),
                    shown(d.unit, v.value).replace(',', ""),
                    if v.computed { "1" } else { "0" }.to_string(),
                ]);
            }
        }
    }
    Ok(rows)
}

pub async fn csv(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let rows = rows(st.reader(&ctx), ctx.org_id(), ctx.tr()).await?;
    crate::web::download::csv_body(
        &HEADER,
        rows,
        format!("{}_fiscal_indicators.csv", ctx.org.lg_code),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

#[derive(Template)]
#[template(path = "finance/indicators_form.html")]
struct FormPage<'a> {
    s: Shell<'a>,
    year: String,
    /// The year whose stored figures filled the form: only then does an emptied field remove one.
    loaded: String,
    /// (field name, label, value)
    fields: Vec<(String, String, String)>,
}

async fn form_page(
    st: &WebState,
    ctx: &Ctx,
    errs: FieldErrors,
    year: &str,
    typed: Option<&[(String, String)]>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let parsed = kyodo_jp::FiscalYear::parse(year).map(|y| i64::from(y.0));
    let stored = match parsed {
        Some(y) => indicators::entered(&st.app.db, ctx.org_id())
            .await?
            .remove(&y)
            .unwrap_or_default(),
        None => Default::default(),
    };
    let loaded = match typed {
        Some(f) => first(f, "loaded").to_string(),
        None => parsed.map(|y| y.to_string()).unwrap_or_default(),
    };
    let fields = enterable()
        .map(|(code, unit, key)| {
            let name = format!("v-{code}");
            let value = match typed {
                Some(f) => first(f, &name).to_string(),
                None => stored
                    .get(code)
                    .map(|v| shown(unit, *v).replace(',', ""))
                    .unwrap_or_default(),
            };
            (name, t.t(key).to_string(), value)
        })
        .collect();
    let page = FormPage {
        s: Shell::new(ctx, "fix.form_title").with_errors(errs),
        year: year.to_string(),
        loaded,
        fields,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn form(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<YearQuery>,
) -> AppResult<Response> {
    form_page(&st, &ctx, FieldErrors::default(), &q.year, None).await
}

pub async fn save(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let mut errs = FieldErrors::default();
    let year = kyodo_jp::FiscalYear::parse(first(&f, "year"));
    if year.is_none() {
        errs.add("year", "fst.bad_population_year");
    }
    // An empty field removes a stored figure only when the form was filled with that year's
    // figures; posting a year without loading it leaves what it does not name alone.
    let clears = year.is_some_and(|y| first(&f, "loaded") == y.0.to_string());
    let mut values = Vec::new();
    for (code, unit, _) in enterable() {
        let name = format!("v-{code}");
        let raw = first(&f, &name).trim();
        if raw.is_empty() {
            if clears {
                values.push((code, None));
            }
            continue;
        }
        match indicators::parse(unit, raw) {
            Some(v) => values.push((code, Some(v))),
            None => errs.add(&name, "fix.bad_value"),
        }
    }
    let Some(year) = year.filter(|_| errs.is_empty()) else {
        return form_page(&st, &ctx, errs, first(&f, "year"), Some(&f)).await;
    };
    let y = i64::from(year.0);
    indicators::save(&st.app, ctx.org_id(), &Actor::user(user), y, &values, false)
        .await
        .map_err(AppError::Internal)?;
    Ok(see_other(
        &st,
        &format!("/hq/finance/indicators?year={y}"),
        "admin.saved",
    ))
}
