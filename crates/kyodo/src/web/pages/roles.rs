//! Roles as pages name them (「職員(企画調整課)」), for the account, portal and administration pages.

use crate::accounts::roles::Role;
use crate::error::AppResult;
use crate::web::WebState;
use crate::web::ctx::Ctx;

/// Human labels of roles with their department or committee name.
pub async fn role_labels(st: &WebState, ctx: &Ctx, roles: &[Role]) -> AppResult<Vec<String>> {
    let t = ctx.tr();
    let depts = crate::accounts::departments::list(&st.app.db, ctx.org_id()).await?;
    let committees = committees(st, ctx.org_id()).await?;
    Ok(roles
        .iter()
        .map(|r| {
            let base = t.t(role_key(r.name()));
            let scope = match r {
                Role::Staff(d) | Role::DeptManager(d) => {
                    depts.iter().find(|x| x.id == *d).map(|x| x.name.clone())
                }
                Role::CommitteeMember(c) => {
                    committees.iter().find(|x| x.0 == *c).map(|x| x.1.clone())
                }
                _ => None,
            };
            match scope {
                Some(sc) => format!("{base}({sc})"),
                None => base.to_string(),
            }
        })
        .collect())
}

pub async fn committees(st: &WebState, org: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(crate::accounts::organizations::committees(&st.app.db, org).await?)
}

pub fn role_key(name: &str) -> &'static str {
    match name {
        "staff" => "role.staff",
        "dept_manager" => "role.dept_manager",
        "reform_hq" => "role.reform_hq",
        "committee_member" => "role.committee_member",
        "sysadmin" => "role.sysadmin",
        "compliance_officer" => "role.compliance_officer",
        _ => "role.citizen",
    }
}
