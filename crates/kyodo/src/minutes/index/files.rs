//! The index on disk, in the instance's data directory (`minutes-index/<organization>/`): each
//! segment as `<id>.seg` (postings, checksummed) and `<id>.json` (meetings and documents), and
//! `manifest.json` naming the live segments in order. A segment's files are written and synced
//! before the manifest that names them is replaced (write to a temporary file, sync, rename), so a
//! process killed at any moment leaves the previous manifest and its complete segments; files no
//! manifest names are removed when the index is next opened. The database stays the truth: on
//! opening, the index is compared with it and whatever is missing is indexed again.

use super::segment::{Meta, Segment};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn org_dir(root: &Path, org: i64) -> PathBuf {
    root.join(org.to_string())
}

/// Writes `path` through `write` so that a crash leaves either the old file or the new one.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    write(&mut f)?;
    let f = f.into_inner().map_err(|e| e.into_error())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        // The rename itself is durable once the directory is synced.
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

pub fn save_segment(dir: &Path, seg: &Segment) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    // Streamed: the postings are never copied in memory to be written.
    write_atomically(&dir.join(format!("{}.seg", seg.id)), |w| {
        seg.postings.write_to(w)
    })?;
    let meta = serde_json::to_vec(&seg.meta)?;
    write_atomically(&dir.join(format!("{}.json", seg.id)), |w| {
        w.write_all(&meta)
    })?;
    Ok(())
}

pub fn save_manifest(dir: &Path, ids: &[u64]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let ids = serde_json::to_vec(ids)?;
    write_atomically(&dir.join("manifest.json"), |w| w.write_all(&ids))?;
    Ok(())
}

/// The segments the manifest names, oldest first. Anything unreadable (a missing or damaged
/// file) yields `None`: the caller rebuilds from the database.
pub fn load(dir: &Path) -> Option<Vec<Segment>> {
    let ids: Vec<u64> =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).ok()?).ok()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in &ids {
        let postings =
            kyodo_ngram::Segment::from_bytes(std::fs::read(dir.join(format!("{id}.seg"))).ok()?)
                .ok()?;
        let meta: Meta =
            serde_json::from_slice(&std::fs::read(dir.join(format!("{id}.json"))).ok()?).ok()?;
        if meta.docs.len() != postings.docs() as usize
            || meta.docs.iter().any(|d| {
                d.meeting as usize >= meta.meetings.len()
                    || d.speaker as usize >= meta.names.len()
                    || d.position as usize >= meta.names.len()
                    || d.group as usize >= meta.names.len()
            })
        {
            return None;
        }
        out.push(Segment {
            id: *id,
            postings,
            meta,
        });
    }
    Some(out)
}

/// Removes files of segments not in `live` (left by an interrupted update or a merge).
pub fn remove_others(dir: &Path, live: &[u64]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name == "manifest.json" {
            continue;
        }
        let id = name.split('.').next().and_then(|s| s.parse::<u64>().ok());
        if id.is_none_or(|id| !live.contains(&id)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
