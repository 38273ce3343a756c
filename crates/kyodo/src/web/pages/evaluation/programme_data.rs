//! Everything a programme's public page shows, loaded in one go (independent queries run
//! concurrently) and kept as a snapshot (`web::snapshots`) until the evaluation area changes.
//! Public data only: the sheets are read with their public columns.

use crate::accounts::departments::{self, Department};
use crate::db::Db;
use crate::evaluation::sheet_data::SheetData;
use crate::evaluation::stages;
use crate::evaluation::store::{
    self, Cycle, Indicator, IndicatorValue, PolicyNode, Programme, Scope, UnitCost,
};
use crate::web::WebState;
use crate::web::cache_scope::shown_by;
use crate::web::ctx::Ctx;
use std::sync::Arc;

pub struct ProgrammeData {
    pub programme: Programme,
    /// The published cycles (years), newest first.
    pub cycles: Vec<Cycle>,
    /// The programme's sheets of published years, newest first.
    pub sheets: SheetData,
    pub units: Vec<UnitCost>,
    pub indicators: Vec<Indicator>,
    pub values: Vec<IndicatorValue>,
    pub nodes: Vec<PolicyNode>,
    pub departments: Vec<Department>,
    /// (kind, other programme, its name) — 統合・分割.
    pub lineage: Vec<(String, i64, String)>,
    pub plan_links: Vec<(i64, i64, String, String)>,
}

impl ProgrammeData {
    async fn load(
        st: &WebState,
        db: &Db,
        org: i64,
        id: i64,
    ) -> crate::error::AppResult<Option<Self>> {
        let Some(programme) = store::programme(db, org, id).await? else {
            return Ok(None);
        };
        let cycles = crate::web::pages::evaluation::list::published(st, org).await?;
        let (mut sheets, units, (indicators, values), nodes, departments, lineage) = tokio::try_join!(
            SheetData::load(db, org, Scope::Programme(id), true),
            store::unit_costs(db, org),
            store::indicators(db, org, "programme", Some(id)),
            store::policy_nodes(db, org),
            departments::list(db, org),
            crate::evaluation::lineage::lineage(db, org, id),
        )?;
        sheets
            .sheets
            .retain(|s| cycles.iter().any(|c| c.id == s.cycle_id));
        let year_of = |cycle: i64| {
            cycles
                .iter()
                .find(|c| c.id == cycle)
                .map_or(0, |c| c.fiscal_year)
        };
        sheets
            .sheets
            .sort_by_key(|s| std::cmp::Reverse(year_of(s.cycle_id)));
        let sheet_ids: Vec<i64> = sheets.sheets.iter().map(|s| s.id).collect();
        let plan_links = stages::plan_links(db, org, &sheet_ids).await?;
        Ok(Some(Self {
            programme,
            cycles,
            sheets,
            units,
            indicators,
            values,
            nodes,
            departments,
            lineage,
            plan_links,
        }))
    }
}

/// The programme's data, from the snapshot when it is current.
pub async fn programme_data(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
) -> crate::error::AppResult<Option<Arc<ProgrammeData>>> {
    let org = ctx.org_id();
    st.snapshots
        .programmes
        .get_or_load(&st.cache, shown_by("/evaluation"), org, id, || {
            ProgrammeData::load(st, st.reader(ctx), org, id)
        })
        .await
}
