//! The minutes search index: derived data next to the database, one per instance. Each
//! organization's speeches are indexed by `kyodo_ngram` (exact substring matching) in segments
//! kept in memory and in the data directory (`files`). The database stays the truth: before a
//! search the index reads the organization's change counter (one primary-key read) and, when the
//! database moved on — an import here, on another instance or from the command line — indexes the
//! meetings whose revision it does not have and forgets those gone. So every instance stays in step
//! with the database, and an update cut short by a crash is completed the next time it is needed.
//!
//! Why n-grams and not a general engine: the unit of a hit is a whole speech and the answer must be
//! exact for terms of one and two characters, which word tokenizers miss and trigram indexes scan
//! for; positional pairs answer every length from the postings alone (ARCHITECTURE.md).

mod build;
pub mod eval;
pub mod feed;
mod files;
pub mod matches;
pub mod segment;

use segment::Segment;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// At most this many segments; beyond it (or when half the meetings changed) the organization's
/// index is rebuilt as one.
const MAX_SEGMENTS: usize = 8;

/// One organization's index as of a change counter of the database.
pub struct OrgIndex {
    pub version: i64,
    pub segments: Vec<Arc<Segment>>,
    /// Per segment, per meeting of it: whether its documents are the live ones.
    pub live: Vec<Vec<bool>>,
    /// Per segment, per document: its place in date order (held_on, meeting id, speech number).
    pub rank: Vec<Vec<u32>>,
    /// Place in date order → (segment, document).
    pub by_rank: Vec<(u32, u32)>,
    /// Place in date order → the first place of its meeting.
    pub meeting_first: Vec<u32>,
    /// One segment whose document numbers are the date order: matches come out sorted.
    pub ordered: bool,
    /// What the search page's filters offer: 会議名, 役職 and 会派 of the live speeches, sorted
    /// (worked out here once, not by a scan of every speech per page).
    pub bodies: Vec<String>,
    pub positions: Vec<String>,
    pub groups: Vec<String>,
}

impl OrgIndex {
    /// Speeches indexed and live.
    pub fn len(&self) -> usize {
        self.by_rank.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_rank.is_empty()
    }

    /// Bytes of postings held.
    pub fn size(&self) -> usize {
        self.segments.iter().map(|s| s.postings.size()).sum()
    }
}

/// Every organization's index in this process.
pub struct MinutesIndex {
    /// `<data dir>/minutes-index`; `None` keeps it in memory only.
    root: Option<PathBuf>,
    orgs: Mutex<HashMap<i64, Arc<OrgIndex>>>,
    /// One update at a time in this process.
    updating: tokio::sync::Mutex<()>,
    /// The last queries' matches against the current indexes.
    pub matches: matches::MatchCache,
}

impl MinutesIndex {
    /// `match_cache`: places of recent queries' matches kept (0: none).
    pub fn new(root: Option<PathBuf>, match_cache: usize) -> Self {
        Self {
            root,
            orgs: Mutex::new(HashMap::new()),
            updating: tokio::sync::Mutex::new(()),
            matches: matches::MatchCache::new(match_cache),
        }
    }

    fn current(&self, org: i64) -> Option<Arc<OrgIndex>> {
        self.orgs.lock().ok()?.get(&org).cloned()
    }

    /// The organization's index, brought in step with the database first when it is behind.
    pub async fn ensure(&self, db: &crate::db::Db, org: i64) -> anyhow::Result<Arc<OrgIndex>> {
        self.ensure_with(db, org, false, None, &mut |_, _| {}).await
    }

    /// Takes a segment an import built while writing (`feed`), once its transaction committed,
    /// and brings the index in step with the database around it.
    pub async fn adopt(
        &self,
        db: &crate::db::Db,
        org: i64,
        segment: Segment,
    ) -> anyhow::Result<Arc<OrgIndex>> {
        self.ensure_with(db, org, false, Some(segment), &mut |_, _| {})
            .await
    }

    /// Rebuilds the organization's index from the database as one segment (`kyodo minutes
    /// reindex`), reporting (speeches done, speeches in all).
    pub async fn rebuild(
        &self,
        db: &crate::db::Db,
        org: i64,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> anyhow::Result<Arc<OrgIndex>> {
        self.ensure_with(db, org, true, None, progress).await
    }

    async fn ensure_with(
        &self,
        db: &crate::db::Db,
        org: i64,
        full: bool,
        adopted: Option<Segment>,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> anyhow::Result<Arc<OrgIndex>> {
        let version = crate::minutes::store::version(db, org).await?;
        let fresh = |ix: &Arc<OrgIndex>| ix.version == version && !full && adopted.is_none();
        if let Some(ix) = self.current(org).filter(fresh) {
            return Ok(ix);
        }
        let _turn = self.updating.lock().await;
        // Read again: another request may have updated it while this one waited.
        let version = crate::minutes::store::version(db, org).await?;
        let have = self.current(org);
        let fresh = |ix: &&Arc<OrgIndex>| ix.version == version && !full && adopted.is_none();
        if let Some(ix) = have.as_ref().filter(fresh) {
            return Ok(ix.clone());
        }
        let dir = self.root.as_ref().map(|r| files::org_dir(r, org));
        let segments: Vec<Arc<Segment>> = match (&have, &dir) {
            _ if full => Vec::new(),
            (Some(ix), _) => ix.segments.clone(),
            (None, Some(dir)) => {
                // Reading the files is blocking work (hundreds of MiB for a large archive).
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || files::load(&dir))
                    .await?
                    .unwrap_or_default()
                    .into_iter()
                    .map(Arc::new)
                    .collect()
            }
            (None, None) => Vec::new(),
        };
        let ix = build::update(
            db,
            org,
            version,
            segments,
            adopted,
            dir.as_deref(),
            progress,
        )
        .await?;
        let ix = Arc::new(ix);
        if let Ok(mut orgs) = self.orgs.lock() {
            orgs.insert(org, ix.clone());
        }
        Ok(ix)
    }
}

/// Opens (and completes) the index of every organization with minutes: run in the background at
/// start, so the first search does not wait for it and an update a crash cut short is finished.
pub async fn warm(app: crate::app::App) {
    let orgs: Vec<i64> =
        match sqlx::query_scalar("SELECT organization_id FROM minutes_index_versions")
            .fetch_all(&app.db)
            .await
        {
            Ok(orgs) => orgs,
            Err(e) => {
                tracing::warn!("minutes index: organizations not read: {e}");
                return;
            }
        };
    for org in orgs {
        let started = std::time::Instant::now();
        match app.minutes_index.ensure(&app.db, org).await {
            Ok(ix) => tracing::info!(
                org,
                speeches = ix.len(),
                ms = started.elapsed().as_millis() as u64,
                "minutes index ready"
            ),
            Err(e) => tracing::warn!(org, "minutes index not opened: {e:#}"),
        }
    }
}
