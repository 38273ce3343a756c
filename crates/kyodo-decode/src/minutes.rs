//! Plain-text minutes (会議録) as cities publish them: a few heading lines (the meeting, its date),
//! then speeches, each starting with a speaker marker — 「○議長（林宏君）　ただいまから…」
//! 「◎市長（室井照平君）」「◆１番（佐藤花子議員）」 — in full- or half-width brackets; lines of ━ or ─
//! separate parts; 〔…〕 are stage directions, kept apart from the speech text.

use crate::minutes_heading::{Heading, HeadingReader, is_heading_line};
use chrono::NaiveDate;

/// The largest text accepted: the upload limit of every import (a year's 本会議 is a few MB).
pub const MAX_TEXT_BYTES: usize = crate::sheet::MAX_FILE_BYTES;

/// Characters that start a speech.
const MARKERS: [char; 7] = ['○', '◎', '◆', '◇', '●', '△', '◯'];
/// What follows a speaker's name: 君, さん, 議員, 委員 (dropped from the normalised name).
const HONORIFICS: [&str; 4] = ["議員", "委員", "君", "さん"];

#[derive(Debug, Default, PartialEq)]
pub struct Minutes {
    /// The first heading line.
    pub title: String,
    /// The first heading line that reads as a date.
    pub held_on: Option<NaiveDate>,
    /// 場所, attendance and the agenda, from the heading lines.
    pub heading: Heading,
    pub speeches: Vec<Speech>,
}

#[derive(Debug, Default, PartialEq)]
pub struct Speech {
    /// The line (from 1) the speech starts on.
    pub line: usize,
    /// 「議長（林宏君）」 — as written, without the marker.
    pub speaker_raw: String,
    /// 議長, 市長, 議員 (for 「１番」) …
    pub position: String,
    /// 林宏 — without 君/さん/議員/委員 and spaces.
    pub name: String,
    pub text: String,
    /// A stage direction (〔…〕), not a speech.
    pub direction: bool,
}

#[derive(Debug, PartialEq)]
pub struct Problem {
    pub line: usize,
    /// Catalogue key.
    pub message: &'static str,
    pub value: String,
}

/// Text in UTF-8 (with or without BOM) or Shift_JIS (CP932); anything else is refused by name.
pub fn decode(bytes: &[u8]) -> Result<String, &'static str> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err("import.file_too_large");
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            let (s, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
            if bad {
                Err("import.bad_encoding")
            } else {
                Ok(s.into_owned())
            }
        }
    }
}

fn is_rule(line: &str) -> bool {
    !line.is_empty()
        && line.chars().all(|c| {
            matches!(
                c,
                '━' | '─' | '―' | '－' | '-' | '=' | '＝' | '・' | ' ' | '　'
            )
        })
}

/// 「議長（林宏君）　本文」 → (raw, position, name, rest), or `None` when no speaker can be placed.
fn speaker(after_marker: &str) -> Option<(String, String, String, String)> {
    let open = after_marker.find(['（', '('])?;
    let close_rel = after_marker[open..].find(['）', ')'])?;
    let close = open + close_rel;
    let close_len = after_marker[close..].chars().next()?.len_utf8();
    let position = after_marker[..open].trim();
    let open_len = after_marker[open..].chars().next()?.len_utf8();
    let inner = after_marker[open + open_len..close].trim();
    if position.is_empty() || inner.is_empty() || position.chars().count() > 30 {
        return None;
    }
    let mut name = inner.to_string();
    for h in HONORIFICS {
        if let Some(n) = name.strip_suffix(h) {
            name = n.to_string();
            break;
        }
    }
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    // 「１番」「12番」: a member speaking by seat number.
    let seat = position.trim_end_matches('番');
    let position = if seat != position
        && !seat.is_empty()
        && seat
            .chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        "議員".to_string()
    } else {
        position.to_string()
    };
    let raw = after_marker[..close + close_len].to_string();
    let rest = after_marker[close + close_len..].trim().to_string();
    Some((raw, position, name, rest))
}

/// Splits 〔…〕 out of a line: (the text without them, the directions).
fn directions(line: &str) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('〔') {
        let Some(close) = rest[open..].find('〕') else {
            break;
        };
        text.push_str(&rest[..open]);
        found.push(rest[open..open + close + '〕'.len_utf8()].to_string());
        rest = &rest[open + close + '〕'.len_utf8()..];
    }
    text.push_str(rest);
    (text.trim().to_string(), found)
}

fn heading_date(line: &str) -> Option<NaiveDate> {
    // 「日時：令和6年7月1日(月) 午前9時」: the label goes first.
    let line = ["開催日時", "日時", "開催日", "日　時"]
        .iter()
        .find_map(|w| line.strip_prefix(w))
        .map_or(line, |l| {
            l.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '：' | ':'))
        });
    // 「令和6年3月5日(火曜日)」: the weekday in brackets is not part of the date.
    let end = line.find("日").map(|i| i + "日".len())?;
    kyodo_jp::wareki::parse_date(line[..end].trim()).ok()
}

/// Reads plain-text minutes; every problem names its line.
pub fn parse(text: &str) -> Result<Minutes, Vec<Problem>> {
    let mut m = Minutes::default();
    let mut problems = Vec::new();
    let mut current: Option<Speech> = None;
    let mut pending: Vec<Speech> = Vec::new();
    let mut heading = HeadingReader::default();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() || is_rule(line) {
            continue;
        }
        let first = line.chars().next().unwrap_or(' ');
        let in_heading = current.is_none()
            && !line.starts_with('〔')
            && !m.speeches.iter().any(|s| !s.direction);
        // 「○出席議員」「○議事日程」 open heading sections, not speeches.
        if in_heading && (is_heading_line(line) || !MARKERS.contains(&first)) && heading.line(line)
        {
            continue;
        }
        if MARKERS.contains(&first) {
            let after = &line[first.len_utf8()..];
            match speaker(after) {
                Some((speaker_raw, position, name, rest)) => {
                    if let Some(s) = current.take() {
                        m.speeches.push(s);
                    }
                    m.speeches.append(&mut pending);
                    let (text, found) = directions(&rest);
                    current = Some(Speech {
                        line: line_no,
                        speaker_raw,
                        position,
                        name,
                        text,
                        direction: false,
                    });
                    pending.extend(found.into_iter().map(|d| direction(line_no, d)));
                }
                None => problems.push(Problem {
                    line: line_no,
                    message: "minutes.speaker_unplaced",
                    value: line.chars().take(40).collect(),
                }),
            }
            continue;
        }
        let (text, found) = directions(line);
        match current.as_mut() {
            Some(s) => {
                if !text.is_empty() {
                    if !s.text.is_empty() {
                        s.text.push('\n');
                    }
                    s.text.push_str(&text);
                }
                pending.extend(found.into_iter().map(|d| direction(line_no, d)));
            }
            None if m.speeches.is_empty() => {
                // Heading lines before the first speech.
                if !text.is_empty() {
                    if m.title.is_empty() {
                        m.title = text.chars().take(200).collect();
                    }
                    if m.held_on.is_none() {
                        m.held_on = heading_date(&text);
                    }
                }
                m.speeches
                    .extend(found.into_iter().map(|d| direction(line_no, d)));
            }
            None => {}
        }
    }
    if let Some(s) = current.take() {
        m.speeches.push(s);
    }
    m.speeches.append(&mut pending);
    m.heading = heading.heading;
    // 庁議 results are often items and decisions without a record of speeches.
    if !m.speeches.iter().any(|s| !s.direction) && m.heading.items.is_empty() {
        problems.push(Problem {
            line: 0,
            message: "minutes.no_speeches",
            value: String::new(),
        });
    }
    if problems.is_empty() {
        Ok(m)
    } else {
        Err(problems)
    }
}

fn direction(line: usize, text: String) -> Speech {
    Speech {
        line,
        text,
        direction: true,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "令和6年2月定例会 本会議 第3号\n令和6年3月5日(火曜日)\n━━━━━━━━━━\n〔午前10時開議〕\n○議長（林　宏君）　ただいまから本日の会議を開きます。\n〔「異議なし」と呼ぶ者あり〕\n◎市長(室井照平君)　お答えします。行政改革を進めます。\n　次の行も同じ発言です。〔拍手〕\n◆１番（佐藤花子議員）　質問します。\n";

    #[test]
    fn speeches_speakers_and_directions_are_read_apart() {
        let m = parse(SAMPLE).unwrap();
        assert_eq!(m.title, "令和6年2月定例会 本会議 第3号");
        assert_eq!(m.held_on, NaiveDate::from_ymd_opt(2024, 3, 5));
        let speeches: Vec<(&str, &str, &str, bool)> = m
            .speeches
            .iter()
            .map(|s| {
                (
                    s.position.as_str(),
                    s.name.as_str(),
                    s.text.as_str(),
                    s.direction,
                )
            })
            .collect();
        assert_eq!(
            speeches,
            vec![
                ("", "", "〔午前10時開議〕", true),
                ("議長", "林宏", "ただいまから本日の会議を開きます。", false),
                ("", "", "〔「異議なし」と呼ぶ者あり〕", true),
                (
                    "市長",
                    "室井照平",
                    "お答えします。行政改革を進めます。\n次の行も同じ発言です。",
                    false
                ),
                ("", "", "〔拍手〕", true),
                ("議員", "佐藤花子", "質問します。", false),
            ]
        );
        assert_eq!(m.speeches[1].speaker_raw, "議長（林　宏君）");
        assert_eq!(m.speeches[1].line, 5);
    }

    #[test]
    fn heading_sections_before_the_first_speech_and_executive_results_without_speeches() {
        let text = "令和6年2月定例会 本会議 第3号\n令和6年3月5日(火曜日)\n場所　議場\n○出席議員（2名）\n１番　花子\n○議事日程\n日程第１　一般質問\n〔午前10時開議〕\n○議長（林　宏君）　開きます。\n";
        let m = parse(text).unwrap();
        assert_eq!(m.title, "令和6年2月定例会 本会議 第3号");
        assert_eq!(m.heading.place, "議場");
        assert_eq!(m.heading.attendance, "出席議員（2名）\n１番　花子");
        assert_eq!(m.heading.items.len(), 1);
        assert_eq!(m.speeches.len(), 2, "the direction and the speech");
        assert_eq!(m.speeches[1].name, "林宏");

        let executive = "令和6年度第5回庁議\n日時：令和6年7月1日(月) 午前9時\n議題\n１　総合計画の進捗（企画政策部）\n結果：了承\n";
        let m = parse(executive).unwrap();
        assert_eq!(m.held_on, NaiveDate::from_ymd_opt(2024, 7, 1));
        assert!(m.speeches.is_empty());
        assert_eq!(m.heading.items[0].result, "了承");
        assert_eq!(m.heading.items[0].department, "企画政策部");
    }

    #[test]
    fn a_marker_without_a_speaker_and_minutes_without_speeches_are_refused_by_line() {
        let bad = "会議\n○議長　ただいまから\n";
        assert_eq!(
            parse(bad).unwrap_err()[0],
            Problem {
                line: 2,
                message: "minutes.speaker_unplaced",
                value: "○議長　ただいまから".into()
            }
        );
        assert_eq!(
            parse("会議だけ\n〔休憩〕\n").unwrap_err()[0].message,
            "minutes.no_speeches"
        );
        assert_eq!(decode(&[0x82, 0xA0]).unwrap(), "あ", "Shift_JIS");
        assert_eq!(decode(&[0xFF, 0xFF, 0xFF]), Err("import.bad_encoding"));
    }
}
