//! One question's results as the results page shows them: counts and percentages per option
//! (multiple choice over the respondents who answered), scale scores, number summaries, matrix and
//! ranking tables, and a bar chart beside each table.

use crate::charts::{self, Series, fmt_num};
use crate::i18n::Tr;
use crate::surveys::results::{Counts, Tally};
use crate::surveys::store::{Kind, Question};
use crate::web::format::fmt2;

pub struct QResult {
    pub number: usize,
    pub label: String,
    /// The title of the section (見出し) this question opens, if it is the first of one.
    pub section: String,
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

pub fn pct(n: i64, base: i64) -> String {
    if base == 0 {
        "—".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / base as f64)
    }
}

pub fn opt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "—".into())
}

/// (label, count) rows of a choice or scale question.
pub fn rows_of(t: Tr, q: &Question, c: &Counts) -> Vec<(String, i64)> {
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

pub fn question_result(t: Tr, i: usize, q: &Question, tally: &Tally) -> QResult {
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
        section: String::new(),
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
