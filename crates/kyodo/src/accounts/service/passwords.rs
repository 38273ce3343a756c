//! Password reset by mail, and changing or setting a password.

use super::{base_url, send};
use crate::accounts::{normalize_email, password, sessions, tokens, users};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::validation::FieldErrors;

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
    let mut tx = app.begin_write().await?;
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
    let mut tx = app.begin_write().await?;
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
    audit::record_and_commit(
        tx,
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
    let mut tx = app.begin_write().await?;
    users::set_password(&mut tx, org, user_id, &hash).await?;
    sessions::delete_all_of(&mut tx, org, user_id).await?;
    audit::record_and_commit(
        tx,
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
    Ok(())
}
