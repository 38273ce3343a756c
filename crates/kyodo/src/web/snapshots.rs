//! Data that many pages read and few requests change, kept in memory between writes: a whole
//! plan (`PlanData`, eleven queries and a few hundred rows) is the same for every item page of
//! that plan until someone writes to the plans area. An entry is valid while the page cache's
//! generation stamp of its areas is unchanged (so a write on any instance drops it, like the
//! cached pages) and for at most a minute and a half (writes from the command line; see
//! `cache::expiry`).
//!
//! This is what makes a page that misses the page cache cheap: its plan comes from here, and only
//! what is particular to the page is queried.

use super::cache::{PageCache, expiry, still_served};
use super::cache_scope::Areas;
use crate::codes::Code;
use crate::error::{AppError, AppResult};
use crate::plans::view::PlanData;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Entries per shelf; when full, the shelf is emptied (a plan is a few hundred KiB at most).
const MAX_ENTRIES: usize = 64;

/// What every instance keeps: each organization's plans and code lists.
#[derive(Default)]
pub struct Snapshots {
    pub plans: Shelf<PlanData>,
    pub codes: Shelf<Vec<Code>>,
    pub items: Shelf<crate::web::pages::plans::item_data::ItemData>,
    pub programmes: Shelf<crate::web::pages::evaluation::programme_data::ProgrammeData>,
    /// Each organization's published evaluation years (key 0).
    pub published_cycles: Shelf<Vec<crate::evaluation::store::Cycle>>,
    /// A year's programme list data (master data and summed rows), by cycle.
    pub year_lists: Shelf<crate::web::pages::evaluation::list::YearListData>,
    /// A published year with its sheets' public fields (a 施策's rollup reads them), by cycle.
    pub public_years: Shelf<crate::evaluation::year::YearData>,
    pub surveys: Shelf<crate::web::pages::surveys::results_data::ResultsData>,
    /// 財務書類: the organization's sets (key 0).
    pub statement_sets: Shelf<Vec<crate::finance::statements::store::Set>>,
    /// 財務書類: a set's lines and its year's population, by set.
    pub statement_lines: Shelf<(Vec<crate::finance::statements::StLine>, Option<i64>)>,
    /// 予算・決算: the organization's editions (key 0).
    pub budget_editions: Shelf<Vec<crate::finance::store::Edition>>,
    /// 予算・決算: an edition's sums by 款 and 性質, by edition.
    pub budget_sums: Shelf<crate::finance::store::EditionSums>,
    /// 入札・契約: the list's choices of year and 種別, its 落札率 distribution and the count of
    /// all tenders, which read every tender (key 0).
    pub bid_facets: Shelf<crate::finance::bids::store::Facets>,
    /// 窓口: a fiscal year's public counts, by year (the 市民の声 page and the home page).
    pub case_stats: Shelf<crate::cases::public::Stats>,
    /// 窓口: the fiscal years with public cases (key 0).
    pub case_years: Shelf<Vec<i64>>,
    /// 施設予約: a facility's public page data, by facility.
    pub facilities: Shelf<crate::web::pages::reservations::facility_data::FacilityData>,
    /// 施設予約: the facility of a room, by room.
    pub room_facilities: Shelf<i64>,
    /// The home page's parts, each under its own area (key 0; `web::pages::front_sources`).
    pub front_plans: Shelf<crate::plans::news::PlansPart>,
    pub front_consultations: Shelf<Vec<crate::participation::consultations::Consultation>>,
    pub front_surveys: Shelf<Vec<crate::surveys::store::Survey>>,
    pub front_meetings: Shelf<Vec<crate::minutes::store::Meeting>>,
    pub front_answers: Shelf<Vec<crate::cases::public::AnswerNews>>,
    /// The organization's departments (key 0; they change with its whole generation).
    pub departments: Shelf<Vec<crate::accounts::departments::Department>>,
    /// The open-data catalogue with the organization's licence, by language (0 ja, 1 en).
    pub opendata: Shelf<(
        crate::opendata::license::License,
        Vec<crate::opendata::Dataset>,
    )>,
}

/// Stamp it was loaded under, when it expires (at most a minute and a half on), the data, since
/// when one caller loads it again ([`still_served`]).
type Entry<V> = (u64, Instant, Arc<V>, Option<Instant>);

/// One kind of snapshot, by (organization, key).
pub struct Shelf<V> {
    entries: Mutex<HashMap<(i64, i64), Entry<V>>>,
    /// Held while loading by [`Shelf::get_or_load_alone`].
    building: tokio::sync::Mutex<()>,
}

impl<V> Default for Shelf<V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            building: tokio::sync::Mutex::new(()),
        }
    }
}

impl<V> Shelf<V> {
    /// The snapshot of `key` in `org`, loaded by `load` when missing or stale. The stamp is taken
    /// before loading, so a write that lands while loading leaves the entry stale, not wrong.
    pub async fn get_or_load<E, F, Fut>(
        &self,
        cache: &PageCache,
        areas: Areas,
        org: i64,
        key: i64,
        load: F,
    ) -> Result<Option<Arc<V>>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<V>, E>>,
    {
        let stamp = cache.stamp(org, areas);
        if let Some(hit) = self.lookup(org, key, stamp) {
            return Ok(Some(hit));
        }
        self.load_and_keep(stamp, org, key, load).await
    }

    /// Like [`Shelf::get_or_load`], but the shelf loads one entry at a time: for data so heavy to
    /// compute (a year of 1,000 programmes) that a burst of visitors after a write, all computing
    /// it at once, would exhaust the connection pool (seen on PostgreSQL under 64 connections).
    pub async fn get_or_load_alone<E, F, Fut>(
        &self,
        cache: &PageCache,
        areas: Areas,
        org: i64,
        key: i64,
        load: F,
    ) -> Result<Option<Arc<V>>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<V>, E>>,
    {
        let stamp = cache.stamp(org, areas);
        if let Some(hit) = self.lookup(org, key, stamp) {
            return Ok(Some(hit));
        }
        let _building = self.building.lock().await;
        if let Some(hit) = self.lookup_fresh(org, key, stamp) {
            return Ok(Some(hit));
        }
        self.load_and_keep(stamp, org, key, load).await
    }

    /// Like [`Shelf::get_or_load`], for data that is always there (an empty list is an answer).
    pub async fn get_or_compute<E, F, Fut>(
        &self,
        cache: &PageCache,
        areas: Areas,
        org: i64,
        key: i64,
        load: F,
    ) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let stamp = cache.stamp(org, areas);
        if let Some(hit) = self.lookup(org, key, stamp) {
            return Ok(hit);
        }
        let fresh = Arc::new(load().await?);
        self.keep(stamp, org, key, fresh.clone());
        Ok(fresh)
    }

    async fn load_and_keep<E, F, Fut>(
        &self,
        stamp: u64,
        org: i64,
        key: i64,
        load: F,
    ) -> Result<Option<Arc<V>>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<V>, E>>,
    {
        let Some(fresh) = load().await?.map(Arc::new) else {
            return Ok(None);
        };
        self.keep(stamp, org, key, fresh.clone());
        Ok(Some(fresh))
    }

    fn keep(&self, stamp: u64, org: i64, key: i64, fresh: Arc<V>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                let now = Instant::now();
                entries.retain(|_, (s, expires, _, _)| now < *expires && *s == stamp);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            let expires = expiry((org, key));
            entries.insert((org, key), (stamp, expires, fresh, None));
        }
    }

    /// The entry when current, or expired while another caller loads it again.
    fn lookup(&self, org: i64, key: i64, stamp: u64) -> Option<Arc<V>> {
        let mut entries = self.entries.lock().ok()?;
        let (s, expires, v, refreshing) = entries.get_mut(&(org, key))?;
        (*s == stamp && still_served(*expires, refreshing)).then(|| v.clone())
    }

    /// The entry when current and not expired (after waiting for another load).
    fn lookup_fresh(&self, org: i64, key: i64, stamp: u64) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        let (s, expires, v, _) = entries.get(&(org, key))?;
        (*s == stamp && Instant::now() < *expires).then(|| v.clone())
    }
}

impl Snapshots {
    /// A whole plan, as the public plan and item pages, exports and the API read it.
    pub async fn plan(
        &self,
        cache: &PageCache,
        db: &crate::db::Db,
        org: i64,
        plan: i64,
    ) -> AppResult<Option<Arc<PlanData>>> {
        self.plans
            .get_or_load(cache, Areas::PLANS, org, plan, || async move {
                Ok::<_, AppError>(PlanData::load(db, org, plan).await?)
            })
            .await
    }

    /// The organization's departments (they change with the whole organization's generation).
    pub async fn departments(
        &self,
        cache: &PageCache,
        db: &crate::db::Db,
        org: i64,
    ) -> AppResult<Arc<Vec<crate::accounts::departments::Department>>> {
        self.departments
            .get_or_compute(cache, Areas::NONE, org, 0, || async {
                Ok(crate::accounts::departments::list(db, org).await?)
            })
            .await
    }

    /// The organization's code lists (they change with the whole organization's generation).
    pub async fn codes(
        &self,
        cache: &PageCache,
        db: &crate::db::Db,
        org: i64,
    ) -> AppResult<Arc<Vec<Code>>> {
        self.codes
            .get_or_compute(cache, Areas::NONE, org, 0, || async {
                Ok(crate::codes::all(db, org).await?)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_entry_lives_until_its_areas_change() {
        let cache = PageCache::default();
        let shelf: Shelf<i64> = Shelf::default();
        let loads = std::sync::atomic::AtomicI64::new(0);
        let load = || async {
            Ok::<_, ()>(Some(
                loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1,
            ))
        };
        let first = shelf.get_or_load(&cache, Areas::PLANS, 1, 7, load).await;
        assert_eq!(first.unwrap().as_deref(), Some(&1));
        let again = shelf.get_or_load(&cache, Areas::PLANS, 1, 7, load).await;
        assert_eq!(again.unwrap().as_deref(), Some(&1), "kept");
        cache.invalidate(1, Areas::SURVEYS);
        let other_area = shelf.get_or_load(&cache, Areas::PLANS, 1, 7, load).await;
        assert_eq!(other_area.unwrap().as_deref(), Some(&1), "another area");
        cache.invalidate(2, Areas::PLANS);
        let other_org = shelf.get_or_load(&cache, Areas::PLANS, 1, 7, load).await;
        assert_eq!(other_org.unwrap().as_deref(), Some(&1), "another org");
        cache.invalidate(1, Areas::PLANS);
        let after = shelf.get_or_load(&cache, Areas::PLANS, 1, 7, load).await;
        assert_eq!(after.unwrap().as_deref(), Some(&2), "reloaded");
        cache.flush();
        let flushed = shelf.get_or_load(&cache, Areas::PLANS, 1, 7, load).await;
        assert_eq!(flushed.unwrap().as_deref(), Some(&3), "flushed");
    }
}
