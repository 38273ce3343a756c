//! Where a budget file keeps each field: the header row found by its names — the usual ones
//! (款, 款名, 予算額 …) or those a city maps (「款の名称」 is 款) — and, for a file that has no
//! column for the year, 会計, edition or side (a 予算書 of one 会計 and year, its 歳入 and 歳出 in
//! separate files), the value the city gives for the whole file. The unit of the amounts comes from
//! the mapping, else the amount column's header, else a title row.

use crate::finance::cells::{fold, unit_in};
use std::collections::BTreeMap;

/// Every field of a budget line with the column names accepted for it (after full-width letters
/// and spaces are folded), in the order the reader takes them.
pub const FIELDS: [(&str, &[&str]); 10] = [
    ("year", &["年度", "会計年度"]),
    ("account", &["会計", "会計名", "会計区分"]),
    ("edition", &["予算区分", "版", "区分", "予算・決算", "種別"]),
    ("side", &["歳入歳出", "歳入・歳出", "歳入/歳出", "収支"]),
    ("kan", &["款", "款名"]),
    ("kou", &["項", "項名"]),
    ("moku", &["目", "目名"]),
    ("setsu", &["節", "節名"]),
    ("nature", &["性質", "性質別", "性質別区分"]),
    (
        "amount",
        &["金額", "予算額", "決算額", "支出済額", "収入済額"],
    ),
];

/// Fields a file must have, as a column or (the first four) as a value for the whole file.
pub const REQUIRED: [&str; 6] = ["year", "account", "edition", "side", "kan", "amount"];

/// Fields that may be given one value for the whole file instead of a column.
pub const FIXABLE: [&str; 4] = ["year", "account", "edition", "side"];

/// A city's mapping: the header of its column for a field, a value for the whole file for a field
/// it has no column for, and the unit of its amounts (円 per unit). Empty: the usual names.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mapping {
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub fixed: BTreeMap<String, String>,
    #[serde(default)]
    pub unit: Option<i64>,
}

impl Mapping {
    /// The value given for the whole file for `field`, if any (never for a mapped column).
    pub fn fixed(&self, field: &str) -> Option<&str> {
        self.fixed
            .get(field)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

impl Mapping {
    /// The values given for the whole file that cannot be read: (field, catalogue key), so each
    /// is refused before any row is (a year of 「R７」 is read; 「来年」 is not).
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if let Some(y) = self.fixed("year")
            && kyodo_jp::FiscalYear::parse(y).is_none()
        {
            out.push(("year", "fin.bad_year"));
        }
        if let Some(s) = self.fixed("side")
            && super::Side::parse(s).is_none()
        {
            out.push(("side", "fin.bad_side"));
        }
        out
    }
}

/// The header row's columns: field → column index, and the unit its amount header names.
pub type Header = (BTreeMap<&'static str, usize>, Option<i64>);

/// Reads `row` as the header under `mapping`: every required field found (or fixed), else `None`.
pub fn header(row: &[String], mapping: &Mapping) -> Option<Header> {
    let mut cols = BTreeMap::new();
    let mut unit = None;
    let mapped: Vec<(&str, String)> = mapping
        .headers
        .iter()
        .filter(|(_, h)| !h.trim().is_empty())
        .map(|(f, h)| (f.as_str(), fold(h)))
        .collect();
    for (i, cell) in row.iter().enumerate() {
        let name = fold(cell);
        // 「金額(千円)」: the name before the bracket, the unit inside it.
        let bare = name.split(['(', '（']).next().unwrap_or_default();
        for (field, names) in FIELDS {
            let chosen = mapped.iter().find(|(f, _)| *f == field);
            let matches = match chosen {
                Some((_, h)) => *h == name || *h == bare,
                None => names.contains(&bare),
            };
            if matches && !cols.contains_key(field) {
                cols.insert(field, i);
                if field == "amount" {
                    unit = unit_in(&name);
                }
            }
        }
    }
    REQUIRED
        .iter()
        .all(|f| cols.contains_key(f) || mapping.fixed(f).is_some())
        .then_some((cols, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_city_maps_its_own_headers_and_gives_values_for_missing_columns() {
        let r = row(&["款の名称", "項の名称", "当初予算額(千円)"]);
        assert!(header(&r, &Mapping::default()).is_none());
        let mut m = Mapping::default();
        m.headers.insert("kan".into(), "款の名称".into());
        m.headers.insert("kou".into(), "項の 名称".into());
        m.headers.insert("amount".into(), "当初予算額".into());
        assert!(
            header(&r, &m).is_none(),
            "year, 会計, edition, side missing"
        );
        for (f, v) in [
            ("year", "R7"),
            ("account", "一般会計"),
            ("edition", "当初"),
            ("side", "歳出"),
        ] {
            m.fixed.insert(f.into(), v.into());
        }
        let (cols, unit) = header(&r, &m).unwrap();
        assert!(m.problems().is_empty());
        m.fixed.insert("year".into(), "来年".into());
        m.fixed.insert("side".into(), "両方".into());
        assert_eq!(
            m.problems(),
            [("year", "fin.bad_year"), ("side", "fin.bad_side")]
        );
        assert_eq!((cols["kan"], cols["kou"], cols["amount"]), (0, 1, 2));
        assert_eq!(unit, Some(1000), "the unit in the mapped header's bracket");
        // A mapped field no longer answers to its usual names.
        m.headers.insert("kan".into(), "款コード".into());
        assert!(header(&row(&["款", "項の名称", "当初予算額"]), &m).is_none());
    }
}
