//! What a survey's public results page is built from — the questionnaire, the tally and the
//! portfolio of every wave of its series — loaded once and kept as a snapshot (`web::snapshots`)
//! until the surveys area changes (an answer or an edit on any instance). Aggregates only: no
//! individual response or written answer is kept here.

use crate::db::Db;
use crate::error::AppResult;
use crate::surveys::results::{self, PortfolioItem, Tally};
use crate::surveys::store::{self, Form};
use crate::web::WebState;
use crate::web::cache_scope::shown_by;
use crate::web::ctx::Ctx;
use std::sync::Arc;

pub struct ResultsData {
    pub form: Form,
    pub tally: Tally,
    /// The survey's own portfolio (重要度 × 満足度).
    pub items: Vec<PortfolioItem>,
    /// (survey id, fiscal year, portfolio) of each published wave of the series, oldest first.
    pub waves: Vec<(i64, i64, Vec<PortfolioItem>)>,
}

impl ResultsData {
    /// `None` when there is no such survey or it is still a draft.
    async fn load(db: &Db, org: i64, id: i64) -> AppResult<Option<Self>> {
        let Some(form) = store::form(db, org, id)
            .await?
            .filter(|f| f.survey.status != "draft")
        else {
            return Ok(None);
        };
        let tally = results::tally(db, org, id).await?;
        let items = results::portfolio(&form, &tally);
        let mut waves = Vec::new();
        if !form.survey.series.is_empty() {
            for w in store::waves(db, org, &form.survey.series).await? {
                let wave_items = if w.id == id {
                    items.clone()
                } else {
                    let Some(wf) = store::form(db, org, w.id).await? else {
                        continue;
                    };
                    results::portfolio(&wf, &results::tally(db, org, w.id).await?)
                };
                waves.push((w.id, w.fiscal_year, wave_items));
            }
        }
        Ok(Some(Self {
            form,
            tally,
            items,
            waves,
        }))
    }
}

/// The survey's results data, from the snapshot when it is current.
pub async fn results_data(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
) -> AppResult<Option<Arc<ResultsData>>> {
    let org = ctx.org_id();
    st.snapshots
        .surveys
        .get_or_load(&st.cache, shown_by("/surveys"), org, id, || {
            ResultsData::load(st.reader(ctx), org, id)
        })
        .await
}
