//! Minutes as a CSV of speeches, one row per speech: the columns of the speeches CSV Kyodo
//! publishes (会議名, 開催日, 会期, 号, 発言番号, 発言者(表記), 発言者, 役職, 会派, 発言), so an export
//! goes back in unchanged; 会議名, 開催日 and 発言 are required. Rows group into meetings by 会議名,
//! 開催日 and 号; within a meeting, speeches follow 発言番号 (else the row order).

use super::import::Problem;
use super::store::{NewMeeting, NewSpeech};
use kyodo_decode::sheet::Sheet;

/// The columns, as the published speeches CSV has them.
pub const COLUMNS: [&str; 10] = [
    "会議名",
    "開催日",
    "会期",
    "号",
    "発言番号",
    "発言者(表記)",
    "発言者",
    "役職",
    "会派",
    "発言",
];

/// The key a meeting is replaced by, whatever format it came in.
pub fn source_key(body: &str, held_on: &str, issue: &str) -> String {
    format!("meeting:{body}:{held_on}:{issue}")
}

pub fn parse(file: &str, sheet: &Sheet) -> Result<Vec<NewMeeting>, Vec<Problem>> {
    let problem = |line: usize, message: &'static str, value: &str| Problem {
        file: file.to_string(),
        line,
        message,
        value: value.to_string(),
    };
    let Some(header) = sheet.rows.first() else {
        return Err(vec![problem(0, "minutes.no_speeches", "")]);
    };
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let at: Vec<Option<usize>> = COLUMNS.iter().map(|c| col(c)).collect();
    let missing: Vec<Problem> = [0, 1, 9]
        .iter()
        .filter(|i| at[**i].is_none())
        .map(|i| problem(1, "import.missing_column", COLUMNS[*i]))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut problems = Vec::new();
    // (meeting fields) → (order, speech)
    let mut meetings: Vec<(NewMeeting, Vec<(i64, NewSpeech)>)> = Vec::new();
    for (i, row) in sheet.rows.iter().enumerate().skip(1) {
        let line = i + 1;
        let cell = |k: usize| {
            at[k]
                .and_then(|c| row.get(c))
                .map(|v| v.trim())
                .unwrap_or("")
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let (body, date, text) = (cell(0), cell(1), cell(9));
        let held_on = match kyodo_jp::wareki::parse_date(date) {
            Ok(d) => d.format("%Y-%m-%d").to_string(),
            Err(_) => {
                problems.push(problem(line, "minutes.bad_date", date));
                continue;
            }
        };
        if body.is_empty() {
            problems.push(problem(line, "minutes.body_required", ""));
        }
        if text.is_empty() {
            problems.push(problem(line, "minutes.no_speeches", ""));
        }
        let order = match cell(4) {
            "" => i as i64,
            v => match v.parse::<i64>() {
                Ok(n) if n >= 0 => n,
                _ => {
                    problems.push(problem(line, "minutes.bad_order", v));
                    continue;
                }
            },
        };
        let (position, name) = (cell(7), cell(6));
        let raw = match cell(5) {
            "" if !position.is_empty() || !name.is_empty() => format!("{position}（{name}）"),
            v => v.to_string(),
        };
        let speech = NewSpeech {
            speaker_raw: raw,
            speaker: name.chars().filter(|c| !c.is_whitespace()).collect(),
            position: position.to_string(),
            group: cell(8).to_string(),
            text: text.to_string(),
        };
        let key = source_key(body, &held_on, cell(3));
        match meetings.iter_mut().find(|(m, _)| m.source_key == key) {
            Some((_, s)) => s.push((order, speech)),
            None => meetings.push((
                NewMeeting {
                    source_key: key,
                    body: body.to_string(),
                    kind: if body.contains("庁議") {
                        "executive"
                    } else {
                        "council"
                    }
                    .into(),
                    session: cell(2).to_string(),
                    issue: cell(3).to_string(),
                    title: [cell(2), body, cell(3)]
                        .iter()
                        .filter(|x| !x.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" "),
                    held_on,
                    ..Default::default()
                },
                vec![(order, speech)],
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if meetings.is_empty() {
        return Err(vec![problem(0, "minutes.no_speeches", "")]);
    }
    Ok(meetings
        .into_iter()
        .map(|(mut m, mut s)| {
            s.sort_by_key(|(o, _)| *o);
            m.speeches = s.into_iter().map(|(_, s)| s).collect();
            m
        })
        .collect())
}
