//! A whole plan loaded at once (a fixed number of queries, run concurrently) and the lookups pages,
//! exports and the API make on it. Nothing here queries per item.

use super::metrics;
use super::participation;
use super::store::{self, Effect, Indicator, IndicatorValue, Node, Period, Plan, PublishedReport};
use crate::codes::{self, Code};
use crate::db::Db;
use crate::i18n::Lang;
use std::collections::HashMap;

pub struct PlanData {
    pub plan: Plan,
    pub nodes: Vec<Node>,
    /// (node, department id, name, English name)
    pub departments: Vec<(i64, i64, String, String)>,
    /// (node, fiscal year, step code)
    pub schedule: Vec<(i64, i64, String)>,
    pub indicators: Vec<Indicator>,
    pub values: Vec<IndicatorValue>,
    pub effects: Vec<Effect>,
    pub periods: Vec<Period>,
    pub reports: Vec<PublishedReport>,
    pub codes: Vec<Code>,
    /// (node, fiscal year, score, count)
    pub ratings: Vec<(i64, i64, i64, i64)>,
    children: HashMap<Option<i64>, Vec<usize>>,
}

impl PlanData {
    pub async fn load(db: &Db, org: i64, plan_id: i64) -> sqlx::Result<Option<Self>> {
        let Some(plan) = store::plan(db, org, plan_id).await? else {
            return Ok(None);
        };
        let (
            nodes,
            departments,
            schedule,
            indicators,
            values,
            effects,
            periods,
            reports,
            codes,
            ratings,
        ) = tokio::try_join!(
            store::nodes(db, org, plan_id),
            store::node_departments(db, org, plan_id),
            store::schedule(db, org, plan_id),
            store::indicators(db, org, plan_id),
            store::indicator_values(db, org, plan_id),
            store::effects(db, org, plan_id),
            store::periods(db, org, plan_id),
            store::published_reports(db, org, plan_id),
            codes::all(db, org),
            participation::rating_counts(db, org, plan_id),
        )?;
        let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            children.entry(n.parent_id).or_default().push(i);
        }
        for list in children.values_mut() {
            list.sort_by_key(|i| nodes[*i].position);
        }
        Ok(Some(Self {
            plan,
            nodes,
            departments,
            schedule,
            indicators,
            values,
            effects,
            periods,
            reports,
            codes,
            ratings,
            children,
        }))
    }

    pub fn years(&self) -> std::ops::RangeInclusive<i64> {
        self.plan.first_year..=self.plan.last_year
    }

    pub fn node(&self, id: i64) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn children(&self, parent: Option<i64>) -> impl Iterator<Item = &Node> {
        self.children
            .get(&parent)
            .into_iter()
            .flatten()
            .map(|i| &self.nodes[*i])
    }

    /// The nodes in reading order (depth first), with their depth.
    pub fn preorder(&self) -> Vec<&Node> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<&Node> = self.children(None).collect();
        stack.reverse();
        while let Some(n) = stack.pop() {
            out.push(n);
            let mut kids: Vec<&Node> = self.children(Some(n.id)).collect();
            kids.reverse();
            stack.extend(kids);
        }
        out
    }

    /// The top-level ancestor (視点) of a node.
    pub fn root_of(&self, mut id: i64) -> i64 {
        while let Some(p) = self.node(id).and_then(|n| n.parent_id) {
            id = p;
        }
        id
    }

    pub fn ancestors(&self, id: i64) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut cur = self.node(id).and_then(|n| n.parent_id);
        while let Some(p) = cur.and_then(|p| self.node(p)) {
            out.push(p);
            cur = p.parent_id;
        }
        out.reverse();
        out
    }

    pub fn trackable(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| n.trackable)
    }

    pub fn department_ids(&self, node: i64) -> impl Iterator<Item = i64> + '_ {
        self.departments
            .iter()
            .filter(move |d| d.0 == node)
            .map(|d| d.1)
    }

    pub fn department_names(&self, node: i64, lang: Lang) -> String {
        self.departments
            .iter()
            .filter(|d| d.0 == node)
            .map(|d| {
                if lang == Lang::En && !d.3.is_empty() {
                    d.3.as_str()
                } else {
                    d.2.as_str()
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    /// Distinct departments of the plan, for filters.
    pub fn all_departments(&self, lang: Lang) -> Vec<(i64, String)> {
        let mut out: Vec<(i64, String)> = Vec::new();
        for d in &self.departments {
            if !out.iter().any(|(id, _)| *id == d.1) {
                out.push((
                    d.1,
                    if lang == Lang::En && !d.3.is_empty() {
                        d.3.clone()
                    } else {
                        d.2.clone()
                    },
                ));
            }
        }
        out
    }

    pub fn step(&self, node: i64, year: i64) -> Option<&str> {
        self.schedule
            .iter()
            .find(|s| s.0 == node && s.1 == year)
            .map(|s| s.2.as_str())
    }

    /// The newest published report of a node, up to `year` when given.
    pub fn latest_report(&self, node: i64, year: Option<i64>) -> Option<&PublishedReport> {
        self.reports
            .iter()
            .filter(|r| r.node_id == node && year.is_none_or(|y| r.fiscal_year <= y))
            .max_by_key(|r| r.fiscal_year)
    }

    pub fn reports_of(&self, node: i64) -> impl Iterator<Item = &PublishedReport> {
        self.reports.iter().filter(move |r| r.node_id == node)
    }

    pub fn indicators_of(&self, node: i64) -> impl Iterator<Item = &Indicator> {
        self.indicators.iter().filter(move |i| i.node_id == node)
    }

    pub fn values_of(&self, indicator: i64) -> impl Iterator<Item = &IndicatorValue> {
        self.values
            .iter()
            .filter(move |v| v.indicator_id == indicator)
    }

    pub fn effects_of(&self, node: i64) -> Vec<&Effect> {
        self.effects.iter().filter(|e| e.node_id == node).collect()
    }

    /// Latest indicator achievement of a node (first indicator with data), e.g. (2010, 100.2).
    pub fn indicator_status(&self, node: i64) -> Option<(i64, f64)> {
        self.indicators_of(node)
            .find_map(|i| metrics::latest_achievement(i, &self.values))
    }

    /// Citizens' ratings of a node and year: (count of each score 1..=5, total count, average).
    pub fn rating_summary(&self, node: i64, year: i64) -> ([i64; 5], i64, Option<f64>) {
        let mut counts = [0i64; 5];
        for (n, y, score, c) in &self.ratings {
            if *n == node && *y == year && (1..=5).contains(score) {
                counts[(*score - 1) as usize] += c;
            }
        }
        let total: i64 = counts.iter().sum();
        let sum: i64 = counts
            .iter()
            .enumerate()
            .map(|(i, c)| (i as i64 + 1) * c)
            .sum();
        (
            counts,
            total,
            (total > 0).then(|| sum as f64 / total as f64),
        )
    }

    pub fn label<'a>(&'a self, list: &str, code: &'a str, lang: Lang) -> &'a str {
        codes::label(&self.codes, list, code, lang)
    }
}

/// Filters of the public plan page; each is optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub viewpoint: Option<i64>,
    pub department: Option<i64>,
    pub rating: Option<String>,
    /// Ratings and statuses as of this fiscal year (latest when absent).
    pub year: Option<i64>,
}

impl Filter {
    pub fn admits(&self, data: &PlanData, node: &Node) -> bool {
        if self.viewpoint.is_some_and(|v| data.root_of(node.id) != v) {
            return false;
        }
        if self
            .department
            .is_some_and(|d| !data.department_ids(node.id).any(|x| x == d))
        {
            return false;
        }
        if let Some(r) = &self.rating {
            return data
                .latest_report(node.id, self.year)
                .is_some_and(|rep| &rep.rating == r);
        }
        true
    }
}
