//! Everything an import of a year's sheets is checked against, loaded at once (concurrently):
//! departments, the policy tree, code lists, programmes and their published history, the year's
//! sheets (their stage, whether they already have figures), the earlier years' sheets and the
//! personnel unit costs.

use super::lookup::Lookup;
use crate::db::Db;
use crate::error::AppResult;
use crate::evaluation::sheet_data::SheetData;
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{self, Cycle, PolicyNode, Programme, Scope, UnitCost};
use std::collections::{HashMap, HashSet};

pub struct Sources {
    pub cycle: Cycle,
    pub departments: Vec<(String, String, i64)>,
    pub nodes: Vec<PolicyNode>,
    pub codes: Vec<crate::codes::Code>,
    pub programmes: Vec<Programme>,
    pub stages: HashMap<i64, Stage>,
    pub units: Vec<UnitCost>,
    pub published: HashSet<i64>,
    /// Programmes whose sheet this year already has costs or staff-years.
    pub with_figures: HashSet<i64>,
    /// The programmes' sheets of earlier years (for history year blocks).
    pub history: super::history::Existing,
}

impl Sources {
    pub async fn load(db: &Db, org: i64, cycle: Cycle) -> AppResult<Self> {
        let (departments, data, nodes, codes, programmes, units, published) = tokio::try_join!(
            crate::accounts::departments::list(db, org),
            SheetData::load(db, org, Scope::Cycle(cycle.id), false),
            store::policy_nodes(db, org),
            crate::codes::all(db, org),
            store::programmes(db, org),
            store::unit_costs(db, org),
            store::published_programmes(db, org),
        )?;
        let history = super::history::existing(db, org, cycle.fiscal_year, &units).await?;
        let stages = data
            .sheets
            .iter()
            .map(|s| (s.programme_id, s.stage))
            .collect();
        let with_figures = data
            .sheets
            .iter()
            .filter(|s| !data.costs_of(s.id).is_empty() || !data.staffing_of(s.id).is_empty())
            .map(|s| s.programme_id)
            .collect();
        Ok(Self {
            cycle,
            departments: departments
                .into_iter()
                .map(|d| (d.code, d.name, d.id))
                .collect(),
            nodes,
            codes,
            programmes,
            stages,
            units,
            published,
            with_figures,
            history,
        })
    }

    pub fn lookup(&self) -> Lookup<'_> {
        Lookup {
            fiscal_year: self.cycle.fiscal_year,
            departments: &self.departments,
            nodes: &self.nodes,
            codes: &self.codes,
            programmes: &self.programmes,
            stages: &self.stages,
            units: &self.units,
            published: &self.published,
            history: &self.history,
        }
    }
}
