//! What the import looks names up in (departments, programmes, the policy tree, code lists) and
//! the matching that forgives what Excel and people do to them: dropped leading zeros, spelling
//! variants of policy names, labels instead of codes.

pub use super::blocks::Slot;
use super::*;
use crate::codes::{self, Code};
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{PolicyNode, Programme, UnitCost};
use std::collections::{HashMap, HashSet};

pub struct Lookup<'a> {
    pub fiscal_year: i64,
    /// (department code, name, id)
    pub departments: &'a [(String, String, i64)],
    pub nodes: &'a [PolicyNode],
    pub codes: &'a [Code],
    pub programmes: &'a [Programme],
    /// Stage of each programme's sheet in the cycle being imported.
    pub stages: &'a HashMap<i64, Stage>,
    pub units: &'a [UnitCost],
    /// Programmes with a sheet in a published year: their names are part of published history.
    pub published: &'a HashSet<i64>,
    /// The programmes' sheets of earlier years, for the history year blocks.
    pub history: &'a super::history::Existing,
}

pub(super) enum Column {
    Field(&'static str),
    Cost(Slot, String),
    /// Staff of a column on a basis, for a staff category ('' for 人件費, which has none).
    Staff(Slot, Staff, String),
}

/// How a sheet states the staff a programme takes; each becomes staff-years (人工), the one
/// measure Kyodo keeps (人件費 is always computed from it with the year's unit cost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Staff {
    /// 人工 — staff-years, as they are.
    Years,
    /// 人件費 — an amount in 千円, divided by the year's unit cost of the first staff category.
    Personnel,
    /// 職員数・人数 — head-counts, times the upload's factor (人工 per person).
    Heads,
    /// 従事時間・時間 — hours, divided by the upload's hours per staff-year.
    Hours,
}

impl Staff {
    pub const ALL: [Staff; 4] = [Staff::Years, Staff::Personnel, Staff::Heads, Staff::Hours];

    pub fn as_str(self) -> &'static str {
        match self {
            Staff::Years => "years",
            Staff::Personnel => "personnel",
            Staff::Heads => "heads",
            Staff::Hours => "hours",
        }
    }

    pub fn parse(s: &str) -> Option<Staff> {
        Staff::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// The words a header uses for it, after the year and kind: 「人工 正規職員」「人件費」…
    pub(super) const WORDS: [(&'static str, Staff); 6] = [
        (FTE, Staff::Years),
        ("人件費", Staff::Personnel),
        ("職員数", Staff::Heads),
        ("人数", Staff::Heads),
        ("従事時間", Staff::Hours),
        ("時間", Staff::Hours),
    ];
}

/// An amount in 千円 as the sheet form takes it (a whole number from 0 to `MAX_AMOUNT`) and the
/// change rounding made (0 unless `round` turned a fraction into the nearest 千円, half up), or
/// why not.
pub(super) fn amount(v: &str, round: bool) -> Result<(i64, f64), &'static str> {
    use kyodo_jp::numbers::{parse_amount, parse_decimal};
    let max = crate::evaluation::sheets::MAX_AMOUNT;
    match parse_amount(v) {
        Ok(Some(a)) if (0..=max).contains(&a) => Ok((a, 0.0)),
        Ok(_) => Err("eval.amount_range"),
        Err(_) => match parse_decimal(v) {
            Ok(Some(f)) if f.fract() != 0.0 && round => {
                let r = (f + 0.5).floor();
                if (0.0..=max as f64).contains(&r) {
                    Ok((r as i64, r - f))
                } else {
                    Err("eval.amount_range")
                }
            }
            Ok(Some(f)) if f.fract() != 0.0 => Err("eval.import_not_integer"),
            Ok(Some(_)) => Err("eval.amount_range"),
            // Digits alone, too many for any number: out of range, not "not a number".
            _ if v.chars().all(|c| c.is_ascii_digit() || c == ',') => Err("eval.amount_range"),
            _ => Err("eval.import_not_number"),
        },
    }
}

/// The code a cell means: full-width letters and digits as half-width (「０１０１」 is 0101), or why
/// it cannot be a programme code. A code of zeros only is refused: it is what a spreadsheet shows
/// for an empty or a deleted ID, never a real programme.
pub(super) fn programme_code(cell: &str) -> Result<String, &'static str> {
    let v: String = cell
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    if v.is_empty() {
        Err("eval.import_code_missing")
    } else if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || v.len() > 40
    {
        Err("eval.bad_code")
    } else if v.bytes().all(|b| b == b'0') {
        Err("eval.import_code_zero")
    } else {
        Ok(v)
    }
}

/// 「9999」 for 0101, 「A-99」 for K-12: the shape of a code.
fn shape(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            '0'..='9' => '9',
            c if c.is_ascii_alphabetic() => 'A',
            c => c,
        })
        .collect()
}

/// An existing code of the organization's own pattern, when a new code does not follow it: the
/// pattern is the shape four in five of its (at least five) programmes share.
pub(super) fn off_pattern(programmes: &[Programme], code: &str) -> Option<String> {
    if programmes.len() < 5 || programmes.iter().any(|p| p.code == code) {
        return None;
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in programmes {
        *counts.entry(shape(&p.code)).or_default() += 1;
    }
    let (common, n) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    (n * 5 >= programmes.len() * 4 && shape(code) != common)
        .then(|| programmes.iter().find(|p| shape(&p.code) == common))
        .flatten()
        .map(|p| p.code.clone())
}

/// The master code a numeric cell stands for when Excel dropped its leading zeros (`101` for
/// `0101`): only when no programme has the code as typed and exactly one has it with zeros.
pub(super) fn zeros_dropped(programmes: &[Programme], typed: &str) -> Option<String> {
    if !typed.bytes().all(|b| b.is_ascii_digit()) || programmes.iter().any(|p| p.code == typed) {
        return None;
    }
    let mut found = programmes.iter().filter(|p| {
        p.code.len() > typed.len()
            && p.code.bytes().all(|b| b.is_ascii_digit())
            && p.code.trim_start_matches('0') == typed.trim_start_matches('0')
    });
    match (found.next(), found.next()) {
        (Some(p), None) => Some(p.code.clone()),
        _ => None,
    }
}

/// The department a cell names, by its code or its name (「企画政策課」「110」).
pub(super) fn department(l: &Lookup<'_>, typed: &str) -> Option<i64> {
    let n = normalize(typed);
    l.departments
        .iter()
        .find(|(code, name, _)| normalize(code) == n || normalize(name) == n)
        .map(|(_, _, id)| *id)
}

/// A code of `list` from its code or label as typed.
pub(super) fn code_of(all: &[Code], list: &str, typed: &str) -> Option<String> {
    let n = normalize(typed);
    codes::of_list(all, list)
        .find(|c| {
            normalize(&c.code) == n || normalize(&c.label) == n || normalize(&c.label_en) == n
        })
        .map(|c| c.code.clone())
}

/// The policy node a typed name means, or the three closest names.
pub(super) fn policy(nodes: &[PolicyNode], typed: &str) -> Result<i64, String> {
    let n = normalize(typed);
    let candidates: Vec<&PolicyNode> = nodes.iter().filter(|x| x.level != "policy").collect();
    if let Some(x) = candidates.iter().find(|x| {
        normalize(&x.title) == n
            || normalize(&format!("{}{}", x.number, x.title)) == n
            || normalize(&x.number) == n
    }) {
        return Ok(x.id);
    }
    let mut scored: Vec<(usize, String)> = candidates
        .iter()
        .map(|x| {
            (
                distance(&n, &normalize(&x.title)).min(distance(
                    &n,
                    &normalize(&format!("{}{}", x.number, x.title)),
                )),
                format!("{} {}", x.number, x.title),
            )
        })
        .collect();
    scored.sort();
    Err(scored
        .into_iter()
        .take(3)
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme(code: &str) -> Programme {
        Programme {
            code: code.into(),
            ..Default::default()
        }
    }

    #[test]
    fn codes_of_zeros_are_refused_and_full_width_codes_read_as_half_width() {
        assert_eq!(programme_code(" ０１０１ ").as_deref(), Ok("0101"));
        assert_eq!(programme_code("0"), Err("eval.import_code_zero"));
        assert_eq!(programme_code("０００"), Err("eval.import_code_zero"));
        assert_eq!(programme_code(""), Err("eval.import_code_missing"));
        assert_eq!(programme_code("ＡＢ!"), Err("eval.bad_code"));
    }

    #[test]
    fn a_new_code_off_the_organizations_pattern_is_shown_an_example() {
        let mut ps: Vec<Programme> = ["0101", "0102", "0201", "0202", "0301"]
            .iter()
            .map(|c| programme(c))
            .collect();
        assert_eq!(off_pattern(&ps, "12").as_deref(), Some("0101"));
        assert_eq!(off_pattern(&ps, "0999"), None);
        assert_eq!(
            off_pattern(&ps, "0101"),
            None,
            "an existing code is never off"
        );
        ps.push(programme("K-1"));
        ps.push(programme("K-2"));
        assert_eq!(
            off_pattern(&ps, "12"),
            None,
            "no pattern four in five share"
        );
    }

    #[test]
    fn a_kana_spelling_of_a_kanji_word_is_offered_as_the_first_candidate() {
        let node = |id, number: &str, title: &str| PolicyNode {
            id,
            level: "measure".into(),
            number: number.into(),
            title: title.into(),
            plan_id: 1,
            parent_id: None,
            position: 0,
            goal: String::new(),
        };
        let nodes = [
            node(1, "1-1", "協働のまちづくり"),
            node(2, "1-2", "子どもを育むまちづくり"),
            node(3, "1-3", "行政改革の推進"),
            node(4, "1-4", "地域を守るまちづくり"),
        ];
        let offered = policy(&nodes, "子どもをはぐくむまちづくり").unwrap_err();
        assert!(
            offered.starts_with("1-2 子どもを育むまちづくり"),
            "{offered}"
        );
        assert_eq!(
            policy(&nodes, "チイキをまもるまちづくり"),
            policy(&nodes, "ちいきをまもるまちづくり"),
            "katakana reads as hiragana"
        );
        assert_eq!(policy(&nodes, "１－３　行政改革の推進"), Ok(3));
    }
}
