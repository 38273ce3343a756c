//! One segment of an organization's index: the n-gram postings of some meetings' speeches
//! (`kyodo_ngram`) and, per document, what filters and sorting need — the meeting (its id, date,
//! body, kind, revision), the speech number, the speaker and the position.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A meeting as the index knows it. `revision` is the meeting's `imported_at`: a re-import
/// changes it, so the index can tell which meetings it must read again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeetingMeta {
    pub id: i64,
    pub revision: String,
    pub held_on: String,
    pub body: String,
    pub kind: String,
}

/// One indexed speech.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct DocMeta {
    /// Index into [`Meta::meetings`].
    pub meeting: u32,
    pub seq: u32,
    /// Indexes into [`Meta::names`].
    pub speaker: u32,
    pub position: u32,
    /// 会派 (an index into [`Meta::names`]).
    pub group: u32,
}

/// Everything of a segment but its postings (stored beside them as JSON).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Meta {
    pub meetings: Vec<MeetingMeta>,
    pub docs: Vec<DocMeta>,
    /// Speaker names and positions, each stored once.
    pub names: Vec<String>,
}

pub struct Segment {
    pub id: u64,
    pub postings: kyodo_ngram::Segment,
    pub meta: Meta,
}

/// A speech read for indexing.
pub struct SpeechRow {
    pub meeting_id: i64,
    pub seq: i64,
    pub speaker: String,
    pub position: String,
    pub group: String,
    /// As written: the builder normalises it (`text::normalized`).
    pub text: String,
}

/// Builds a segment; speeches arrive grouped by meeting, in the meetings' order.
pub struct SegmentBuilder {
    postings: kyodo_ngram::Builder,
    meta: Meta,
    meeting_index: HashMap<i64, u32>,
    name_index: HashMap<String, u32>,
}

impl SegmentBuilder {
    pub fn new(meetings: Vec<MeetingMeta>) -> Self {
        let meeting_index = meetings
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id, i as u32))
            .collect();
        Self {
            postings: kyodo_ngram::Builder::new(),
            meta: Meta {
                meetings,
                ..Meta::default()
            },
            meeting_index,
            name_index: HashMap::new(),
        }
    }

    /// Adds a meeting after those given to `new` (an import indexes meetings as it writes them).
    pub fn add_meeting(&mut self, m: MeetingMeta) {
        let i = self.meta.meetings.len() as u32;
        self.meeting_index.insert(m.id, i);
        self.meta.meetings.push(m);
    }

    fn name(&mut self, s: &str) -> u32 {
        if let Some(i) = self.name_index.get(s) {
            return *i;
        }
        let i = self.meta.names.len() as u32;
        self.meta.names.push(s.to_string());
        self.name_index.insert(s.to_string(), i);
        i
    }

    /// Adds a speech of one of the segment's meetings (others are ignored).
    pub fn add(&mut self, s: &SpeechRow) {
        let Some(&meeting) = self.meeting_index.get(&s.meeting_id) else {
            return;
        };
        let speaker = self.name(&s.speaker);
        let position = self.name(&s.position);
        let group = self.name(&s.group);
        self.postings
            .add(&crate::minutes::text::normalized(&s.text));
        self.meta.docs.push(DocMeta {
            meeting,
            seq: s.seq.clamp(0, i64::from(u32::MAX)) as u32,
            speaker,
            position,
            group,
        });
    }

    pub fn finish(self, id: u64) -> Segment {
        Segment {
            id,
            postings: self.postings.finish(),
            meta: self.meta,
        }
    }
}
