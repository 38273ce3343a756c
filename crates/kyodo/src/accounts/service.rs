//! Account use cases. Each writes and appends its audit entry in one transaction.

use super::roles::Role;
use super::users::{Kind, NewUser};
use super::{
    departments, logins, normalize_email, organizations, password, roles, sessions, tokens, users,
};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::validation::FieldErrors;
use serde_json::json;

pub async fn create_organization(
    app: &App,
    code: &str,
    name: &str,
    name_en: &str,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let parsed = kyodo_jp::LocalGovCode::parse(code);
    if parsed.is_err() {
        errs.add("lg_code", "organization.bad_code");
    }
    let name = errs.text("name", name, 100);
    let name_en = errs.text("name_en", name_en, 100);
    errs.into_result()?;
    let code = parsed.map_err(|_| AppError::BadRequest("organization.bad_code"))?;
    let mut tx = app.db.begin().await?;
    let id = organizations::insert(&mut tx, &code, &name, &name_en).await?;
    audit::append(
        &mut tx,
        id,
        &Actor::cli("org add"),
        Change {
            action: "organization.create",
            target_type: "organization",
            target_id: id.to_string(),
            before: None,
            after: Some(json!({"lg_code": code.to_string(), "name": name, "name_en": name_en})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub struct NewDepartment<'a> {
    pub parent_id: Option<i64>,
    pub code: &'a str,
    pub name: &'a str,
    pub name_en: &'a str,
    pub level: &'a str,
}

pub async fn create_department(
    app: &App,
    org: i64,
    actor: &Actor,
    d: NewDepartment<'_>,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let code = errs.text("code", d.code, 20);
    let name = errs.text("name", d.name, 100);
    let name_en = d.name_en.trim().chars().take(100).collect::<String>();
    let level_idx = departments::LEVELS.iter().position(|l| *l == d.level);
    if level_idx.is_none() {
        errs.add("level", "department.bad_level");
    }
    if let Some(pid) = d.parent_id {
        match departments::get(&app.db, org, pid).await? {
            None => errs.add("parent_id", "department.no_parent"),
            Some(p) => {
                let parent_idx = departments::LEVELS.iter().position(|l| *l == p.level);
                if level_idx.is_some() && parent_idx >= level_idx {
                    errs.add("level", "department.level_below_parent");
                }
            }
        }
    }
    if errs.get("code").is_none()
        && departments::list(&app.db, org)
            .await?
            .iter()
            .any(|x| x.code == code)
    {
        errs.add("code", "department.code_taken");
    }
    errs.into_result()?;
    let mut tx = app.db.begin().await?;
    let id =
        departments::insert(&mut tx, org, d.parent_id, &code, &name, &name_en, d.level).await?;
    audit::append(&mut tx, org, actor, Change {
        action: "department.create", target_type: "department", target_id: id.to_string(), before: None,
        after: Some(json!({"code": code, "name": name, "name_en": name_en, "level": d.level, "parent_id": d.parent_id})),
    }).await?;
    tx.commit().await?;
    Ok(id)
}

pub struct Registration<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
}

/// 市民登録 — a citizen registers; the account works once the e-mailed link is opened.
/// An address that already has an account gets a notice instead, so the form reveals nothing.
pub async fn register_citizen(app: &App, org: i64, tr: Tr, r: Registration<'_>) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let email = normalize_email(r.email);
    if email.is_none() {
        errs.add("email", "field.bad_email");
    }
    let name = errs.text("display_name", r.display_name, 50);
    if let Err(key) = password::check_policy(r.password) {
        errs.add("password", key);
    }
    errs.into_result()?;
    let email = email.unwrap_or_default();
    let base = &base_url(app, org).await?;
    if users::by_email(&app.db, org, &email).await?.is_some() {
        send(
            app,
            org,
            &email,
            tr.t("mail.already_registered.subject"),
            &tr.f(
                "mail.already_registered.body",
                &[&format!("{base}/password/forgot")],
            ),
        )
        .await;
        return Ok(());
    }
    let hash = password::hash(r.password.to_string()).await?;
    let mut tx = app.db.begin().await?;
    let id = users::insert(
        &mut tx,
        org,
        &NewUser {
            email: &email,
            display_name: &name,
            kind: Kind::Citizen,
            department_id: None,
            password_hash: &hash,
            email_verified: false,
        },
    )
    .await?;
    let secret = tokens::issue(&mut tx, org, id, tokens::VERIFY_EMAIL, 48).await?;
    audit::append(
        &mut tx,
        org,
        &Actor::user(id),
        Change {
            action: "user.register",
            target_type: "user",
            target_id: id.to_string(),
            before: None,
            after: Some(json!({"kind": "citizen", "display_name": name})),
        },
    )
    .await?;
    tx.commit().await?;
    send(
        app,
        org,
        &email,
        tr.t("mail.verify.subject"),
        &tr.f(
            "mail.verify.body",
            &[&name, &format!("{base}/verify?token={secret}")],
        ),
    )
    .await;
    Ok(())
}

/// Mail failures are logged, not shown: the action itself succeeded and the outbox keeps the message.
async fn send(app: &App, org: i64, to: &str, subject: &str, body: &str) {
    if let Err(e) = app.mailer.send(org, to, subject, body).await {
        tracing::error!(error = %e, "mail delivery failed");
    }
}

pub async fn verify_email(app: &App, org: i64, secret: &str) -> AppResult<bool> {
    let mut tx = app.db.begin().await?;
    let Some(user_id) = tokens::redeem(&mut tx, org, secret, tokens::VERIFY_EMAIL).await? else {
        return Ok(false);
    };
    sqlx::query("UPDATE users SET email_verified = 1 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        org,
        &Actor::user(user_id),
        Change {
            action: "user.verify_email",
            target_type: "user",
            target_id: user_id.to_string(),
            before: Some(json!({"email_verified": false})),
            after: Some(json!({"email_verified": true})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, PartialEq, Eq)]
pub enum LoginFailure {
    /// Wrong address or password, or an attempt within a delay: one answer, so that neither the
    /// delay nor the message tells whether an account exists.
    BadCredentials,
    Unverified,
}

/// Checks the password. Failures delay further attempts instead of locking the account: from one
/// client address on one account, each failure from the third on doubles that pair's delay
/// (2 s, 4 s, 8 s … at most 15 min); over all addresses, the account as a whole is delayed the
/// same way from its twentieth failure. Attempts within a delay are not checked and get the same
/// answer as a wrong password.
pub async fn authenticate(
    app: &App,
    org: i64,
    email: &str,
    pw: &str,
    address: std::net::IpAddr,
) -> AppResult<Result<i64, LoginFailure>> {
    let Some(email) = normalize_email(email) else {
        return Ok(Err(LoginFailure::BadCredentials));
    };
    let Some(user) = users::by_email(&app.db, org, &email).await? else {
        return Ok(Err(dummy_check(pw).await));
    };
    let address = address.to_string();
    let now = crate::db::now();
    let account_delayed = user
        .locked_until
        .as_deref()
        .is_some_and(|t| t > now.as_str());
    if account_delayed || logins::delayed(&app.db, org, user.id, &address, &now).await? {
        return Ok(Err(dummy_check(pw).await));
    }
    if user.is_disabled() || pw.len() > 4 * password::MAX_LEN {
        return Ok(Err(LoginFailure::BadCredentials));
    }
    if !password::verify(pw.to_string(), user.password_hash.clone()).await {
        let mut tx = app.db.begin().await?;
        let account_failures = logins::record_failure(&mut tx, org, user.id, &address).await?;
        if account_failures == logins::ACCOUNT_DELAY_AFTER {
            audit::append(
                &mut tx,
                org,
                &Actor::system(),
                Change {
                    action: "user.login_delayed",
                    target_type: "user",
                    target_id: user.id.to_string(),
                    before: None,
                    after: Some(json!({"failures": account_failures})),
                },
            )
            .await?;
        }
        tx.commit().await?;
        return Ok(Err(LoginFailure::BadCredentials));
    }
    if !user.is_verified() {
        return Ok(Err(LoginFailure::Unverified));
    }
    logins::record_success(&app.db, org, user.id, &address).await?;
    Ok(Ok(user.id))
}

/// The same work as a real check, so response time does not tell an unknown address or a delay.
async fn dummy_check(pw: &str) -> LoginFailure {
    let _ = password::verify(pw.to_string(), password::dummy_hash().await.to_string()).await;
    LoginFailure::BadCredentials
}

/// The base of links mailed to the organization's users ([`organizations::Organization::base_url`]).
pub async fn base_url(app: &App, org: i64) -> AppResult<String> {
    Ok(organizations::by_id(&app.db, org).await?.map_or_else(
        || app.config.public_url.clone(),
        |o| o.base_url(&app.config.public_url),
    ))
}

/// Signs in: a new session secret (old ones of this browser are dropped by the caller).
pub async fn start_session(app: &App, org: i64, user_id: i64) -> AppResult<String> {
    Ok(sessions::create(&app.db, org, user_id, app.config.session_hours).await?)
}

/// Mails a reset link when the address has an account; answers the same either way.
pub async fn request_password_reset(app: &App, org: i64, tr: Tr, email: &str) -> AppResult<()> {
    let Some(email) = normalize_email(email) else {
        let mut errs = FieldErrors::default();
        errs.add("email", "field.bad_email");
        return Err(AppError::Invalid(errs));
    };
    let Some(user) = users::by_email(&app.db, org, &email).await? else {
        return Ok(());
    };
    if user.is_disabled() {
        return Ok(());
    }
    let mut tx = app.db.begin().await?;
    let secret = tokens::issue(&mut tx, org, user.id, tokens::RESET_PASSWORD, 2).await?;
    tx.commit().await?;
    let link = format!(
        "{}/password/reset?token={secret}",
        base_url(app, org).await?
    );
    send(
        app,
        org,
        &email,
        tr.t("mail.reset.subject"),
        &tr.f("mail.reset.body", &[&user.display_name, &link]),
    )
    .await;
    Ok(())
}

/// Sets a new password from a reset link; ends all sessions. `Ok(false)`: the link is invalid or used.
pub async fn reset_password(
    app: &App,
    org: i64,
    secret: &str,
    new_password: &str,
) -> AppResult<bool> {
    let mut errs = FieldErrors::default();
    if let Err(key) = password::check_policy(new_password) {
        errs.add("password", key);
    }
    errs.into_result()?;
    let hash = password::hash(new_password.to_string()).await?;
    let mut tx = app.db.begin().await?;
    let Some(user_id) = tokens::redeem(&mut tx, org, secret, tokens::RESET_PASSWORD).await? else {
        return Ok(false);
    };
    users::set_password(&mut tx, org, user_id, &hash).await?;
    // Opening the mailed link proves the address.
    sqlx::query("UPDATE users SET email_verified = 1 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sessions::delete_all_of(&mut tx, org, user_id).await?;
    audit::append(
        &mut tx,
        org,
        &Actor::user(user_id),
        Change {
            action: "user.reset_password",
            target_type: "user",
            target_id: user_id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Changes one's own password after checking the current one.
pub async fn change_password(
    app: &App,
    org: i64,
    user_id: i64,
    current: &str,
    new_password: &str,
) -> AppResult<()> {
    let user = users::get(&app.db, org, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    if !password::verify(current.to_string(), user.password_hash.clone()).await {
        errs.add("current_password", "password.wrong_current");
    }
    if let Err(key) = password::check_policy(new_password) {
        errs.add("new_password", key);
    }
    errs.into_result()?;
    set_password(app, org, &Actor::user(user_id), user_id, new_password).await
}

/// Sets a password (administrator or CLI) and ends the user's sessions.
pub async fn set_password(
    app: &App,
    org: i64,
    actor: &Actor,
    user_id: i64,
    new_password: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    if let Err(key) = password::check_policy(new_password) {
        errs.add("password", key);
    }
    errs.into_result()?;
    let hash = password::hash(new_password.to_string()).await?;
    let mut tx = app.db.begin().await?;
    users::set_password(&mut tx, org, user_id, &hash).await?;
    sessions::delete_all_of(&mut tx, org, user_id).await?;
    audit::append(
        &mut tx,
        org,
        actor,
        Change {
            action: "user.set_password",
            target_type: "user",
            target_id: user_id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

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
    let mut tx = app.db.begin().await?;
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
    audit::append(
        &mut tx,
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
    tx.commit().await?;
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
    let mut tx = app.db.begin().await?;
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
    let mut tx = app.db.begin().await?;
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

/// 審議会・委員会 — a committee whose members get the committee role (S-1.3.3).
pub async fn create_committee(
    app: &App,
    org: i64,
    actor: &Actor,
    name: &str,
    name_en: &str,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let name = errs.text("name", name, 100);
    let name_en = name_en.trim().chars().take(100).collect::<String>();
    if errs.get("name").is_none()
        && sqlx::query_as::<_, (i64,)>(
            "SELECT id FROM committees WHERE organization_id = $1 AND name = $2",
        )
        .bind(org)
        .bind(&name)
        .fetch_optional(&app.db)
        .await?
        .is_some()
    {
        errs.add("name", "committee.name_taken");
    }
    errs.into_result()?;
    let id = crate::db::new_id();
    let mut tx = app.db.begin().await?;
    sqlx::query("INSERT INTO committees (organization_id, id, name, name_en, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(org).bind(id).bind(&name).bind(&name_en).bind(crate::db::now()).execute(&mut *tx).await?;
    audit::append(
        &mut tx,
        org,
        actor,
        Change {
            action: "committee.create",
            target_type: "committee",
            target_id: id.to_string(),
            before: None,
            after: Some(json!({"name": name, "name_en": name_en})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
