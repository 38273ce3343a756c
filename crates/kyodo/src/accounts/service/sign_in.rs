//! Signing in: checking a password with delays instead of lockouts, and starting a session.

use crate::accounts::{logins, normalize_email, password, sessions, users};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::AppResult;
use serde_json::json;

#[derive(Debug, PartialEq, Eq)]
pub enum LoginFailure {
    /// Wrong address or password, or an attempt within a delay: one answer, so that neither the
    /// delay nor the message tells whether an account exists.
    BadCredentials,
    Unverified,
}

/// Counts a sign-in attempt from `address` against the per-address limit (`KYODO_LOGIN_PER_MINUTE`;
/// a city's staff often share one NAT address, hence configurable). Held in the database, so the
/// limit is the same with any number of instances.
pub async fn attempt_allowed(
    app: &App,
    org: i64,
    address: std::net::IpAddr,
    per_minute: u32,
) -> AppResult<bool> {
    Ok(logins::attempt_allowed(&app.db, org, &address.to_string(), per_minute).await?)
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
        let mut tx = app.begin_write().await?;
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
    if password::is_outdated(&user.password_hash) {
        let new = password::hash(pw.to_string()).await?;
        users::upgrade_hash(&app.db, org, user.id, &user.password_hash, &new).await?;
    }
    Ok(Ok(user.id))
}

/// The same work as a real check, so response time does not tell an unknown address or a delay.
async fn dummy_check(pw: &str) -> LoginFailure {
    let _ = password::verify(pw.to_string(), password::dummy_hash().await.to_string()).await;
    LoginFailure::BadCredentials
}

/// Signs in: a new session secret (old ones of this browser are dropped by the caller).
pub async fn start_session(app: &App, org: i64, user_id: i64) -> AppResult<String> {
    Ok(sessions::create(&app.db, org, user_id, app.config.session_hours).await?)
}
