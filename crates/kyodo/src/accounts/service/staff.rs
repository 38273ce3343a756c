//! Staff accounts and their roles: creating one, granting and revoking.

use super::{base_url, send};
use crate::accounts::roles::Role;
use crate::accounts::users::{Kind, NewUser};
use crate::accounts::{departments, normalize_email, password, roles, tokens, users};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::validation::FieldErrors;
use serde_json::json;

pub struct NewStaff<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub department_id: Option<i64>,
    /// `None`: the new member of staff sets a password through a mailed link (valid 72 hours).
    pub password: Option<&'a str>,
}

/// 職員アカウント — created by an administrator; gets the staff role in its department.
pub async fn create_staff(
    app: &App,
    org: i64,
    actor: &Actor,
    tr: Tr,
    s: NewStaff<'_>,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let email = normalize_email(s.email);
    match &email {
        None => errs.add("email", "field.bad_email"),
        Some(e) if users::by_email(&app.db, org, e).await?.is_some() => {
            errs.add("email", "user.email_taken")
        }
        Some(_) => {}
    }
    let name = errs.text("display_name", s.display_name, 50);
    match s.department_id {
        None => errs.add("department_id", "field.required"),
        Some(d) if departments::get(&app.db, org, d).await?.is_none() => {
            errs.add("department_id", "department.no_parent")
        }
        Some(_) => {}
    }
    if let Some(pw) = s.password
        && let Err(key) = password::check_policy(pw)
    {
        errs.add("password", key);
    }
    errs.into_result()?;
    let email = email.unwrap_or_default();
    let dept = s.department_id.unwrap_or_default();
    let initial = match s.password {
        Some(pw) => pw.to_string(),
        None => tokens::random_secret(),
    };
    let hash = password::hash(initial).await?;
    let mut tx = app.begin_write().await?;
    let id = users::insert(
        &mut tx,
        org,
        &NewUser {
            email: &email,
            display_name: &name,
            kind: Kind::Staff,
            department_id: Some(dept),
            password_hash: &hash,
            email_verified: s.password.is_some(),
        },
    )
    .await?;
    roles::insert(&mut tx, org, id, Role::Staff(dept)).await?;
    let link = match s.password {
        Some(_) => None,
        None => Some(tokens::issue(&mut tx, org, id, tokens::RESET_PASSWORD, 72).await?),
    };
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "user.create_staff",
            target_type: "user",
            target_id: id.to_string(),
            before: None,
            after: Some(json!({"display_name": name, "department_id": dept, "roles": ["staff"]})),
        },
    )
    .await?;
    if let Some(secret) = link {
        let url = format!(
            "{}/password/reset?token={secret}",
            base_url(app, org).await?
        );
        send(
            app,
            org,
            &email,
            tr.t("mail.welcome_staff.subject"),
            &tr.f("mail.welcome_staff.body", &[&name, &url]),
        )
        .await;
    }
    Ok(id)
}

/// Validates a role name and scope against this organization's departments and committees.
pub async fn parse_role(app: &App, org: i64, name: &str, scope: Option<i64>) -> AppResult<Role> {
    let mut errs = FieldErrors::default();
    let scope_ok = match (Role::needs_department(name), scope) {
        (Some(true), Some(d)) => departments::get(&app.db, org, d).await?.is_some(),
        (Some(false), Some(c)) => sqlx::query_as::<_, (i64,)>(
            "SELECT id FROM committees WHERE organization_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(c)
        .fetch_optional(&app.db)
        .await?
        .is_some(),
        (Some(_), None) => false,
        (None, _) => true,
    };
    let role = Role::from_parts(name, scope.unwrap_or(0));
    if role.is_none() {
        errs.add("role", "role.unknown");
    } else if !scope_ok {
        errs.add("scope_id", "role.bad_scope");
    }
    errs.into_result()?;
    role.ok_or(AppError::BadRequest("role.unknown"))
}

pub async fn grant(
    app: &App,
    org: i64,
    actor: &Actor,
    user_id: i64,
    role: Role,
) -> AppResult<bool> {
    users::get(&app.db, org, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = app.begin_write().await?;
    let added = roles::insert(&mut tx, org, user_id, role).await?;
    if added {
        audit::append(
            &mut tx,
            org,
            actor,
            Change {
                action: "role.grant",
                target_type: "user",
                target_id: user_id.to_string(),
                before: None,
                after: Some(json!({"role": role.name(), "scope": role.scope()})),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(added)
}

pub async fn revoke(
    app: &App,
    org: i64,
    actor: &Actor,
    user_id: i64,
    role: Role,
) -> AppResult<bool> {
    let mut tx = app.begin_write().await?;
    let removed = roles::delete(&mut tx, org, user_id, role).await?;
    if removed {
        audit::append(
            &mut tx,
            org,
            actor,
            Change {
                action: "role.revoke",
                target_type: "user",
                target_id: user_id.to_string(),
                before: Some(json!({"role": role.name(), "scope": role.scope()})),
                after: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(removed)
}
