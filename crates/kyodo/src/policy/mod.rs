//! The authorization policy: which principal may use which route, and which object.
//!
//! Every route in `web/routes.rs` names one [`Access`] level; the router checks it before the handler
//! runs. Object-level rules (a department's own data, a draft plan, a sheet's review stage) are in
//! [`objects`], re-exported here. Tests in `tests/integration/authz_matrix.rs` exercise every
//! route × role × foreign organization.

mod objects;
pub use objects::*;

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
                    Role::Staff(_)
                        | Role::DeptManager(_)
                        | Role::ReformHq
                        | Role::SysAdmin
                        | Role::ComplianceOfficer
                )
            })
    }
    /// May read and work the restricted kinds (働きかけ記録): the HQ and the compliance officer.
    pub fn keeps_restricted_records(&self) -> bool {
        self.is_staff() && self.has(|r| matches!(r, Role::ReformHq | Role::ComplianceOfficer))
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
    /// City staff: staff, department managers, reform HQ, administrators, the compliance officer.
    Staff,
    /// Committee members, and the reform HQ that runs the committees.
    Committee,
    /// 行政改革推進本部 / 企画.
    ReformHq,
    /// システム管理者.
    SysAdmin,
    /// 働きかけ記録: the reform HQ and the compliance officer (コンプライアンス担当).
    Restricted,
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
            (Access::Restricted, Some(p)) => p.keeps_restricted_records(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A principal of `kind` holding `roles` (department 10), for the policy's tests.
    pub(crate) fn p(kind: Kind, roles: Vec<Role>) -> Principal {
        Principal {
            user_id: 1,
            display_name: "x".into(),
            kind,
            department_id: Some(10),
            roles,
        }
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
