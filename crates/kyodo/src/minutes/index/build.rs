//! Bringing an organization's index in step with the database: index the meetings whose
//! revision the segments lack (in a new segment, or all in one when there are too many
//! segments), write it before the manifest, and work out which documents are live.

use super::segment::{MeetingMeta, Segment, SegmentBuilder, SpeechRow};
use super::{MAX_SEGMENTS, OrgIndex, files};
use crate::db::Db;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Meetings read per query when indexing.
const CHUNK: usize = 200;

pub async fn update(
    db: &Db,
    org: i64,
    version: i64,
    mut segments: Vec<Arc<Segment>>,
    adopted: Option<Segment>,
    dir: Option<&Path>,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> anyhow::Result<OrgIndex> {
    let meetings: Vec<MeetingRow> = sqlx::query_as(
        "SELECT id, imported_at, held_on, body, kind FROM minutes_meetings WHERE organization_id = $1 ORDER BY held_on, id",
    )
    .bind(org)
    .fetch_all(db)
    .await?;
    let mut changed = false;
    if let Some(mut segment) = adopted {
        segment.id = next_id(&segments);
        segments.push(Arc::new(segment));
        changed = true;
    }
    // A segment none of whose meetings the database has at its revision any more (everything in
    // it imported again since) is dropped, not carried as dead weight.
    let current = current_revisions(&meetings);
    let before = segments.len();
    segments.retain(|s| holds_current(s, &current));
    changed |= segments.len() != before;
    let indexed: HashSet<(i64, &str)> = segments
        .iter()
        .flat_map(|s| s.meta.meetings.iter().map(|m| (m.id, m.revision.as_str())))
        .collect();
    let missing: Vec<MeetingMeta> = meetings
        .iter()
        .filter(|(id, rev, ..)| !indexed.contains(&(*id, rev.as_str())))
        .map(meta)
        .collect();
    drop(indexed);
    let dead_docs = dead_documents(&segments, &current);
    drop(current);
    let live_docs: usize = segments.iter().map(|s| s.meta.docs.len()).sum::<usize>() - dead_docs;
    if !missing.is_empty() || segments.len() > MAX_SEGMENTS {
        let rebuild_all = segments.len() >= MAX_SEGMENTS || missing.len() * 2 >= meetings.len();
        let to_index = if rebuild_all {
            segments.clear();
            meetings.iter().map(meta).collect()
        } else {
            missing
        };
        let id = next_id(&segments);
        segments.push(Arc::new(
            index_meetings(db, org, to_index, id, progress).await?,
        ));
        changed = true;
    } else if dead_docs > 0 && dead_docs >= live_docs {
        // Mostly deleted meetings: start again from what the database has.
        segments.clear();
        let all = meetings.iter().map(meta).collect();
        segments.push(Arc::new(
            index_meetings(db, org, all, now_id(), progress).await?,
        ));
        changed = true;
    }
    // Writing hundreds of MiB and sorting every document by date are blocking work.
    let dir = dir.map(Path::to_path_buf);
    Ok(tokio::task::spawn_blocking(move || {
        save(dir.as_deref(), &segments, changed);
        arrange(version, segments, &meetings)
    })
    .await?)
}

/// A segment id above every one in use (segment files are named by it).
fn next_id(segments: &[Arc<Segment>]) -> u64 {
    segments
        .iter()
        .map(|s| s.id)
        .max()
        .unwrap_or(0)
        .max(now_id())
        + 1
}

/// Each meeting's revision as the database has it.
fn current_revisions(meetings: &[MeetingRow]) -> HashMap<i64, &str> {
    meetings
        .iter()
        .map(|(id, rev, ..)| (*id, rev.as_str()))
        .collect()
}

/// Whether the segment holds a meeting at the revision the database has.
fn holds_current(segment: &Segment, current: &HashMap<i64, &str>) -> bool {
    segment
        .meta
        .meetings
        .iter()
        .any(|m| current.get(&m.id) == Some(&m.revision.as_str()))
}

/// Writes new segments, then the manifest, then removes files no manifest names.
fn save(dir: Option<&Path>, segments: &[Arc<Segment>], changed: bool) {
    if let Some(dir) = dir.filter(|d| changed || !d.join("manifest.json").exists()) {
        // Segment files first, then the manifest that names them: a crash in between leaves the
        // old manifest, and the next update indexes the same meetings again.
        let written = segments
            .iter()
            .filter(|s| !dir.join(format!("{}.seg", s.id)).exists())
            .try_for_each(|s| files::save_segment(dir, s))
            .and_then(|()| {
                files::save_manifest(dir, &segments.iter().map(|s| s.id).collect::<Vec<_>>())
            });
        match written {
            Ok(()) => files::remove_others(dir, &segments.iter().map(|s| s.id).collect::<Vec<_>>()),
            // The index still works from memory; the next start indexes again.
            Err(e) => tracing::warn!("minutes index not saved in {}: {e:#}", dir.display()),
        }
    }
}

/// A meeting row as the index keeps it.
type MeetingRow = (i64, String, String, String, String);

fn meta((id, revision, held_on, body, kind): &MeetingRow) -> MeetingMeta {
    MeetingMeta {
        id: *id,
        revision: revision.clone(),
        held_on: held_on.clone(),
        body: body.clone(),
        kind: kind.clone(),
    }
}

fn now_id() -> u64 {
    crate::db::new_id().max(0) as u64
}

/// Documents of meetings the database no longer has at that revision.
fn dead_documents(segments: &[Arc<Segment>], current: &HashMap<i64, &str>) -> usize {
    segments
        .iter()
        .map(|s| {
            s.meta
                .docs
                .iter()
                .filter(|d| {
                    let m = &s.meta.meetings[d.meeting as usize];
                    current.get(&m.id) != Some(&m.revision.as_str())
                })
                .count()
        })
        .sum()
}

/// Reads the speeches of `meetings` and indexes them as one segment.
async fn index_meetings(
    db: &Db,
    org: i64,
    meetings: Vec<MeetingMeta>,
    id: u64,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> anyhow::Result<Segment> {
    let total: u64 = if meetings.is_empty() {
        0
    } else {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM minutes_speeches WHERE organization_id = $1 AND speaker_raw <> ''",
        )
        .bind(org)
        .fetch_one(db)
        .await?
        .max(0) as u64
    };
    let ids: Vec<i64> = meetings.iter().map(|m| m.id).collect();
    let place: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    // Indexing runs on a thread of its own while the next speeches are read: the two cores work
    // at once, and the runtime's workers keep serving requests meanwhile.
    let (send, mut receive) = tokio::sync::mpsc::channel::<Vec<SpeechRow>>(2);
    let indexing = tokio::task::spawn_blocking(move || {
        let mut builder = SegmentBuilder::new(meetings);
        while let Some(rows) = receive.blocking_recv() {
            for row in &rows {
                builder.add(row);
            }
        }
        builder.finish(id)
    });
    let mut done = 0u64;
    for chunk in ids.chunks(CHUNK) {
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        // Integer ids from the database itself, joined as literals (no user text).
        let mut rows: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT meeting_id, seq, speaker, position, speaker_group, text FROM minutes_speeches \
             WHERE organization_id = $1 AND speaker_raw <> '' AND meeting_id IN ({}) ORDER BY meeting_id, seq",
            list.join(", ")
        )))
        .bind(org)
        .fetch_all(db)
        .await?;
        // Documents in date order (the meetings come sorted by date): then a segment's document
        // numbers are its date order, and a query's page needs no sorting.
        rows.sort_by_key(|r| (place.get(&r.0).copied().unwrap_or(usize::MAX), r.1));
        done += rows.len() as u64;
        let rows = rows
            .into_iter()
            .map(
                |(meeting_id, seq, speaker, position, group, text)| SpeechRow {
                    meeting_id,
                    seq,
                    speaker,
                    position,
                    group,
                    text,
                },
            )
            .collect();
        if send.send(rows).await.is_err() {
            break; // the indexing thread ended (it panicked): reported below
        }
        progress(done, total.max(done));
    }
    drop(send);
    Ok(indexing.await?)
}

/// Which documents are live (their meeting's current revision, in the newest segment holding
/// it) and their order by date.
fn arrange(version: i64, segments: Vec<Arc<Segment>>, meetings: &[MeetingRow]) -> OrgIndex {
    let current: HashMap<i64, &str> = meetings
        .iter()
        .map(|(id, rev, ..)| (*id, rev.as_str()))
        .collect();
    let mut owner: HashMap<i64, usize> = HashMap::new();
    for (si, s) in segments.iter().enumerate() {
        for m in &s.meta.meetings {
            if current.get(&m.id) == Some(&m.revision.as_str()) {
                owner.insert(m.id, si);
            }
        }
    }
    let live: Vec<Vec<bool>> = segments
        .iter()
        .enumerate()
        .map(|(si, s)| {
            s.meta
                .meetings
                .iter()
                .map(|m| owner.get(&m.id) == Some(&si))
                .collect()
        })
        .collect();
    let mut order: Vec<(u32, u32)> = Vec::new();
    for (si, s) in segments.iter().enumerate() {
        for (di, d) in s.meta.docs.iter().enumerate() {
            if live[si][d.meeting as usize] {
                order.push((si as u32, di as u32));
            }
        }
    }
    let key = |&(si, di): &(u32, u32)| {
        let s = &segments[si as usize];
        let d = &s.meta.docs[di as usize];
        let m = &s.meta.meetings[d.meeting as usize];
        (m.held_on.clone(), m.id, d.seq)
    };
    order.sort_by_cached_key(key);
    let mut rank: Vec<Vec<u32>> = segments
        .iter()
        .map(|s| vec![u32::MAX; s.meta.docs.len()])
        .collect();
    for (r, &(si, di)) in order.iter().enumerate() {
        rank[si as usize][di as usize] = r as u32;
    }
    let mut meeting_first = Vec::with_capacity(order.len());
    let mut last: Option<(usize, u32)> = None; // (segment, meeting) of the previous place
    for (r, &(si, di)) in order.iter().enumerate() {
        let m = segments[si as usize].meta.docs[di as usize].meeting;
        let first = match (last, meeting_first.last()) {
            (Some(prev), Some(&f)) if prev == (si as usize, m) => f,
            _ => r as u32,
        };
        meeting_first.push(first);
        last = Some((si as usize, m));
    }
    // One segment, every document live and numbered in date order: the common case after a
    // rebuild, where matches come out sorted.
    let ordered = segments.len() == 1
        && order.len() == segments[0].meta.docs.len()
        && order.iter().enumerate().all(|(r, &(_, d))| r as u32 == d);
    let (mut bodies, mut positions, mut groups) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for &(si, di) in &order {
        let s = &segments[si as usize];
        let d = &s.meta.docs[di as usize];
        bodies.insert(s.meta.meetings[d.meeting as usize].body.clone());
        positions.insert(s.meta.names[d.position as usize].clone());
        groups.insert(s.meta.names[d.group as usize].clone());
    }
    let listed = |set: BTreeSet<String>| set.into_iter().filter(|v| !v.is_empty()).collect();
    OrgIndex {
        bodies: listed(bodies),
        positions: listed(positions),
        groups: listed(groups),
        version,
        segments,
        live,
        rank,
        by_rank: order,
        meeting_first,
        ordered,
    }
}
