//! The authorization policy: which principal may use which route, and which object.
//!
//! Every route in `web/routes.rs` names one [`Access`] level; the router checks it before the handler
//! runs. Object-level rules (a department's own data) are the `can_*` functions below. Tests in
//! `tests/integration/authz_matrix.rs` exercise every route × role × foreign organization.

use crate::accounts::roles::Role;
use crate::accounts::users::Kind;
use serde::Serialize;

/// The signed-in person, with the roles they hold in the current organization.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub display_name: String,
    pub kind: Kind,
    pub department_id: Option<i64>,
    pub roles: Vec<Role>,
}

impl Principal {
    pub fn has(&self, pred: impl Fn(&Role) -> bool) -> bool {
        self.roles.iter().any(pred)
    }
    pub fn is_sysadmin(&self) -> bool {
        self.has(|r| *r == Role::SysAdmin)
    }
    pub fn is_reform_hq(&self) -> bool {
        self.has(|r| *r == Role::ReformHq)
    }
    /// Works for the city in some capacity (portal access).
    pub fn is_staff(&self) -> bool {
        self.kind == Kind::Staff
            && self.has(|r| {
                matches!(
                    r,
                    Role::Staff(_) | Role::DeptManager(_) | Role::ReformHq | Role::SysAdmin
                )
            })
    }
    pub fn is_committee_member(&self) -> bool {
        self.has(|r| matches!(r, Role::CommitteeMember(_)))
    }
}

/// Access level of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account (citizen or staff).
    SignedIn,
    /// City staff: staff, department managers, reform HQ, administrators.
    Staff,
    /// Committee members, and the reform HQ that runs the committees.
    Committee,
    /// 行政改革推進本部 / 企画.
    ReformHq,
    /// システム管理者.
    SysAdmin,
}

impl Access {
    pub fn allows(self, p: Option<&Principal>) -> bool {
        match (self, p) {
            (Access::Public, _) => true,
            (_, None) => false,
            (Access::SignedIn, Some(_)) => true,
            (Access::Staff, Some(p)) => p.is_staff(),
            (Access::Committee, Some(p)) => p.is_committee_member() || p.is_reform_hq(),
            (Access::ReformHq, Some(p)) => p.is_reform_hq(),
            (Access::SysAdmin, Some(p)) => p.is_sysadmin(),
        }
    }
}

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

/// A plan in `status` may be seen by everyone once adopted; a draft by the reform HQ only
/// (everyone else is told it does not exist).
pub fn can_see_plan(p: Option<&Principal>, status: &str) -> bool {
    status != "draft" || p.is_some_and(Principal::is_reform_hq)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(kind: Kind, roles: Vec<Role>) -> Principal {
        Principal {
            user_id: 1,
            display_name: "x".into(),
            kind,
            department_id: Some(10),
            roles,
        }
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

    #[test]
    fn a_citizen_holding_a_staff_grant_is_not_staff() {
        // Grants only count on staff accounts: a mis-grant to a citizen must not open the portal.
        assert!(!p(Kind::Citizen, vec![Role::Staff(10)]).is_staff());
        assert!(!Access::Staff.allows(Some(&p(Kind::Citizen, vec![Role::Staff(10)]))));
        assert!(Access::SignedIn.allows(Some(&p(Kind::Citizen, vec![]))));
        assert!(!Access::SignedIn.allows(None));
    }
}
