//! 権限 — role grants. A role may be scoped to a department (staff, manager) or a committee.

use crate::db::Db;
use serde::Serialize;

/// The roles of Kyodo. Citizens hold no grant: a signed-in citizen account *is* the citizen role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "role", content = "scope", rename_all = "snake_case")]
pub enum Role {
    /// 職員 — works in a department.
    Staff(i64),
    /// 所属長 — manages a department (approves its reports).
    DeptManager(i64),
    /// 行政改革推進本部・企画 — runs plans and evaluation across departments.
    ReformHq,
    /// 委員 — member of a committee (審議会・外部評価委員会).
    CommitteeMember(i64),
    /// システム管理者
    #[serde(rename = "sysadmin")]
    SysAdmin,
    /// コンプライアンス担当 — keeps the 働きかけ記録 (records of approaches to staff) with the HQ.
    ComplianceOfficer,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Staff(_) => "staff",
            Role::DeptManager(_) => "dept_manager",
            Role::ReformHq => "reform_hq",
            Role::CommitteeMember(_) => "committee_member",
            Role::SysAdmin => "sysadmin",
            Role::ComplianceOfficer => "compliance_officer",
        }
    }

    pub fn scope(self) -> i64 {
        match self {
            Role::Staff(s) | Role::DeptManager(s) | Role::CommitteeMember(s) => s,
            Role::ReformHq | Role::SysAdmin | Role::ComplianceOfficer => 0,
        }
    }

    /// Rebuilds a role from its stored name and scope; `None` for unknown names.
    pub fn from_parts(name: &str, scope: i64) -> Option<Self> {
        Some(match name {
            "staff" => Role::Staff(scope),
            "dept_manager" => Role::DeptManager(scope),
            "reform_hq" => Role::ReformHq,
            "committee_member" => Role::CommitteeMember(scope),
            "sysadmin" => Role::SysAdmin,
            "compliance_officer" => Role::ComplianceOfficer,
            _ => return None,
        })
    }

    /// Whether the role needs a department (`Some(true)`), a committee (`Some(false)`) or nothing.
    pub fn needs_department(name: &str) -> Option<bool> {
        match name {
            "staff" | "dept_manager" => Some(true),
            "committee_member" => Some(false),
            _ => None,
        }
    }

    pub const NAMES: [&'static str; 6] = [
        "staff",
        "dept_manager",
        "reform_hq",
        "committee_member",
        "sysadmin",
        "compliance_officer",
    ];
}

pub async fn of_user(db: &Db, organization_id: i64, user_id: i64) -> sqlx::Result<Vec<Role>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT role, scope_id FROM role_grants WHERE organization_id = $1 AND user_id = $2 ORDER BY role, scope_id",
    )
    .bind(organization_id)
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(from_grants(rows))
}

/// Roles from `(role, scope_id)` rows; unknown role names are skipped.
pub fn from_grants(rows: Vec<(String, i64)>) -> Vec<Role> {
    rows.into_iter()
        .filter_map(|(r, s)| Role::from_parts(&r, s))
        .collect()
}

/// All grants of an organization, for listing users with their roles in one query.
pub async fn all(db: &Db, organization_id: i64) -> sqlx::Result<Vec<(i64, Role)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT user_id, role, scope_id FROM role_grants WHERE organization_id = $1 ORDER BY user_id, role",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(u, r, s)| Role::from_parts(&r, s).map(|role| (u, role)))
        .collect())
}

/// Returns false when the grant already existed.
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    user_id: i64,
    role: Role,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO role_grants (organization_id, user_id, role, scope_id, granted_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (organization_id, user_id, role, scope_id) DO NOTHING",
    )
    .bind(organization_id)
    .bind(user_id)
    .bind(role.name())
    .bind(role.scope())
    .bind(crate::db::now())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Returns false when there was no such grant.
pub async fn delete(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    user_id: i64,
    role: Role,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "DELETE FROM role_grants WHERE organization_id = $1 AND user_id = $2 AND role = $3 AND scope_id = $4",
    )
    .bind(organization_id)
    .bind(user_id)
    .bind(role.name())
    .bind(role.scope())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
