//! What an import will do — the preview shown before anything is written: programmes new and
//! matched, sheets whose figures are replaced, what earlier years' sheets get, and the totals per
//! fiscal year that will result —
//! and the report of what it did, kept with the upload and offered as CSV.

use super::history::{self, Outcome};
use super::import::{Lookup, Row, computed_total, row_columns};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub new: usize,
    pub matched: usize,
    /// Matched programmes whose sheet this year already has figures (replaced by the workbook's).
    pub replaced: usize,
    /// (fiscal year, settled?) → (total cost in 千円, programmes with figures).
    pub totals: BTreeMap<(i64, bool), (i64, usize)>,
    /// Earlier sheet year → what the history blocks do there.
    pub history: BTreeMap<i64, HistoryCounts>,
}

/// What the import does to one earlier year's sheets.
#[derive(Debug, Default, PartialEq)]
pub struct HistoryCounts {
    /// Sheets created (decided) for programmes that have none that year.
    pub new_sheets: usize,
    /// Columns filled on sheets that had none.
    pub filled: usize,
    /// Columns left as registered (`differing` of them with another figure in the workbook).
    pub kept: usize,
    pub differing: usize,
}

/// `with_figures`: programmes whose sheet in the year already has costs or staff-years.
pub fn summary(rows: &[Row], l: &Lookup<'_>, with_figures: &HashSet<i64>) -> Summary {
    let mut s = Summary::default();
    for r in rows {
        let programme = l.programmes.iter().find(|p| p.code == r.code).map(|p| p.id);
        let mut created = std::collections::BTreeSet::new();
        for (slot, total) in history::slots(l, r) {
            let h = s.history.entry(slot.year).or_default();
            match history::outcome(l, programme, slot, total) {
                Outcome::NewSheet => {
                    if created.insert(slot.year) {
                        h.new_sheets += 1;
                    }
                }
                Outcome::Fill => h.filled += 1,
                Outcome::Kept(differs) => {
                    h.kept += 1;
                    h.differing += usize::from(differs.is_some());
                    continue;
                }
            }
            let t = s
                .totals
                .entry((slot.money_year(), slot.settled()))
                .or_default();
            t.0 += total;
            t.1 += 1;
        }
        match l.programmes.iter().find(|p| p.code == r.code) {
            Some(p) => {
                s.matched += 1;
                if with_figures.contains(&p.id) {
                    s.replaced += 1;
                }
            }
            None => s.new += 1,
        }
        for (c, filled) in row_columns(l, r) {
            if filled {
                let settled = matches!(c.col, "prev_settled" | "settled");
                let t = s.totals.entry((c.year, settled)).or_default();
                t.0 += c.total;
                t.1 += 1;
            }
        }
    }
    s
}

/// One row of the report of an applied import.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Done {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub new: bool,
    /// The year's total cost as computed (千円).
    pub total: i64,
}

/// The report of an applied import as JSON (kept with the upload).
pub fn report_json(rows: &[Row], is_new: &[bool], l: &Lookup<'_>) -> String {
    let done: Vec<Done> = rows
        .iter()
        .zip(is_new)
        .map(|(r, new)| Done {
            line: r.line,
            code: r.code.clone(),
            name: r.name.clone(),
            new: *new,
            total: computed_total(l, r),
        })
        .collect();
    serde_json::to_string(&done).unwrap_or_else(|_| "[]".into())
}

pub fn report(json: &str) -> Vec<Done> {
    serde_json::from_str(json).unwrap_or_default()
}
