//! 集計結果 — a survey's results: counts and percentages per question (multiple choice counted per
//! option over the respondents who answered), scale scores, free text with search, cross-tabulation by
//! a respondent attribute, the importance × satisfaction portfolio with 改善度指数, and the trend
//! across the yearly waves. Charts are SVG with their tables; the responses export as CSV.

use super::plans::fy;
use crate::charts::{self, Series, fmt_num};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::plans::codes::{self, Code, SURVEY_QUADRANT};
use crate::surveys::chart::{self as scatter_chart, Point};
use crate::surveys::results::{self, Counts, PortfolioItem, Tally};
use crate::surveys::store::{self, Form, Kind, Question};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{PathId, QueryData};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResultsQuery {
    by: String,
    text: String,
}

pub struct QResult {
    pub number: usize,
    pub label: String,
    pub multi: bool,
    pub base: i64,
    /// (label, count, percent of the base)
    pub rows: Vec<(String, i64, String)>,
    pub chart: String,
    /// (weighted average, net score, top-2 box)
    pub scores: Option<(String, String, String)>,
    /// (count, mean, min, max)
    pub numbers: Option<(i64, String, String, String)>,
    pub texts: Option<Vec<String>>,
    pub is_pair: bool,
    /// A free-text question: how many answered it.
    pub text_count: Option<i64>,
    /// Matrix: column labels and, per row, (label, respondents, percent per column).
    pub matrix: Option<(Vec<String>, Vec<MatrixRow>)>,
    /// 順位: (option, mean rank, first places, respondents who ranked it), best mean rank first.
    pub ranking: Option<Vec<(String, String, i64, i64)>>,
}

/// (row label, respondents who answered the row, percent per column)
pub type MatrixRow = (String, i64, Vec<String>);

pub struct CrossTable {
    pub number: usize,
    pub label: String,
    pub columns: Vec<String>,
    /// (attribute option, respondents, percent per column)
    pub rows: Vec<(String, i64, Vec<String>)>,
}

pub struct PortfolioRow {
    pub number: usize,
    pub subject: String,
    pub link: Option<String>,
    pub importance: String,
    pub satisfaction: String,
    pub dev_importance: String,
    pub dev_satisfaction: String,
    pub quadrant: String,
    pub index: String,
    pub rank: usize,
}

#[derive(Template)]
#[template(path = "surveys/results.html")]
struct ResultsPage<'a> {
    s: Shell<'a>,
    form: Form,
    year: String,
    respondents: i64,
    questions: Vec<QResult>,
    attributes: Vec<(i64, String, bool)>,
    cross: Vec<CrossTable>,
    cross_label: String,
    portfolio: Vec<PortfolioRow>,
    portfolio_chart: String,
    waves: Vec<(i64, String, bool)>,
    /// (item, per wave: satisfaction score and quadrant)
    trend: Vec<(String, Vec<(String, String)>)>,
    trend_chart: String,
    text_search: String,
    can_export: bool,
}

pub fn pct(n: i64, base: i64) -> String {
    if base == 0 {
        "—".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / base as f64)
    }
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "—".into())
}

pub fn quadrant_label(codes: &[Code], code: &str, t: Tr) -> String {
    let l = codes::label(codes, SURVEY_QUADRANT, code, t.lang);
    if l == code {
        t.t(&format!("survey.quadrant_{code}")).to_string()
    } else {
        l.to_string()
    }
}

/// (label, count) rows of a choice or scale question.
fn rows_of(t: Tr, q: &Question, c: &Counts) -> Vec<(String, i64)> {
    match q.kind {
        Kind::Single | Kind::Multi => q
            .options
            .iter()
            .map(|o| {
                (
                    o.label.clone(),
                    c.per_option.get(&o.id).copied().unwrap_or(0),
                )
            })
            .collect(),
        Kind::Scale => (0..5)
            .map(|i| {
                (
                    t.t(&format!("survey.satisfaction{}", 5 - i)).to_string(),
                    c.per_level[i],
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn question_result(t: Tr, i: usize, q: &Question, tally: &Tally) -> QResult {
    let c = tally.of(q.id(), "");
    let rows: Vec<(String, String, i64)> = rows_of(t, q, &c)
        .into_iter()
        .map(|(l, n)| (l.clone(), l, n))
        .collect();
    let chart = if rows.is_empty() {
        String::new()
    } else {
        let cats: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let values = rows
            .iter()
            .map(|r| (c.answered > 0).then(|| r.2 as f64 * 100.0 / c.answered as f64))
            .collect();
        charts::bars(
            &format!("q{}", i + 1),
            &q.row.label,
            &cats,
            &[Series { name: "%", values }],
            "%",
        )
    };
    let scores = (q.kind == Kind::Scale).then(|| {
        let s = tally.scores(q.id(), "");
        (opt(s.weighted, 2), opt(s.net, 1), opt(s.top2, 1))
    });
    QResult {
        number: i + 1,
        label: q.row.label.clone(),
        multi: matches!(q.kind, Kind::Multi | Kind::MatrixMulti),
        base: c.answered,
        rows: rows
            .into_iter()
            .map(|(_, l, n)| (l, n, pct(n, c.answered)))
            .collect(),
        chart,
        scores,
        numbers: tally
            .numbers
            .get(&q.id())
            .map(|n| (n.count, fmt2(n.mean), fmt_num(n.min), fmt_num(n.max))),
        texts: None,
        is_pair: q.kind == Kind::Pair,
        text_count: matches!(q.kind, Kind::Text | Kind::LongText).then_some(c.answered),
        matrix: if q.kind == Kind::Ranking {
            Some(ranking_table(t, q, &c))
        } else {
            None
        }
        .or_else(|| {
            q.kind.is_matrix().then(|| {
                let columns = q.options.iter().map(|o| o.label.clone()).collect();
                let rows = q
                    .rows
                    .iter()
                    .map(|r| {
                        let base = c.per_row.get(&r.id).copied().unwrap_or(0);
                        let cells = q
                            .options
                            .iter()
                            .map(|o| pct(c.per_cell.get(&(o.id, r.id)).copied().unwrap_or(0), base))
                            .collect();
                        (r.label.clone(), base, cells)
                    })
                    .collect();
                (columns, rows)
            })
        }),
        ranking: (q.kind == Kind::Ranking).then(|| ranking_summary(q, &c)),
    }
}

/// The share of each rank per option (the matrix table of a ranking).
fn ranking_table(t: Tr, q: &Question, c: &Counts) -> (Vec<String>, Vec<MatrixRow>) {
    let ranks: Vec<i64> = (1..=q.options.len() as i64).collect();
    let columns = ranks.iter().map(|r| t.f("survey.rank_n", &[r])).collect();
    let rows = q
        .options
        .iter()
        .map(|o| {
            let n = |r: i64| c.per_cell.get(&(o.id, r)).copied().unwrap_or(0);
            let base: i64 = ranks.iter().map(|r| n(*r)).sum();
            (
                o.label.clone(),
                base,
                ranks.iter().map(|r| pct(n(*r), base)).collect(),
            )
        })
        .collect();
    (columns, rows)
}

/// Options by mean rank (lower is better), with first places and how many ranked each.
fn ranking_summary(q: &Question, c: &Counts) -> Vec<(String, String, i64, i64)> {
    let mut out: Vec<(f64, String, i64, i64)> = q
        .options
        .iter()
        .map(|o| {
            let (mut base, mut sum) = (0i64, 0i64);
            for r in 1..=q.options.len() as i64 {
                let n = c.per_cell.get(&(o.id, r)).copied().unwrap_or(0);
                base += n;
                sum += n * r;
            }
            let mean = if base > 0 {
                sum as f64 / base as f64
            } else {
                f64::INFINITY
            };
            (
                mean,
                o.label.clone(),
                c.per_cell.get(&(o.id, 1)).copied().unwrap_or(0),
                base,
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out.into_iter()
        .map(|(m, l, first, base)| {
            (
                l,
                if m.is_finite() { fmt2(m) } else { "—".into() },
                first,
                base,
            )
        })
        .collect()
}

fn fmt2(v: f64) -> String {
    format!("{v:.2}")
}

fn portfolio_rows(t: Tr, codes: &[Code], items: &[PortfolioItem]) -> Vec<PortfolioRow> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        items[b]
            .placed
            .improvement_index
            .total_cmp(&items[a].placed.improvement_index)
    });
    items
        .iter()
        .enumerate()
        .map(|(i, p)| PortfolioRow {
            number: i + 1,
            subject: p.subject.clone(),
            link: p.plan_node_id.map(|n| format!("/plans/items/{n}")),
            importance: fmt2(p.importance),
            satisfaction: fmt2(p.satisfaction),
            dev_importance: format!("{:.1}", p.placed.importance),
            dev_satisfaction: format!("{:.1}", p.placed.satisfaction),
            quadrant: quadrant_label(codes, p.placed.quadrant.code(), t),
            index: format!("{:.1}", p.placed.improvement_index),
            rank: order.iter().position(|&k| k == i).unwrap_or(0) + 1,
        })
        .collect()
}

fn portfolio_chart(t: Tr, codes: &[Code], items: &[PortfolioItem]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let q = |c: &str| quadrant_label(codes, c, t);
    let labels = [
        q("improve_first"),
        q("keep_up"),
        q("maintain"),
        q("improve"),
    ];
    let points: Vec<Point> = items
        .iter()
        .enumerate()
        .map(|(i, p)| Point {
            number: i + 1,
            importance: p.placed.importance,
            satisfaction: p.placed.satisfaction,
        })
        .collect();
    scatter_chart::scatter(
        "portfolio",
        t.t("survey.portfolio_chart"),
        (
            t.t("survey.axis_importance"),
            t.t("survey.axis_satisfaction"),
        ),
        [&labels[0], &labels[1], &labels[2], &labels[3]],
        &points,
    )
}

/// Cross tables of every choice and scale question by the options of attribute question `by`.
fn cross_tables(
    t: Tr,
    form: &Form,
    attr: &Question,
    by: &std::collections::HashMap<i64, Tally>,
) -> Vec<CrossTable> {
    form.questions
        .iter()
        .enumerate()
        .filter(|(_, q)| {
            q.id() != attr.id() && matches!(q.kind, Kind::Single | Kind::Multi | Kind::Scale)
        })
        .map(|(i, q)| {
            let empty = Tally::default();
            let columns: Vec<String> = rows_of(t, q, &Counts::default())
                .into_iter()
                .map(|r| r.0)
                .collect();
            CrossTable {
                number: i + 1,
                label: q.row.label.clone(),
                columns,
                rows: attr
                    .options
                    .iter()
                    .map(|o| {
                        let c = by.get(&o.id).unwrap_or(&empty).of(q.id(), "");
                        let cells = rows_of(t, q, &c)
                            .into_iter()
                            .map(|(_, n)| pct(n, c.answered))
                            .collect();
                        (o.label.clone(), c.answered, cells)
                    })
                    .collect(),
            }
        })
        .collect()
}

pub async fn show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(query): QueryData<ResultsQuery>,
) -> AppResult<Response> {
    if let Some(hit) = st.cache.get(&ctx) {
        return Ok(hit);
    }
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    let form = store::form(db, org, id)
        .await?
        .filter(|f| f.survey.status != "draft")
        .ok_or(AppError::NotFound)?;
    let attr = query
        .by
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|b| form.question(b))
        .filter(|q| q.row.attribute != 0)
        .cloned();
    let (tally, codes, by) =
        tokio::try_join!(results::tally(db, org, id), codes::all(db, org), async {
            match &attr {
                Some(a) => results::crosstab(db, org, id, a.id()).await.map(Some),
                None => Ok(None),
            }
        })?;
    let search: String = query.text.trim().chars().take(100).collect();
    // Written answers may name people or places: only the reform HQ reads them here; the public
    // sees how many there are (the HQ quotes them in its report after review).
    let hq = ctx.principal.as_deref().is_some_and(|p| p.is_reform_hq());
    let mut questions = Vec::new();
    for (i, q) in form.questions.iter().enumerate() {
        let mut r = question_result(t, i, q, &tally);
        if hq && matches!(q.kind, Kind::Text | Kind::LongText) {
            r.texts = Some(results::texts(db, org, id, q.id(), &search, 20).await?);
        }
        questions.push(r);
    }
    let items = results::portfolio(&form, &tally);
    // Waves of the same survey: one tally per wave (a handful of yearly waves).
    let mut waves = Vec::new();
    let mut wave_items: Vec<(String, Vec<PortfolioItem>)> = Vec::new();
    if !form.survey.series.is_empty() {
        for w in store::waves(db, org, &form.survey.series).await? {
            let items = if w.id == id {
                items.clone()
            } else {
                let wf = store::form(db, org, w.id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                results::portfolio(&wf, &results::tally(db, org, w.id).await?)
            };
            waves.push((w.id, fy(t, w.fiscal_year), w.id == id));
            wave_items.push((fy(t, w.fiscal_year), items));
        }
    }
    let subjects: Vec<String> = items.iter().map(|p| p.subject.clone()).collect();
    let trend: Vec<(String, Vec<(String, String)>)> = if wave_items.len() > 1 {
        subjects
            .iter()
            .map(|subj| {
                let cells = wave_items
                    .iter()
                    .map(|(_, its)| {
                        its.iter()
                            .find(|p| &p.subject == subj)
                            .map(|p| {
                                (
                                    fmt2(p.satisfaction),
                                    quadrant_label(&codes, p.placed.quadrant.code(), t),
                                )
                            })
                            .unwrap_or_else(|| ("—".into(), "—".into()))
                    })
                    .collect();
                (subj.clone(), cells)
            })
            .collect()
    } else {
        Vec::new()
    };
    let trend_chart = if trend.is_empty() {
        String::new()
    } else {
        let series: Vec<Series> = wave_items
            .iter()
            .map(|(year, its)| Series {
                name: year,
                values: subjects
                    .iter()
                    .map(|s| its.iter().find(|p| &p.subject == s).map(|p| p.satisfaction))
                    .collect(),
            })
            .collect();
        let cats: Vec<String> = (1..=subjects.len()).map(|n| n.to_string()).collect();
        charts::bars(
            "trend",
            t.t("survey.trend_chart"),
            &cats,
            &series,
            t.t("survey.score_unit"),
        )
    };
    let cross = match (&attr, &by) {
        (Some(a), Some(by)) => cross_tables(t, &form, a, by),
        _ => Vec::new(),
    };
    let attributes = form
        .questions
        .iter()
        .filter(|q| q.row.attribute != 0)
        .map(|q| {
            (
                q.id(),
                q.row.label.clone(),
                attr.as_ref().is_some_and(|a| a.id() == q.id()),
            )
        })
        .collect();
    let page = ResultsPage {
        s: Shell::new(&ctx, "survey.results_title"),
        year: fy(t, form.survey.fiscal_year),
        respondents: tally.respondents,
        questions,
        attributes,
        cross,
        cross_label: attr.map(|a| a.row.label).unwrap_or_default(),
        portfolio: portfolio_rows(t, &codes, &items),
        portfolio_chart: portfolio_chart(t, &codes, &items),
        waves,
        trend,
        trend_chart,
        text_search: search,
        can_export: hq,
        form,
    };
    let html = render(&page)?;
    Ok(st.cache.store(&ctx, html.0))
}

/// 市民意識調査 results bound to a plan item or 施策, as the rows of `surveys/bound.html`:
/// (year, results link, survey, importance, satisfaction, quadrant, 改善度指数).
pub type BoundRow = (String, String, String, String, String, String, String);

pub async fn bound_rows(
    db: &crate::db::Db,
    org: i64,
    binding: crate::surveys::results::Binding,
    codes: &[crate::plans::codes::Code],
    t: crate::i18n::Tr,
) -> sqlx::Result<Vec<BoundRow>> {
    Ok(crate::surveys::results::bound_to(db, org, binding)
        .await?
        .into_iter()
        .map(|r| {
            (
                super::plans::fy(t, r.fiscal_year),
                format!("/surveys/{}/results", r.survey_id),
                r.title,
                format!("{:.2}", r.importance),
                format!("{:.2}", r.satisfaction),
                quadrant_label(codes, r.quadrant, t),
                format!("{:.1}", r.improvement_index),
            )
        })
        .collect())
}
