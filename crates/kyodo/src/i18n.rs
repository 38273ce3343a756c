//! Message catalogues: every UI string lives in `locales/ja.toml` (default) and `locales/en.toml`.
//! Templates and handlers look strings up by key through [`Tr`].

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn other(self) -> Self {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }
}

type Catalog = HashMap<String, &'static str>;

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, Box::leak(s.clone().into_boxed_str()));
            }
            toml::Value::Table(t) => flatten(&key, t, out),
            other => panic!("catalogue value for {key} must be a string, got {other}"),
        }
    }
}

#[expect(
    clippy::expect_used,
    reason = "the catalogues are compiled in; a test parses both, so a broken one never ships"
)]
fn load(text: &str) -> Catalog {
    let table: toml::Table = text.parse().expect("message catalogue is valid TOML");
    let mut out = Catalog::new();
    flatten("", &table, &mut out);
    out
}

pub fn catalog(lang: Lang) -> &'static Catalog {
    static JA: OnceLock<Catalog> = OnceLock::new();
    static EN: OnceLock<Catalog> = OnceLock::new();
    match lang {
        Lang::Ja => JA.get_or_init(|| load(include_str!("../locales/ja.toml"))),
        Lang::En => EN.get_or_init(|| load(include_str!("../locales/en.toml"))),
    }
}

/// Is `key` in the catalogues (both hold the same keys, a test checks)?
pub fn has_key(key: &str) -> bool {
    catalog(Lang::Ja).contains_key(key)
}

static MISSING: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Keys looked up but absent from a catalogue since start (tests assert this stays empty).
pub fn missing_keys() -> Vec<String> {
    MISSING
        .lock()
        .map(|m| m.iter().cloned().collect())
        .unwrap_or_default()
}

/// A translator for one language; cheap to copy into every template.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The string for `key`; the key itself (and a record in [`missing_keys`]) when absent.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        match catalog(self.lang).get(key) {
            Some(s) => s,
            None => {
                if let Ok(mut m) = MISSING.lock() {
                    m.insert(format!("{}:{key}", self.lang.code()));
                }
                key
            }
        }
    }

    /// The string for `key` with `{0}`, `{1}` … replaced by `args`.
    pub fn f(&self, key: &str, args: &[&(dyn std::fmt::Display + Sync)]) -> String {
        let mut s = self.t(key).to_string();
        for (i, a) in args.iter().enumerate() {
            s = s.replace(&format!("{{{i}}}"), &a.to_string());
        }
        s
    }

    pub fn date(&self, date: chrono::NaiveDate) -> String {
        match self.lang {
            Lang::Ja => kyodo_jp::wareki::format_date_ja(date),
            Lang::En => kyodo_jp::wareki::format_date_en(date),
        }
    }

    /// A stored timestamp shown in Japan time: 「令和7年(2025年)11月24日 14:05」.
    pub fn datetime(&self, stored: &str) -> String {
        match crate::db::parse_timestamp(stored) {
            Some(t) => {
                let jst = t.with_timezone(&jst());
                format!("{} {}", self.date(jst.date_naive()), jst.format("%H:%M"))
            }
            None => stored.to_string(),
        }
    }

    pub fn fiscal_year(&self, fy: kyodo_jp::FiscalYear) -> String {
        match self.lang {
            Lang::Ja => fy.label_ja(),
            Lang::En => fy.label_en(),
        }
    }
}

/// 「令和7年度(2025年度)」 in Japanese, "FY2025" in English: a fiscal year as every page writes it.
pub fn fy(t: Tr, year: i64) -> String {
    t.fiscal_year(kyodo_jp::FiscalYear(year as i32))
}

/// 日本標準時 (UTC+9), in which dates are shown and "today" is decided.
#[expect(clippy::expect_used, reason = "nine hours is a valid offset")]
pub fn jst() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(9 * 3600).expect("JST")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_have_the_same_keys() {
        let ja: BTreeSet<_> = catalog(Lang::Ja).keys().collect();
        let en: BTreeSet<_> = catalog(Lang::En).keys().collect();
        let only_ja: Vec<_> = ja.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&ja).collect();
        assert!(
            only_ja.is_empty() && only_en.is_empty(),
            "ja only: {only_ja:?}; en only: {only_en:?}"
        );
    }

    #[test]
    fn every_key_used_in_templates_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split("t.t(\"").skip(1) {
                    let key = part.split('"').next().unwrap();
                    if !catalog(Lang::Ja).contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "{missing:#?}");
    }

    #[test]
    fn formats_dates_per_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 11, 24).unwrap();
        assert_eq!(Tr::new(Lang::Ja).date(d), "令和7年(2025年)11月24日");
        assert_eq!(
            Tr::new(Lang::Ja).datetime("2025-11-24T05:05:00.000000Z"),
            "令和7年(2025年)11月24日 14:05"
        );
        assert_eq!(Tr::new(Lang::En).f("test.args", &[&1, &"x"]), "1 and x");
    }
}
