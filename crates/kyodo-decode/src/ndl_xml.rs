//! The NDL 会議録検索 API's XML record format (`recordPacking=xml`): each `meetingRecord` with its
//! fields and `speechRecord`s, read into plain field maps. Namespaces and the surrounding
//! `records`/`recordData` wrapping are ignored; entity and character references are resolved; a
//! malformed document is refused with the byte offset where reading stopped.

use quick_xml::events::Event;
use std::collections::BTreeMap;

pub type Fields = BTreeMap<String, String>;

/// One meeting: its own fields and its speeches' fields, in document order.
#[derive(Debug, Default, PartialEq)]
pub struct MeetingRecord {
    pub fields: Fields,
    pub speeches: Vec<Fields>,
}

/// Where a document stopped being readable.
#[derive(Debug, PartialEq)]
pub struct XmlError {
    pub offset: u64,
}

/// Every `meetingRecord` of the document.
pub fn meeting_records(bytes: &[u8]) -> Result<Vec<MeetingRecord>, XmlError> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut out: Vec<MeetingRecord> = Vec::new();
    // Element names from the root down; text is kept for the innermost element only.
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut meeting: Option<MeetingRecord> = None;
    let mut speech: Option<Fields> = None;
    let mut buf = Vec::new();
    loop {
        let at = reader.buffer_position();
        let err = |_| XmlError { offset: at };
        match reader.read_event_into(&mut buf).map_err(err)? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                match name.as_str() {
                    "meetingRecord" => meeting = Some(MeetingRecord::default()),
                    "speechRecord" if meeting.is_some() => speech = Some(Fields::new()),
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::End(_) => {
                let Some(name) = path.pop() else {
                    return Err(XmlError { offset: at });
                };
                match name.as_str() {
                    "meetingRecord" => out.extend(meeting.take()),
                    "speechRecord" => {
                        if let (Some(m), Some(s)) = (meeting.as_mut(), speech.take()) {
                            m.speeches.push(s);
                        }
                    }
                    field => {
                        let value = std::mem::take(&mut text).trim().to_string();
                        if let Some(s) = speech.as_mut() {
                            s.insert(field.to_string(), value);
                        } else if let Some(m) = meeting.as_mut() {
                            m.fields.insert(field.to_string(), value);
                        }
                    }
                }
            }
            Event::Text(t) => text.push_str(&t.decode().map_err(|_| XmlError { offset: at })?),
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|_| XmlError { offset: at })? {
                    Some(c) => c,
                    None => match &*r as &[u8] {
                        b"amp" => '&',
                        b"lt" => '<',
                        b"gt" => '>',
                        b"quot" => '"',
                        b"apos" => '\'',
                        _ => return Err(XmlError { offset: at }),
                    },
                };
                text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !path.is_empty() {
        return Err(XmlError {
            offset: reader.buffer_position(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_read_with_their_speeches_and_references() {
        let xml = "<?xml version=\"1.0\"?><data><numberOfRecords>1</numberOfRecords><records><record><recordData>\
            <meetingRecord><issueID>X1</issueID><nameOfMeeting>本会議</nameOfMeeting><date>2025-06-12</date>\
            <speechRecord><speechOrder>1</speechOrder><speaker>林 宏</speaker><speech>○議長（林宏君）　A&amp;B &#x3042;</speech></speechRecord>\
            <speechRecord><speechOrder>2</speechOrder><speaker/><speech><![CDATA[<本文>]]></speech></speechRecord>\
            </meetingRecord></recordData></record></records></data>";
        let r = meeting_records(xml.as_bytes()).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].fields["issueID"], "X1");
        assert_eq!(r[0].speeches.len(), 2);
        assert_eq!(r[0].speeches[0]["speech"], "○議長（林宏君）　A&B あ");
        assert_eq!(r[0].speeches[1]["speech"], "<本文>");
        assert!(meeting_records(b"<data><meetingRecord><issueID>X</issueID>").is_err());
        assert!(meeting_records(b"<data></wrong>").is_err());
    }
}
