//! One evaluation year assembled for pages and exports: the cycle, every programme, the policy
//! hierarchy, departments, code lists, unit costs and the sheets with their costs and verdicts.
//! A fixed number of queries at any size.

use super::costs::{self, ColumnTotal};
use super::sheet_data::SheetData;
use super::store::{self, Cycle, PolicyNode, Programme, Scope, Sheet, UnitCost};
use crate::accounts::departments::{self, Department};
use crate::codes::{self, Code};
use crate::db::Db;
use crate::evaluation::stage::Stage;
use crate::i18n::Lang;

pub struct YearData {
    /// programme id → position in `programmes`.
    index: std::collections::HashMap<i64, usize>,
    pub cycle: Cycle,
    pub programmes: Vec<Programme>,
    pub nodes: Vec<PolicyNode>,
    pub departments: Vec<Department>,
    pub codes: Vec<Code>,
    pub units: Vec<UnitCost>,
    pub data: SheetData,
}

impl YearData {
    /// Everything but the sheets (for pages that read them summed, see `listing`).
    pub async fn load_without_sheets(db: &Db, org: i64, cycle: Cycle) -> sqlx::Result<Self> {
        let mut y = Self::load_parts(db, org, cycle).await?;
        y.data = SheetData::default();
        Ok(y)
    }

    /// `public` reads leave the internal contact fields out.
    pub async fn load(db: &Db, org: i64, cycle: Cycle, public: bool) -> sqlx::Result<Self> {
        let mut y = Self::load_parts(db, org, cycle).await?;
        y.data = SheetData::load(db, org, Scope::Cycle(y.cycle.id), public).await?;
        Ok(y)
    }

    /// The year as open data: one row per programme with a sheet, in code order
    /// (`opendata::rows`; the CSV and the API both serve these).
    pub fn open_data_rows(&self) -> Vec<Vec<String>> {
        super::opendata::rows(&super::opendata::Year {
            cycle: &self.cycle,
            programmes: &self.programmes,
            nodes: &self.nodes,
            departments: &self.departments,
            data: &self.data,
            units: &self.units,
            codes: &self.codes,
        })
    }

    async fn load_parts(db: &Db, org: i64, cycle: Cycle) -> sqlx::Result<Self> {
        let programmes = store::programmes(db, org).await?;
        Ok(Self {
            index: programmes
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id, i))
                .collect(),
            programmes,
            nodes: store::policy_nodes(db, org).await?,
            departments: departments::list(db, org).await?,
            codes: codes::all(db, org).await?,
            units: store::unit_costs(db, org).await?,
            data: SheetData::default(),
            cycle,
        })
    }

    pub fn programme(&self, id: i64) -> Option<&Programme> {
        self.index.get(&id).map(|i| &self.programmes[*i])
    }
    pub fn department_name(&self, id: i64, lang: Lang) -> String {
        department_name(&self.departments, id, lang)
    }
    pub fn node(&self, id: Option<i64>) -> Option<&PolicyNode> {
        id.and_then(|id| self.nodes.iter().find(|n| n.id == id))
    }
    /// The 施策 a programme belongs to (its node, or the parent of its 基本事業).
    pub fn measure_of(&self, p: &Programme) -> Option<&PolicyNode> {
        let n = self.node(p.policy_node_id)?;
        if n.level == "basic" {
            self.node(n.parent_id)
        } else {
            Some(n)
        }
    }
    /// Whether `p` sits under node `id` (at any depth).
    pub fn is_under(&self, p: &Programme, id: i64) -> bool {
        let mut cur = self.node(p.policy_node_id);
        while let Some(n) = cur {
            if n.id == id {
                return true;
            }
            cur = self.node(n.parent_id);
        }
        false
    }
    pub fn columns(&self, sheet: &Sheet) -> Vec<ColumnTotal> {
        costs::columns(
            self.cycle.fiscal_year,
            &self.data.costs_of(sheet.id),
            &self.data.staffing_of(sheet.id),
            &self.units,
        )
    }
    pub fn label<'a>(&'a self, list: &str, code: &'a str, lang: Lang) -> &'a str {
        codes::label(&self.codes, list, code, lang)
    }
    /// The direction shown for a sheet: the most advanced verdict's (none while a draft).
    pub fn direction(&self, sheet: &Sheet) -> Option<&str> {
        if sheet.stage == Stage::Draft {
            return None;
        }
        self.data
            .latest_verdict(sheet.id)
            .map(|v| v.direction.as_str())
            .filter(|d| !d.is_empty())
    }
}

pub fn department_name(departments: &[Department], id: i64, lang: Lang) -> String {
    departments
        .iter()
        .find(|d| d.id == id)
        .map(|d| match lang {
            Lang::En if !d.name_en.is_empty() => d.name_en.clone(),
            _ => d.name.clone(),
        })
        .unwrap_or_default()
}

/// The cost a list shows for a sheet: the year's settled total, or its budget while unsettled.
pub fn year_cost(cols: &[ColumnTotal]) -> i64 {
    match costs::column(cols, "settled") {
        Some(c) if c.total > 0 => c.total,
        _ => costs::column(cols, "budget").map_or(0, |c| c.total),
    }
}
