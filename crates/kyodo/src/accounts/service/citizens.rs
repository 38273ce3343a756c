//! A citizen registers and confirms their address by mail.

use super::{base_url, send};
use crate::accounts::users::{Kind, NewUser};
use crate::accounts::{normalize_email, password, tokens, users};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::validation::FieldErrors;
use serde_json::json;

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
    let mut tx = app.begin_write().await?;
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
    audit::record_and_commit(
        tx,
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

pub async fn verify_email(app: &App, org: i64, secret: &str) -> AppResult<bool> {
    let mut tx = app.begin_write().await?;
    let Some(user_id) = tokens::redeem(&mut tx, org, secret, tokens::VERIFY_EMAIL).await? else {
        return Ok(false);
    };
    sqlx::query("UPDATE users SET email_verified = 1 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    audit::record_and_commit(
        tx,
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
    Ok(true)
}
