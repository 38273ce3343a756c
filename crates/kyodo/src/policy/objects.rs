//! Object-level rules: who may read, write, approve or decide on one particular thing. Domain code
//! and handlers ask these before showing or changing it; nothing else decides such a question.

use super::Principal;
use crate::accounts::roles::Role;
use crate::evaluation::stage::Stage;

/// Department data may be edited by its staff and managers, and by the reform HQ.
pub fn can_edit_department_data(p: &Principal, department_id: i64) -> bool {
    p.is_reform_hq()
        || p.has(|r| matches!(r, Role::Staff(d) | Role::DeptManager(d) if *d == department_id))
}

/// A department's unpublished data (draft sheets with their contact's name and phone) may be read
/// by the same people who may edit it: its staff and managers, and the reform HQ.
pub fn can_read_department_data(p: &Principal, department_id: i64) -> bool {
    can_edit_department_data(p, department_id)
}

/// 所属長承認: a department's report or sheet is approved for the HQ by that department's managers
/// only. The HQ gives its own, later approval; letting it stand in here would skip the step.
pub fn can_approve_department_data(p: &Principal, department_id: i64) -> bool {
    p.is_staff() && p.has(|r| matches!(r, Role::DeptManager(d) if *d == department_id))
}

/// Who may add or remove a document (関連資料) of `owner_kind`: any staff for a consultation's (the
/// department's work, like its opinions), the reform HQ for a council's meetings and applications
/// and for a procedure's forms (the HQ sets up the desk).
pub fn may_manage_document(p: &Principal, owner_kind: &str) -> bool {
    match owner_kind {
        "consultation" => p.is_staff(),
        "council_meeting" | "council_application" | "case_type" => p.is_reform_hq(),
        _ => false,
    }
}

/// 外部有識者: an adviser opens what is assigned to them only while their term runs (`today` as
/// YYYY-MM-DD); nobody else opens an assignment through the adviser's pages.
pub fn adviser_may_open(a: &crate::advisers::Adviser, user_id: i64, today: &str) -> bool {
    a.user_id == user_id && a.in_term(today)
}

/// A plan in `status` may be seen by everyone once adopted; a draft by the reform HQ only
/// (everyone else is told it does not exist).
pub fn can_see_plan(p: Option<&Principal>, status: &str) -> bool {
    status != "draft" || p.is_some_and(Principal::is_reform_hq)
}

/// May `p` write a plan item's progress reports? Staff and managers of any of the item's
/// departments, and the reform HQ.
pub fn can_write_report(p: &Principal, departments: &[i64]) -> bool {
    p.is_reform_hq() || departments.iter().any(|d| can_edit_department_data(p, *d))
}

/// An evaluation sheet (一次評価) may be edited while it is a draft, by its programme's department
/// or the HQ.
pub fn can_edit_sheet(p: &Principal, stage: Stage, department_id: i64) -> bool {
    stage == Stage::Draft && can_edit_department_data(p, department_id)
}

/// 窓口: who may work on a case (status, messages, answer, transfer). Its department's staff and
/// managers, and the HQ; a case no department has yet, any staff (someone must pick it up).
/// Restricted types (働きかけ記録) are the HQ's and the compliance officer's alone, read or written.
pub fn can_work_case(p: &Principal, restricted: bool, department_id: Option<i64>) -> bool {
    if restricted {
        return p.keeps_restricted_records();
    }
    p.is_staff() && department_id.is_none_or(|d| can_edit_department_data(p, d))
}

/// 民間提案・職員提案: the HQ decides on a proposal (after the department's review) and gives awards.
pub fn may_decide_proposal(p: &Principal) -> bool {
    p.is_staff() && p.is_reform_hq()
}

/// 職員提案の審査: the review committee — the HQ and the department managers — scores a proposal,
/// never one's own.
pub fn may_score_proposal(p: &Principal, submitter: Option<i64>) -> bool {
    p.is_staff()
        && (p.is_reform_hq() || p.has(|r| matches!(r, Role::DeptManager(_))))
        && submitter != Some(p.user_id)
}

/// Who may read a case on the staff side: every staff member (市民の声 are shared among staff, so
/// a department sees what others are told), except a restricted type's, which only the HQ and the
/// compliance officer see.
pub fn can_read_case(p: &Principal, restricted: bool) -> bool {
    if restricted {
        p.keeps_restricted_records()
    } else {
        p.is_staff()
    }
}

/// Who gives the verdict of a review `stage` on a sheet of a cycle whose external committee is
/// `committee`: the HQ gives 二次評価 and the final decision; the committee's members give 外部評価.
pub fn may_decide_stage(p: &Principal, stage: Stage, committee: Option<i64>) -> bool {
    match stage {
        Stage::Second | Stage::Final => p.is_reform_hq(),
        Stage::External => committee.is_some_and(|c| p.has(|r| *r == Role::CommitteeMember(c))),
        Stage::Draft | Stage::First => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::users::Kind;
    use crate::policy::tests::p;

    #[test]
    fn case_rules() {
        let staff10 = p(Kind::Staff, vec![Role::Staff(10)]);
        let hq = p(Kind::Staff, vec![Role::ReformHq]);
        let citizen = p(Kind::Citizen, vec![]);
        assert!(can_work_case(&staff10, false, Some(10)));
        assert!(!can_work_case(&staff10, false, Some(11)));
        assert!(can_work_case(&staff10, false, None));
        assert!(can_read_case(&staff10, false));
        assert!(!can_read_case(&staff10, true) && !can_work_case(&staff10, true, Some(10)));
        assert!(can_read_case(&hq, true) && can_work_case(&hq, true, Some(11)));
        assert!(!can_read_case(&citizen, false) && !can_work_case(&citizen, false, None));
        let compliance = p(Kind::Staff, vec![Role::ComplianceOfficer]);
        assert!(can_read_case(&compliance, true) && can_work_case(&compliance, true, None));
        let manager = p(Kind::Staff, vec![Role::DeptManager(10)]);
        assert!(may_score_proposal(&manager, None) && may_score_proposal(&hq, Some(99)));
        assert!(
            !may_score_proposal(&staff10, None),
            "a member of staff is not on the committee"
        );
        assert!(
            !may_score_proposal(&manager, Some(manager.user_id)),
            "never one's own"
        );
        assert!(may_decide_proposal(&hq) && !may_decide_proposal(&manager));
        let citizen_with_grant = p(Kind::Citizen, vec![Role::ComplianceOfficer]);
        assert!(!can_read_case(&citizen_with_grant, true));
    }

    #[test]
    fn department_scope_is_respected() {
        let staff10 = p(Kind::Staff, vec![Role::Staff(10)]);
        let mgr10 = p(Kind::Staff, vec![Role::DeptManager(10)]);
        let hq = p(Kind::Staff, vec![Role::ReformHq]);
        assert!(can_edit_department_data(&staff10, 10));
        assert!(!can_edit_department_data(&staff10, 11));
        assert!(can_read_department_data(&staff10, 10));
        assert!(!can_read_department_data(&staff10, 11));
        assert!(can_read_department_data(&hq, 11));
        let admin = p(Kind::Staff, vec![Role::SysAdmin]);
        assert!(
            !can_read_department_data(&admin, 10),
            "accounts, not content"
        );
        assert!(!can_approve_department_data(&staff10, 10));
        assert!(can_approve_department_data(&mgr10, 10));
        assert!(!can_approve_department_data(&mgr10, 11));
        assert!(
            !can_approve_department_data(&hq, 11),
            "the HQ is not the 所属長"
        );
    }
}
