//! Where an evaluation sheet is (`eval_sheets.stage`), and which review stage a verdict or score
//! belongs to (`eval_verdicts.stage`, `eval_scores.stage`).

use serde::Serialize;

/// 一次評価 (the department, `First`) → 二次評価 (the HQ) → 外部評価 (the external committee,
/// for the programmes the HQ chose) → 最終 (the HQ; the sheet is then locked). A sheet at `First`
/// has been submitted and waits for 二次評価.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    #[default]
    Draft,
    First,
    Second,
    External,
    Final,
}

/// The review stages, in order: one verdict each.
pub const REVIEW_STAGES: [Stage; 4] = [Stage::First, Stage::Second, Stage::External, Stage::Final];

impl Stage {
    /// Whether a sheet at this stage shows its verdicts to the public (pages, CSV, workbooks
    /// alike): a draft's verdict is still being written, even in a published year.
    pub fn verdicts_public(self) -> bool {
        self != Stage::Draft
    }

    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::First => "first",
            Stage::Second => "second",
            Stage::External => "external",
            Stage::Final => "final",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Stage::Draft]
            .into_iter()
            .chain(REVIEW_STAGES)
            .find(|x| x.as_str() == s)
    }

    /// The catalogue key of the review stage's name (a verdict's row, the stage a sheet awaits).
    pub fn key(self) -> &'static str {
        match self {
            Stage::Draft | Stage::First => "eval.stage_first",
            Stage::Second => "eval.stage_second",
            Stage::External => "eval.stage_external",
            Stage::Final => "eval.stage_final",
        }
    }

    /// The HQ may still choose the sheet for 外部評価, or take it back: not once the external
    /// committee could have started (the SQL of `stages::set_external` says the same).
    pub fn external_choice_open(self) -> bool {
        matches!(self, Stage::Draft | Stage::First | Stage::Second)
    }

    /// The catalogue key of where a sheet at this stage is (`First`: submitted).
    pub fn sheet_key(self) -> &'static str {
        match self {
            Stage::Draft => "eval.stage_draft",
            Stage::First => "eval.stage_submitted",
            Stage::Second => "eval.stage_second",
            Stage::External => "eval.stage_external",
            Stage::Final => "eval.stage_final",
        }
    }
}

crate::text_column!(Stage);

/// What a sheet waits for: the department manager's 所属長承認 (not a verdict; see
/// `manager_approval`) or a review stage's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Awaiting {
    Manager,
    Verdict(Stage),
}

impl Awaiting {
    pub fn key(self) -> &'static str {
        match self {
            Awaiting::Manager => "eval.stage_manager",
            Awaiting::Verdict(s) => s.key(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_reads_back_from_its_word() {
        for s in [Stage::Draft].into_iter().chain(REVIEW_STAGES) {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::json!(s.as_str()))
            );
        }
        assert_eq!(Stage::parse("manager"), None);
    }
}
