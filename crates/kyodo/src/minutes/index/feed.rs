//! Indexing an import while it is written: each meeting, once its rows are in the transaction, is
//! handed to a thread that normalises and indexes its speeches into a new segment. The two cores
//! work at once (the database writes, the index builds), and the speeches are not read back from
//! the database after the commit. The segment is adopted only after the commit
//! (`MinutesIndex::adopt`); an import that fails drops it. What it holds is checked against the
//! database like any segment — a meeting counts only at the revision the database has — so a
//! segment built for a transaction that did not commit can never show a hit.

use super::segment::{MeetingMeta, Segment, SegmentBuilder, SpeechRow};
use crate::minutes::store::NewSpeech;
use tokio::sync::mpsc;

/// Meetings waiting for the indexing thread: enough to keep it busy, few enough that an
/// import's memory stays about one file's meetings.
const WAITING: usize = 16;

pub struct Feed {
    send: mpsc::Sender<(MeetingMeta, Vec<NewSpeech>)>,
    building: tokio::task::JoinHandle<Segment>,
}

impl Feed {
    pub fn start() -> Self {
        let (send, mut receive) = mpsc::channel::<(MeetingMeta, Vec<NewSpeech>)>(WAITING);
        let building = tokio::task::spawn_blocking(move || {
            let mut builder = SegmentBuilder::new(Vec::new());
            while let Some((meeting, speeches)) = receive.blocking_recv() {
                let meeting_id = meeting.id;
                builder.add_meeting(meeting);
                for (i, s) in speeches.into_iter().enumerate() {
                    // A stage direction (no speaker) is not a speech a search finds, as in a rebuild.
                    if s.speaker_raw.is_empty() {
                        continue;
                    }
                    builder.add(&SpeechRow {
                        meeting_id,
                        seq: i as i64 + 1,
                        speaker: s.speaker,
                        position: s.position,
                        group: s.group,
                        text: s.text,
                    });
                }
            }
            builder.finish(0)
        });
        Self { send, building }
    }

    /// Hands over a meeting written at `meta.revision` with its speeches in order.
    pub async fn meeting(&self, meta: MeetingMeta, speeches: Vec<NewSpeech>) {
        // The thread ends only when it panicked; `finish` reports that.
        let _ = self.send.send((meta, speeches)).await;
    }

    /// The segment of every meeting handed over.
    pub async fn finish(self) -> anyhow::Result<Segment> {
        drop(self.send);
        Ok(self.building.await?)
    }
}
