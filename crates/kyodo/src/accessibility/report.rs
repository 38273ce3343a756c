//! The report: the suite's automated results and the HQ's manual checks combined into one row per
//! success criterion, and the 対応度 they allow. Pure functions; `store` reads and writes.

use super::criteria::{self, Criterion};
use serde::{Deserialize, Serialize};

/// What the browser suite wrote (`target/accessibility/results.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SuiteResults {
    /// YYYY-MM-DD
    pub tested_on: String,
    /// e.g. "axe-core 4.14.1", "Chromium 131"
    pub tools: Vec<String>,
    pub pages: Vec<TestedPage>,
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestedPage {
    pub path: String,
    pub lang: String,
    pub signed_in: bool,
}

/// One automated check over the pages it ran on: an axe rule (`axe:image-alt`), a keyboard flow
/// (`keyboard:…`) or the phone layout (`reflow:360px`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Check {
    pub id: String,
    pub criteria: Vec<String>,
    /// Pages (or flows) where the check passed.
    pub passed: u64,
    /// Pages (or flows) where it found a failure.
    pub failed: u64,
}

/// The largest results file accepted (the suite's is about 30 KiB).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// Reads a results file; every problem is named (the message is for the command line).
pub fn parse(bytes: &[u8]) -> Result<SuiteResults, Vec<String>> {
    if bytes.len() > MAX_BYTES {
        return Err(vec![format!("larger than {} bytes", MAX_BYTES)]);
    }
    let r: SuiteResults =
        serde_json::from_slice(bytes).map_err(|e| vec![format!("not a results file: {e}")])?;
    let mut problems = Vec::new();
    if chrono::NaiveDate::parse_from_str(&r.tested_on, "%Y-%m-%d").is_err() {
        problems.push(format!(
            "tested_on '{}' is not a YYYY-MM-DD date",
            r.tested_on
        ));
    }
    if r.pages.is_empty() {
        problems.push("no pages tested".to_string());
    }
    for p in &r.pages {
        if !p.path.starts_with('/') || p.path.len() > 300 {
            problems.push(format!("page '{}' is not a path of the site", p.path));
        }
    }
    for c in &r.checks {
        // Level AAA numbers are well-formed and simply not part of the checklist.
        for number in &c.criteria {
            if !criteria::well_formed(number) {
                problems.push(format!(
                    "check {}: '{number}' is not a success criterion number",
                    c.id
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(r)
    } else {
        Err(problems)
    }
}

/// A manual check recorded by the HQ.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ManualCheck {
    pub criterion: String,
    /// pass | na | fail
    pub result: String,
    pub method: String,
    pub checked_on: String,
}

/// 結果 of a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 適合
    Pass,
    /// 適合(非適用): nothing on the pages it applies to
    NotApplicable,
    /// 不適合
    Fail,
    /// 未確認: needs a manual check not yet recorded
    Unverified,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Pass => "a11y_report.pass",
            Outcome::NotApplicable => "a11y_report.not_applicable",
            Outcome::Fail => "a11y_report.fail",
            Outcome::Unverified => "a11y_report.unverified",
        }
    }
    pub fn satisfied(self) -> bool {
        matches!(self, Outcome::Pass | Outcome::NotApplicable)
    }
}

/// One row of the 達成基準チェックリスト.
#[derive(Debug, Clone)]
pub struct Row {
    pub criterion: &'static Criterion,
    /// The automated checks that cover it: (id, passed, failed).
    pub automated: Vec<(String, u64, u64)>,
    pub manual: Option<ManualCheck>,
    pub applies: bool,
    pub outcome: Outcome,
}

/// 対応度.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conformance {
    /// 準拠: tested, every A and AA criterion met
    Conforms,
    /// 一部準拠: tested, some criteria not met or not yet verified
    Partial,
    /// 配慮: no test results
    Untested,
}

impl Conformance {
    pub fn key(self) -> &'static str {
        match self {
            Conformance::Conforms => "a11y_report.conforms",
            Conformance::Partial => "a11y_report.partial",
            Conformance::Untested => "a11y_report.untested",
        }
    }
}

/// The checklist: every criterion with what decided its result.
pub fn rows(run: Option<&SuiteResults>, manual: &[ManualCheck]) -> Vec<Row> {
    criteria::ALL
        .iter()
        .map(|c| {
            let automated: Vec<(String, u64, u64)> = run
                .map(|r| {
                    r.checks
                        .iter()
                        .filter(|k| k.criteria.iter().any(|n| n == c.number))
                        .map(|k| (k.id.clone(), k.passed, k.failed))
                        .collect()
                })
                .unwrap_or_default();
            let manual = manual.iter().find(|m| m.criterion == c.number).cloned();
            let auto_failed = automated.iter().any(|(_, _, f)| *f > 0);
            let auto_applied = automated.iter().any(|(_, p, f)| p + f > 0);
            let manual_result = manual.as_ref().map(|m| m.result.as_str());
            let outcome = if run.is_none() {
                Outcome::Unverified
            } else if auto_failed || manual_result == Some("fail") {
                Outcome::Fail
            } else if c.manual {
                match manual_result {
                    Some("pass") => Outcome::Pass,
                    // A person's "not applicable" cannot overrule a machine that found such
                    // content: the criterion waits for a person's 適合 or 不適合.
                    Some("na") if !auto_applied => Outcome::NotApplicable,
                    _ => Outcome::Unverified,
                }
            } else if auto_applied {
                Outcome::Pass
            } else {
                Outcome::NotApplicable
            };
            Row {
                criterion: c,
                applies: outcome != Outcome::NotApplicable,
                automated,
                manual,
                outcome,
            }
        })
        .collect()
}

/// The 対応度 the checklist allows.
pub fn conformance(run: Option<&SuiteResults>, rows: &[Row]) -> Conformance {
    match run {
        None => Conformance::Untested,
        Some(_) if rows.iter().all(|r| r.outcome.satisfied()) => Conformance::Conforms,
        Some(_) => Conformance::Partial,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(checks: Vec<Check>) -> SuiteResults {
        SuiteResults {
            tested_on: "2026-12-05".into(),
            tools: vec!["axe-core".into()],
            pages: vec![TestedPage {
                path: "/".into(),
                lang: "ja".into(),
                signed_in: false,
            }],
            checks,
        }
    }

    fn check(id: &str, criteria: &[&str], passed: u64, failed: u64) -> Check {
        Check {
            id: id.into(),
            criteria: criteria.iter().map(|s| s.to_string()).collect(),
            passed,
            failed,
        }
    }

    fn manual(criterion: &str, result: &str) -> ManualCheck {
        ManualCheck {
            criterion: criterion.into(),
            result: result.into(),
            method: "NVDA".into(),
            checked_on: "2026-12-01".into(),
        }
    }

    fn outcome(rows: &[Row], number: &str) -> Outcome {
        rows.iter()
            .find(|r| r.criterion.number == number)
            .map(|r| r.outcome)
            .unwrap_or(Outcome::Unverified)
    }

    #[test]
    fn without_results_nothing_is_claimed() {
        let rows = rows(None, &[manual("1.1.1", "pass")]);
        assert_eq!(conformance(None, &rows), Conformance::Untested);
        assert_eq!(outcome(&rows, "1.1.1"), Outcome::Unverified);
    }

    #[test]
    fn a_machine_failure_or_a_missing_manual_check_keeps_it_partial() {
        let r = run(vec![
            check("axe:image-alt", &["1.1.1"], 10, 1),
            check("axe:document-title", &["2.4.2"], 11, 0),
        ]);
        let all_pass: Vec<_> = criteria::ALL
            .iter()
            .map(|c| manual(c.number, "pass"))
            .collect();
        let rows = rows(Some(&r), &all_pass);
        assert_eq!(outcome(&rows, "1.1.1"), Outcome::Fail);
        assert_eq!(outcome(&rows, "2.4.2"), Outcome::Pass);
        assert_eq!(conformance(Some(&r), &rows), Conformance::Partial);

        let rows = super::rows(Some(&r), &[]);
        assert_eq!(outcome(&rows, "1.3.1"), Outcome::Unverified);
        // Fully automated and never run: nothing of that kind on the pages.
        assert_eq!(outcome(&rows, "3.1.1"), Outcome::NotApplicable);
    }

    #[test]
    fn conforms_only_when_every_criterion_is_met() {
        let r = run(vec![check("axe:image-alt", &["1.1.1"], 10, 0)]);
        let mut checks: Vec<_> = criteria::ALL
            .iter()
            .map(|c| {
                manual(
                    c.number,
                    if c.number.starts_with("1.2") {
                        "na"
                    } else {
                        "pass"
                    },
                )
            })
            .collect();
        let rows = rows(Some(&r), &checks);
        assert_eq!(conformance(Some(&r), &rows), Conformance::Conforms);
        assert_eq!(outcome(&rows, "1.2.2"), Outcome::NotApplicable);
        assert!(
            !rows
                .iter()
                .find(|r| r.criterion.number == "1.2.2")
                .is_some_and(|r| r.applies)
        );
        // 非適用 where a machine found such content (images, for 1.1.1) is not accepted.
        let mut na_images = checks.clone();
        na_images[0] = manual("1.1.1", "na");
        let rows_na = super::rows(Some(&r), &na_images);
        assert_eq!(outcome(&rows_na, "1.1.1"), Outcome::Unverified);
        assert_eq!(conformance(Some(&r), &rows_na), Conformance::Partial);
        checks[20] = manual(checks[20].criterion.clone().as_str(), "fail");
        let rows = super::rows(Some(&r), &checks);
        assert_eq!(conformance(Some(&r), &rows), Conformance::Partial);
    }

    #[test]
    fn a_results_file_is_checked_whole() {
        assert!(parse(b"{").is_err());
        let bad = serde_json::to_vec(&SuiteResults {
            tested_on: "5 Dec".into(),
            pages: vec![],
            ..run(vec![check("axe:x", &["1.4"], 1, 0)])
        })
        .unwrap_or_default();
        let problems = parse(&bad).err().unwrap_or_default();
        assert_eq!(problems.len(), 3, "{problems:?}");
        let good = serde_json::to_vec(&run(vec![check("axe:x", &["1.1.1", "2.1.3"], 1, 0)]))
            .unwrap_or_default();
        assert!(parse(&good).is_ok());
    }
}
