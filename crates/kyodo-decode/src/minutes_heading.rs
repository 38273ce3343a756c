//! The heading of plain-text minutes, before the first speech: where the meeting was held (場所),
//! who attended (出席議員, 出席者, 欠席…, 説明のため出席した者 — kept as written), and the agenda
//! (議事日程, 議題, 案件): one item per numbered line, with the responsible department from a
//! trailing bracket 「（企画政策部）」 and the decision from a following 「結果：…」 line — how 庁議
//! results are published.

/// One agenda item (議事日程の一件, or a 庁議 案件 with its result).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Item {
    pub title: String,
    /// 結果 / 決定事項, as written.
    pub result: String,
    /// 担当部局.
    pub department: String,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Heading {
    pub place: String,
    /// The attendance sections, lines as written.
    pub attendance: String,
    pub items: Vec<Item>,
}

#[derive(Clone, Copy, Default, PartialEq)]
enum Section {
    #[default]
    None,
    Attendance,
    Agenda,
}

const PLACE: [&str; 4] = ["開催場所", "会議場所", "場所", "会場"];
const ATTENDANCE: [&str; 4] = ["出席", "欠席", "説明のため出席", "職務のため出席"];
const AGENDA: [&str; 6] = [
    "議事日程",
    "本日の会議に付した事件",
    "付議事件",
    "議題",
    "案件",
    "協議事項",
];
const RESULT: [&str; 5] = ["決定事項", "結果", "決定", "結論", "→"];
/// Characters that may open a heading line (the same marks speeches use).
const MARKS: [char; 9] = ['○', '◎', '◆', '◇', '●', '△', '◯', '■', '□'];

/// Whether a line (without its marker) starts a heading section rather than a speech: such lines
/// are read as heading even when they open with a speaker's marker 「○出席議員（28名）」.
pub fn is_heading_line(line: &str) -> bool {
    let l = unmarked(line);
    [&PLACE[..], &ATTENDANCE[..], &AGENDA[..]]
        .iter()
        .any(|words| words.iter().any(|w| l.starts_with(w)))
}

fn unmarked(line: &str) -> &str {
    line.trim_start_matches(|c: char| MARKS.contains(&c) || c.is_whitespace())
}

/// The text after a heading word and its separator (「場所：本庁舎」「場所　本庁舎」).
fn after<'a>(line: &'a str, words: &[&str]) -> Option<&'a str> {
    let w = words.iter().find(|w| line.starts_with(**w))?;
    Some(
        line[w.len()..].trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '：' | ':' | '　' | '・')
        }),
    )
}

/// Reads heading lines one at a time.
#[derive(Default)]
pub struct HeadingReader {
    pub heading: Heading,
    section: Section,
}

impl HeadingReader {
    /// Takes a heading line; returns `false` when the line is not part of a section (a title or a
    /// date line for the caller).
    pub fn line(&mut self, line: &str) -> bool {
        let l = unmarked(line);
        if let Some(rest) = after(l, &PLACE) {
            if self.heading.place.is_empty() {
                self.heading.place = rest.trim().chars().take(200).collect();
            }
            self.section = Section::None;
            return true;
        }
        if ATTENDANCE.iter().any(|w| l.starts_with(w)) {
            self.section = Section::Attendance;
            self.attend(l);
            return true;
        }
        if let Some(rest) = after(l, &AGENDA) {
            self.section = Section::Agenda;
            // 「議題　１　…」 on the heading's own line; a count such as 「（3件）」 is not an item.
            if !rest.is_empty() && !rest.starts_with(['（', '(']) {
                self.agenda(rest);
            }
            return true;
        }
        match self.section {
            Section::Attendance => {
                self.attend(line.trim());
                true
            }
            Section::Agenda => {
                self.agenda(l);
                true
            }
            Section::None => false,
        }
    }

    fn attend(&mut self, line: &str) {
        if !self.heading.attendance.is_empty() {
            self.heading.attendance.push('\n');
        }
        self.heading.attendance.push_str(line);
    }

    fn agenda(&mut self, line: &str) {
        if let Some(result) = after(line, &RESULT)
            && let Some(item) = self.heading.items.last_mut()
        {
            join(&mut item.result, result);
            return;
        }
        match numbered(line) {
            Some(title) => {
                let (title, department) = department(title);
                self.heading.items.push(Item {
                    title: title.to_string(),
                    result: String::new(),
                    department: department.to_string(),
                });
            }
            // A line that goes on: the result once there is one, else the title.
            None => match self.heading.items.last_mut() {
                Some(item) if !item.result.is_empty() => join(&mut item.result, line),
                Some(item) => join(&mut item.title, line),
                None => self.heading.items.push(Item {
                    title: line.to_string(),
                    ..Default::default()
                }),
            },
        }
    }
}

fn join(to: &mut String, more: &str) {
    if !to.is_empty() {
        to.push('\n');
    }
    to.push_str(more.trim());
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The title of a numbered line — 「日程第１　議案第１号…」「第2」「1.」「（3）」「①」「２　…」 — or `None`.
fn numbered(line: &str) -> Option<&str> {
    let mut rest = line.strip_prefix("日程").unwrap_or(line);
    let circled = rest
        .chars()
        .next()
        .is_some_and(|c| ('①'..='⑳').contains(&c));
    if circled {
        rest = &rest[rest.chars().next()?.len_utf8()..];
    } else {
        rest = rest.trim_start_matches(['（', '(']);
        let had_dai = rest.starts_with('第');
        rest = rest.trim_start_matches('第');
        let digits = rest.chars().take_while(|c| is_digit(*c)).count();
        if digits == 0 {
            return None;
        }
        rest = &rest[rest
            .char_indices()
            .nth(digits)
            .map_or(rest.len(), |(i, _)| i)..];
        // 「第1号議案」 is a title, not a number: a number ends here, or before a separator.
        if had_dai && rest.starts_with(['号', '回']) {
            return Some(line.trim());
        }
        rest = rest.trim_start_matches(['）', ')', '.', '．', '、', '番']);
    }
    let title = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '　');
    (!title.is_empty()).then_some(title.trim())
}

/// Splits a trailing 「（企画政策部）」「(担当：総務課)」 off a title when it names a department.
fn department(title: &str) -> (&str, &str) {
    let Some(body) = title.strip_suffix(['）', ')']) else {
        return (title, "");
    };
    let Some(open) = body.rfind(['（', '(']) else {
        return (title, "");
    };
    let inner = &body[open..];
    let inner = &inner[inner.chars().next().map_or(0, char::len_utf8)..];
    let inner = inner
        .strip_prefix("担当")
        .map(|s| s.trim_start_matches(['：', ':', '　', ' ']))
        .unwrap_or(inner);
    let names_department = ["部", "課", "局", "室", "所", "委員会", "センター"]
        .iter()
        .any(|end| inner.ends_with(end));
    if names_department && !inner.is_empty() {
        (title[..open].trim(), inner.trim())
    } else {
        (title, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &[&str]) -> (Heading, Vec<bool>) {
        let mut r = HeadingReader::default();
        let taken = lines.iter().map(|l| r.line(l)).collect();
        (r.heading, taken)
    }

    #[test]
    fn place_attendance_and_a_council_agenda() {
        let (h, taken) = read(&[
            "令和6年2月定例会 本会議 第3号",
            "場所：市役所本庁舎 議場",
            "○出席議員（3名）",
            "１番　鶴ヶ城花子　　２番　只見四郎",
            "○欠席議員（なし）",
            "○議事日程",
            "日程第１　一般質問",
            "日程第２　議案第１号 令和6年度会津若松市一般会計予算",
        ]);
        assert_eq!(taken, [false, true, true, true, true, true, true, true]);
        assert_eq!(h.place, "市役所本庁舎 議場");
        assert_eq!(
            h.attendance,
            "出席議員（3名）\n１番　鶴ヶ城花子　　２番　只見四郎\n欠席議員（なし）"
        );
        let titles: Vec<&str> = h.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            ["一般質問", "議案第１号 令和6年度会津若松市一般会計予算"]
        );
    }

    #[test]
    fn executive_items_with_departments_and_results() {
        let (h, _) = read(&[
            "議題",
            "１　第7次総合計画の進捗について（企画政策部）",
            "結果：原案のとおり了承",
            "(2) 公共施設の再配置 (担当：財務部)",
            "決定事項　次回までに案を示す",
            "　地域説明会の日程も示す",
            "③ 第1号議案の取扱い",
        ]);
        assert_eq!(
            h.items,
            vec![
                Item {
                    title: "第7次総合計画の進捗について".into(),
                    result: "原案のとおり了承".into(),
                    department: "企画政策部".into()
                },
                Item {
                    title: "公共施設の再配置".into(),
                    result: "次回までに案を示す\n地域説明会の日程も示す".into(),
                    department: "財務部".into()
                },
                Item {
                    title: "第1号議案の取扱い".into(),
                    ..Default::default()
                },
            ]
        );
    }

    #[test]
    fn a_bracket_that_names_no_department_stays_in_the_title() {
        assert_eq!(department("予算（案）"), ("予算（案）", ""));
        assert_eq!(numbered("第1号議案"), Some("第1号議案"));
        assert_eq!(numbered("報告"), None);
        assert!(is_heading_line("◎出席者"));
        assert!(!is_heading_line("議長（林宏君）"));
    }
}
