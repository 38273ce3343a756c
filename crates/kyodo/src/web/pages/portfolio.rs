//! The importance × satisfaction portfolio as pages show it: the table rows with 偏差値, quadrant
//! (in the city's vocabulary) and 改善度指数, the scatter chart, and the rows of a survey bound to a
//! plan item or 施策 for that item's page.

use crate::codes::{self, Code, SURVEY_QUADRANT};
use crate::i18n::Tr;
use crate::surveys::chart as scatter_chart;
use crate::surveys::results::PortfolioItem;
use crate::web::format::fmt2;

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

pub fn quadrant_label(codes: &[Code], code: &str, t: Tr) -> String {
    let l = codes::label(codes, SURVEY_QUADRANT, code, t.lang);
    if l == code {
        t.t(&format!("survey.quadrant_{code}")).to_string()
    } else {
        l.to_string()
    }
}

pub fn portfolio_rows(t: Tr, codes: &[Code], items: &[PortfolioItem]) -> Vec<PortfolioRow> {
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

pub fn portfolio_chart(t: Tr, codes: &[Code], items: &[PortfolioItem]) -> String {
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
    let points = scatter_chart::points(items);
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

/// A 市民意識調査 result bound to a plan item or 施策: a row of `surveys/bound.html`.
pub struct BoundRow {
    pub year: String,
    pub href: String,
    pub title: String,
    pub importance: String,
    pub satisfaction: String,
    pub quadrant: String,
    /// 改善度指数 — the improvement index.
    pub improvement_index: String,
}

pub async fn bound_rows(
    db: &crate::db::Db,
    org: i64,
    binding: crate::surveys::results::Binding,
    codes: &[crate::codes::Code],
    t: crate::i18n::Tr,
) -> crate::error::AppResult<Vec<BoundRow>> {
    let results = crate::surveys::results::bound_to(db, org, binding).await?;
    Ok(result_rows(&results, codes, t))
}

/// The rows of a page's table of bound survey results.
pub fn result_rows(
    results: &[crate::surveys::results::ItemResult],
    codes: &[crate::codes::Code],
    t: crate::i18n::Tr,
) -> Vec<BoundRow> {
    results
        .iter()
        .map(|r| BoundRow {
            year: crate::web::format::fy(t, r.fiscal_year),
            href: format!("/surveys/{}/results", r.survey_id),
            title: r.title.clone(),
            importance: format!("{:.2}", r.importance),
            satisfaction: format!("{:.2}", r.satisfaction),
            quadrant: quadrant_label(codes, r.quadrant, t),
            improvement_index: format!("{:.1}", r.improvement_index),
        })
        .collect()
}
