//! The rules of the progress-report workflow, apart from its storage: which step leads from which
//! status to which (`next_status`), who may take it (`may_review`; who may write at all is `policy::can_write_report`), and the buttons a
//! person sees (`review_steps`).

use super::status::ReportStatus;
use crate::policy::{self, Principal};

/// What a person does to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Save,
    Submit,
    /// 所属長承認: the department's manager passes the report on to the HQ.
    Confirm,
    Return,
    Approve,
    Publish,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Step::Save => "save",
            Step::Submit => "submit",
            Step::Confirm => "confirm",
            Step::Return => "return",
            Step::Approve => "approve",
            Step::Publish => "publish",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Step::Save,
            Step::Submit,
            Step::Confirm,
            Step::Return,
            Step::Approve,
            Step::Publish,
        ]
        .into_iter()
        .find(|a| a.name() == s)
    }
}

/// The status after `step`, or `None` when the step is not allowed from `current` (no report yet = `None`).
/// `manager_step`: the organization asks for 所属長承認, so the HQ approves only confirmed reports.
/// A submitted report is locked while it is reviewed; an approved or published one may be revised,
/// which starts a new draft (the published version stays public meanwhile).
pub fn next_status(
    current: Option<ReportStatus>,
    step: Step,
    manager_step: bool,
) -> Option<ReportStatus> {
    use ReportStatus::*;
    match (current, step) {
        (None | Some(Draft | Returned | Approved | Published), Step::Save) => Some(Draft),
        (Some(Draft | Returned), Step::Submit) => Some(Submitted),
        (Some(Submitted), Step::Confirm) if manager_step => Some(Confirmed),
        (Some(Submitted | Confirmed | Approved), Step::Return) => Some(Returned),
        (Some(Confirmed), Step::Approve) => Some(Approved),
        (Some(Submitted), Step::Approve) if !manager_step => Some(Approved),
        (Some(Approved), Step::Publish) => Some(Published),
        _ => None,
    }
}

/// May `p` take review `step` on a report of an item of `departments` that is now `status`? The
/// 所属長 of one of those departments confirms, and may return what waits for them; the reform HQ
/// returns, approves and publishes.
pub fn may_review(p: &Principal, departments: &[i64], status: ReportStatus, step: Step) -> bool {
    let manager = departments
        .iter()
        .any(|d| policy::can_approve_department_data(p, *d));
    match step {
        Step::Confirm => manager,
        Step::Return => p.is_reform_hq() || (manager && status == ReportStatus::Submitted),
        Step::Approve | Step::Publish => p.is_reform_hq(),
        Step::Save | Step::Submit => false,
    }
}

/// The review steps `p` can take on a report that is now `status` (the page's buttons).
pub fn review_steps(
    p: &Principal,
    departments: &[i64],
    status: ReportStatus,
    manager_step: bool,
) -> Vec<Step> {
    [Step::Confirm, Step::Return, Step::Approve, Step::Publish]
        .into_iter()
        .filter(|s| next_status(Some(status), *s, manager_step).is_some())
        .filter(|s| may_review(p, departments, status, *s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ReportStatus::*;
    use super::*;

    #[test]
    fn the_workflow_allows_only_its_transitions() {
        assert_eq!(next_status(None, Step::Save, false), Some(Draft));
        assert_eq!(next_status(None, Step::Submit, false), None);
        assert_eq!(
            next_status(Some(Draft), Step::Submit, false),
            Some(Submitted)
        );
        assert_eq!(
            next_status(Some(Submitted), Step::Save, false),
            None,
            "locked during review"
        );
        assert_eq!(
            next_status(Some(Submitted), Step::Publish, false),
            None,
            "approval comes first"
        );
        assert_eq!(
            next_status(Some(Submitted), Step::Return, false),
            Some(Returned)
        );
        assert_eq!(
            next_status(Some(Returned), Step::Submit, false),
            Some(Submitted)
        );
        assert_eq!(
            next_status(Some(Submitted), Step::Approve, false),
            Some(Approved)
        );
        assert_eq!(
            next_status(Some(Approved), Step::Publish, false),
            Some(Published)
        );
        assert_eq!(
            next_status(Some(Published), Step::Save, false),
            Some(Draft),
            "a revision starts a new draft"
        );
        assert_eq!(next_status(Some(Published), Step::Publish, false), None);
        assert_eq!(Step::parse("approve"), Some(Step::Approve));
        assert_eq!(Step::parse("confirm"), Some(Step::Confirm));
        assert_eq!(Step::parse("delete"), None);
    }

    #[test]
    fn with_the_manager_step_the_hq_approves_only_what_the_manager_confirmed() {
        let submitted = Some(Submitted);
        assert_eq!(next_status(submitted, Step::Approve, true), None);
        assert_eq!(next_status(submitted, Step::Confirm, true), Some(Confirmed));
        assert_eq!(next_status(submitted, Step::Confirm, false), None);
        assert_eq!(
            next_status(Some(Confirmed), Step::Approve, true),
            Some(Approved)
        );
        assert_eq!(
            next_status(Some(Confirmed), Step::Save, true),
            None,
            "locked"
        );
        assert_eq!(
            next_status(Some(Confirmed), Step::Return, true),
            Some(Returned)
        );
        // Turned off while a report waited: the HQ may still approve it.
        assert_eq!(
            next_status(Some(Confirmed), Step::Approve, false),
            Some(Approved)
        );
    }

    #[test]
    fn the_manager_confirms_and_the_hq_approves() {
        use crate::accounts::roles::Role;
        use crate::accounts::users::Kind;
        let who = |roles| Principal {
            user_id: 1,
            display_name: String::new(),
            kind: Kind::Staff,
            department_id: Some(10),
            roles,
        };
        let manager = who(vec![Role::DeptManager(10)]);
        let other_manager = who(vec![Role::DeptManager(11)]);
        let staff = who(vec![Role::Staff(10)]);
        let hq = who(vec![Role::ReformHq]);
        let steps = |p: &Principal, status| review_steps(p, &[10], status, true);
        assert_eq!(steps(&manager, Submitted), [Step::Confirm, Step::Return]);
        assert_eq!(steps(&manager, Confirmed), []);
        assert_eq!(steps(&other_manager, Submitted), []);
        assert_eq!(steps(&staff, Submitted), []);
        assert_eq!(steps(&hq, Submitted), [Step::Return]);
        assert_eq!(steps(&hq, Confirmed), [Step::Return, Step::Approve]);
        assert_eq!(steps(&hq, Approved), [Step::Return, Step::Publish]);
        assert_eq!(
            review_steps(&hq, &[10], Submitted, false),
            [Step::Return, Step::Approve]
        );
    }
}
