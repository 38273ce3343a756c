//! Staff accounts: the list, creating one, one person's page with their roles, granting and revoking.

use super::{actor, status_of};
use crate::accounts::departments::{self, TreeRow};
use crate::accounts::roles::{self, Role};
use crate::accounts::service::{self, NewStaff};
use crate::accounts::users;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, optional_id};
use crate::web::notice::see_other;
use crate::web::pages::roles::{committees as committee_list, role_key, role_labels};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub struct UserRow {
    id: i64,
    display_name: String,
    email: String,
    kind: String,
    department: String,
    roles: String,
    status: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StaffForm {
    display_name: String,
    email: String,
    department_id: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage<'a> {
    s: Shell<'a>,
    users: Vec<UserRow>,
    departments: Vec<TreeRow>,
    form: StaffForm,
}

async fn users_page(
    st: &WebState,
    ctx: &Ctx,
    form: StaffForm,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    // Three queries for the whole page, whatever the number of users (no N+1).
    let list = users::list(&st.app.db, org, None, 500).await?;
    let depts = departments::list(&st.app.db, org).await?;
    let grants = roles::all(&st.app.db, org).await?;
    let now = crate::db::now();
    let users = list
        .into_iter()
        .map(|u| {
            let role_names: Vec<&str> = grants
                .iter()
                .filter(|(uid, _)| *uid == u.id)
                .map(|(_, r)| t.t(role_key(r.name())))
                .collect();
            let status = if u.is_disabled() {
                "admin.status_disabled"
            } else if u.locked_until.as_deref().is_some_and(|l| l > now.as_str()) {
                "admin.status_locked"
            } else if !u.is_verified() {
                "admin.status_unverified"
            } else {
                "admin.status_active"
            };
            UserRow {
                id: u.id,
                department: u
                    .department_id
                    .and_then(|d| depts.iter().find(|x| x.id == d))
                    .map(|d| d.name.clone())
                    .unwrap_or_default(),
                kind: t.t(role_key(&u.kind)).to_string(),
                roles: role_names.join("、"),
                status: t.t(status).to_string(),
                display_name: u.display_name,
                email: u.email,
            }
        })
        .collect();
    let status = status_of(&errs);
    let mut s = Shell::new(ctx, "admin.users").with_errors(errs);
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    Ok((
        status,
        render(&UsersPage {
            s,
            users,
            departments: departments::tree(depts),
            form,
        })?,
    )
        .into_response())
}

pub async fn users(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    users_page(
        &st,
        &ctx,
        StaffForm::default(),
        FieldErrors::default(),
        None,
    )
    .await
}

pub async fn create_staff(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<StaffForm>,
) -> AppResult<Response> {
    let mut errs = FieldErrors::default();
    let department_id = optional_id(&mut errs, "department_id", &f.department_id);
    if !errs.is_empty() {
        return users_page(&st, &ctx, f, errs, None).await;
    }
    let new = NewStaff {
        email: &f.email,
        display_name: &f.display_name,
        department_id,
        password: None,
    };
    match service::create_staff(&st.app, ctx.org_id(), &actor(&ctx)?, ctx.tr(), new).await {
        Ok(_) => Ok(see_other(&st, "/admin/users", "admin.staff_created")),
        Err(AppError::Invalid(errs)) => users_page(&st, &ctx, f, errs, None).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage<'a> {
    s: Shell<'a>,
    user: users::User,
    department: String,
    since: String,
    roles: Vec<(String, &'static str, i64)>,
    role_names: [&'static str; 6],
    departments: Vec<TreeRow>,
    committees: Vec<(i64, String)>,
}

impl UserPage<'_> {
    fn role_key(&self, name: &str) -> &'static str {
        role_key(name)
    }
}

async fn user_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    errs: FieldErrors,
    notice: Option<&str>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let user = users::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let granted = roles::of_user(&st.app.db, org, id).await?;
    let labels = role_labels(st, ctx, &granted).await?;
    let depts = departments::list(&st.app.db, org).await?;
    let department = user
        .department_id
        .and_then(|d| depts.iter().find(|x| x.id == d))
        .map(|d| d.name.clone())
        .unwrap_or_default();
    let status = status_of(&errs);
    let mut s = Shell::new(ctx, "admin.user").with_errors(errs);
    if let Some(n) = notice {
        s = s.with_notice(n);
    }
    let page = UserPage {
        since: ctx.tr().datetime(&user.created_at),
        roles: labels
            .into_iter()
            .zip(&granted)
            .map(|(l, r)| (l, r.name(), r.scope()))
            .collect(),
        role_names: Role::NAMES,
        departments: departments::tree(depts),
        committees: committee_list(st, org).await?,
        department,
        user,
        s,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn user(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    user_page(&st, &ctx, id, FieldErrors::default(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
    scope_id: String,
}

async fn role_from_form(st: &WebState, ctx: &Ctx, f: &RoleForm) -> AppResult<Role> {
    let mut errs = FieldErrors::default();
    let scope = optional_id(&mut errs, "scope_id", &f.scope_id);
    errs.into_result()?;
    service::parse_role(&st.app, ctx.org_id(), &f.role, scope).await
}

pub async fn grant(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<RoleForm>,
) -> AppResult<Response> {
    users::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    match role_from_form(&st, &ctx, &f).await {
        Ok(role) => {
            service::grant(&st.app, ctx.org_id(), &actor(&ctx)?, id, role).await?;
            Ok(see_other(
                &st,
                &format!("/admin/users/{id}"),
                "notice.added",
            ))
        }
        Err(AppError::Invalid(errs)) => user_page(&st, &ctx, id, errs, None).await,
        Err(e) => Err(e),
    }
}

pub async fn revoke(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<RoleForm>,
) -> AppResult<Response> {
    users::get(&st.app.db, ctx.org_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = f.scope_id.trim().parse::<i64>().unwrap_or(0);
    let role = Role::from_parts(&f.role, scope).ok_or(AppError::BadRequest("role.unknown"))?;
    let me = ctx.require_user()?;
    if me.user_id == id && role == Role::SysAdmin {
        // Removing one's own administrator role could leave nobody able to administer.
        let mut errs = FieldErrors::default();
        errs.add("role", "role.cannot_revoke_self");
        return user_page(&st, &ctx, id, errs, None).await;
    }
    service::revoke(&st.app, ctx.org_id(), &actor(&ctx)?, id, role).await?;
    Ok(see_other(
        &st,
        &format!("/admin/users/{id}"),
        "notice.removed",
    ))
}
