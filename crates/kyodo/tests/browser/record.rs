//! What the suite checked, written for the JIS X 8341-3 report (`kyodo accessibility import`):
//! the pages visited and, per check (axe rule, keyboard flow, phone layout), on how many pages it
//! passed and failed, with the success criteria it bears on. Only a run that passes writes the
//! file: the test removes the old one first, so a failed run leaves none to import.

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(Default)]
pub(crate) struct Record {
    pub(crate) on: bool,
    pages: BTreeSet<(String, String, bool)>,
    checks: BTreeMap<String, (BTreeSet<String>, u64, u64)>,
}

/// `KYODO_A11Y_RESULTS`, else `target/accessibility/results.json` of the workspace.
pub(crate) fn results_path() -> PathBuf {
    std::env::var_os("KYODO_A11Y_RESULTS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/accessibility/results.json")
        },
        PathBuf::from,
    )
}

/// The criterion an axe tag names (`wcag1410` → 1.4.10).
fn criterion(tag: &str) -> Option<String> {
    let d = tag.strip_prefix("wcag")?;
    (d.len() >= 3 && d.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}.{}.{}", &d[..1], &d[1..2], &d[2..]))
}

impl Record {
    pub(crate) fn recording() -> Self {
        Record {
            on: true,
            ..Default::default()
        }
    }

    pub(crate) fn page(&mut self, path: &str, lang: &str, signed_in: bool) {
        if self.on {
            self.pages
                .insert((path.to_string(), lang.to_string(), signed_in));
        }
    }

    pub(crate) fn check(&mut self, id: &str, criteria: &[&str], passed: bool) {
        if !self.on {
            return;
        }
        let e = self.checks.entry(id.to_string()).or_default();
        e.0.extend(criteria.iter().map(|c| c.to_string()));
        if passed {
            e.1 += 1;
        } else {
            e.2 += 1;
        }
    }

    /// axe's rules on one page: `[[id, [tags…], "pass" | "fail"]…]`.
    pub(crate) fn axe_rules(&mut self, rules: &Value) {
        for r in rules.as_array().into_iter().flatten() {
            let id = r[0].as_str().unwrap_or("?");
            let criteria: Vec<String> = r[1]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| criterion(t.as_str()?))
                .collect();
            let refs: Vec<&str> = criteria.iter().map(String::as_str).collect();
            self.check(&format!("axe:{id}"), &refs, r[2] == "pass");
        }
    }

    pub(crate) fn write(&self, tools: Vec<String>) {
        let today = chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap())
            .format("%Y-%m-%d")
            .to_string();
        let doc = json!({
            "tested_on": today,
            "tools": tools,
            "pages": self.pages.iter().map(|(path, lang, signed_in)|
                json!({"path": path, "lang": lang, "signed_in": signed_in})).collect::<Vec<_>>(),
            "checks": self.checks.iter().map(|(id, (criteria, passed, failed))|
                json!({"id": id, "criteria": criteria, "passed": passed, "failed": failed})).collect::<Vec<_>>(),
        });
        let path = results_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
        eprintln!(
            "accessibility results: {} pages, {} checks → {}",
            self.pages.len(),
            self.checks.len(),
            path.display()
        );
    }
}
