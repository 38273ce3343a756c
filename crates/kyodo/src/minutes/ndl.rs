//! The NDL 会議録検索 API's record format (municipal-practice §5.1), JSON or XML, read for import: a city's
//! tooling that speaks it can load its minutes as they are. `meetingRecord[]` each with
//! `speechRecord[]`; speech 0 is the record's front matter and is not a speech.

use super::store::{NewMeeting, NewSpeech};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    #[serde(default)]
    meeting_record: Vec<MeetingRecord>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MeetingRecord {
    #[serde(rename = "issueID")]
    issue_id: String,
    #[serde(default)]
    session: Value,
    #[serde(default)]
    name_of_house: String,
    name_of_meeting: String,
    #[serde(default)]
    issue: String,
    date: String,
    #[serde(default)]
    speech_record: Vec<SpeechRecord>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpeechRecord {
    #[serde(default)]
    speech_order: Value,
    #[serde(default)]
    speaker: String,
    #[serde(default)]
    speaker_position: String,
    #[serde(default)]
    speaker_group: String,
    #[serde(default)]
    speech: String,
}

/// 「○議長（林宏君）　本文」 → (「議長（林宏君）」, 「本文」); text without a marker stays whole.
fn split_marker(speech: &str) -> (String, String) {
    let Some(first) = speech.chars().next().filter(|c| "○◎◆◇●△◯".contains(*c)) else {
        return (String::new(), speech.trim().to_string());
    };
    let rest = &speech[first.len_utf8()..];
    match rest.find(['\u{3000}', ' ']) {
        Some(i) => (rest[..i].to_string(), rest[i..].trim().to_string()),
        None => (String::new(), rest.trim().to_string()),
    }
}

/// The meetings of an NDL JSON response, or the reason (a catalogue key and what was read).
pub fn parse(bytes: &[u8]) -> Result<Vec<NewMeeting>, (&'static str, String)> {
    let r: Response = serde_json::from_slice(bytes)
        .map_err(|e| ("minutes.bad_json", format!("{}:{}", e.line(), e.column())))?;
    meetings(r)
}

/// The meetings of an NDL XML response (`recordPacking=xml`): the same records, read by
/// `kyodo_decode::ndl_xml` and then checked exactly as JSON is.
pub fn parse_xml(bytes: &[u8]) -> Result<Vec<NewMeeting>, (&'static str, String)> {
    let records = kyodo_decode::ndl_xml::meeting_records(bytes)
        .map_err(|e| ("minutes.bad_xml", format!("byte {}", e.offset)))?;
    let as_json = |fields: &kyodo_decode::ndl_xml::Fields| -> serde_json::Map<String, Value> {
        fields
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect()
    };
    let meeting_record: Vec<Value> = records
        .iter()
        .map(|m| {
            let mut o = as_json(&m.fields);
            o.insert(
                "speechRecord".into(),
                Value::Array(
                    m.speeches
                        .iter()
                        .map(|s| Value::Object(as_json(s)))
                        .collect(),
                ),
            );
            Value::Object(o)
        })
        .collect();
    let r: Response =
        serde_json::from_value(serde_json::json!({ "meetingRecord": meeting_record }))
            .map_err(|e| ("minutes.bad_xml", e.to_string()))?;
    meetings(r)
}

fn meetings(r: Response) -> Result<Vec<NewMeeting>, (&'static str, String)> {
    let mut out = Vec::new();
    for m in r.meeting_record {
        let held_on = chrono::NaiveDate::parse_from_str(&m.date, "%Y-%m-%d")
            .map_err(|_| ("minutes.bad_date", m.date.clone()))?;
        let session = match &m.session {
            Value::Number(n) => format!("第{n}回"),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        let speeches: Vec<NewSpeech> = m
            .speech_record
            .iter()
            .filter(|s| s.speech_order.as_i64() != Some(0) && s.speech_order.as_str() != Some("0"))
            .map(|s| {
                let (raw, text) = split_marker(&s.speech);
                NewSpeech {
                    speaker_raw: if raw.is_empty() {
                        s.speaker.clone()
                    } else {
                        raw
                    },
                    speaker: s.speaker.chars().filter(|c| !c.is_whitespace()).collect(),
                    position: s.speaker_position.clone(),
                    group: s.speaker_group.clone(),
                    text,
                }
            })
            .collect();
        if speeches.is_empty() {
            return Err(("minutes.no_speeches", m.issue_id));
        }
        out.push(NewMeeting {
            source_key: format!("ndl:{}", m.issue_id),
            body: m.name_of_meeting.clone(),
            kind: "council".into(),
            session,
            issue: m.issue.clone(),
            held_on: held_on.format("%Y-%m-%d").to_string(),
            title: [m.name_of_house.as_str(), &m.name_of_meeting, &m.issue]
                .iter()
                .filter(|x| !x.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
            speeches,
            ..Default::default()
        });
    }
    if out.is_empty() {
        return Err(("minutes.no_meetings", String::new()));
    }
    Ok(out)
}
