//! API tokens: a user's key for the JSON API (`Authorization: Bearer kyodo_…`), limited to the
//! scopes chosen when it was made and to what the user's roles allow — a token never widens them.
//! Shown once, kept as a SHA-256 digest, expiring, revocable; the last use is recorded, and every
//! write made with it is audited as the token (`token:<id>`).

use super::tokens::{digest, random_secret};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::AppResult;
use crate::validation::FieldErrors;
use serde::Deserialize;

/// What a token may do, on top of its user's roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Read what the public pages show.
    ReadPublished,
    /// Read what the user may read as staff (non-public API routes).
    ReadStaff,
    /// Administration writes (departments …), for a system administrator's user.
    Admin,
    /// 計画の指標: targets and actuals of a plan's indicators (a statistics system).
    WriteIndicators,
    /// 行政評価: a sheet's costs and staff-years (the finance system's settled figures).
    WriteEvaluation,
    /// 会議録: importing meetings (a minutes vendor).
    WriteMinutes,
    /// 窓口: a case's status and internal notes (a department's case system).
    WriteCases,
}

impl Scope {
    pub const ALL: [Scope; 7] = [
        Scope::ReadPublished,
        Scope::ReadStaff,
        Scope::Admin,
        Scope::WriteIndicators,
        Scope::WriteEvaluation,
        Scope::WriteMinutes,
        Scope::WriteCases,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Scope::ReadPublished => "read:published",
            Scope::ReadStaff => "read:staff",
            Scope::Admin => "write:admin",
            Scope::WriteIndicators => "write:indicators",
            Scope::WriteEvaluation => "write:evaluation",
            Scope::WriteMinutes => "write:minutes",
            Scope::WriteCases => "write:cases",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The catalogue key of its description.
    pub fn label_key(self) -> &'static str {
        match self {
            Scope::ReadPublished => "tokens.scope_read_published",
            Scope::ReadStaff => "tokens.scope_read_staff",
            Scope::Admin => "tokens.scope_admin",
            Scope::WriteIndicators => "tokens.scope_write_indicators",
            Scope::WriteEvaluation => "tokens.scope_write_evaluation",
            Scope::WriteMinutes => "tokens.scope_write_minutes",
            Scope::WriteCases => "tokens.scope_write_cases",
        }
    }
}

/// The scope an API request needs: reads of public routes `read:published`, other reads
/// `read:staff`, writes the scope of their area (`None`: no token may write there).
pub fn required(is_read: bool, public_route: bool, path: &str) -> Option<Scope> {
    if is_read {
        return Some(if public_route {
            Scope::ReadPublished
        } else {
            Scope::ReadStaff
        });
    }
    const WRITES: [(&str, Scope); 5] = [
        ("/api/v1/admin/", Scope::Admin),
        ("/api/v1/plans/indicators/", Scope::WriteIndicators),
        ("/api/v1/evaluation/sheets/", Scope::WriteEvaluation),
        ("/api/v1/minutes/", Scope::WriteMinutes),
        ("/api/v1/cases/", Scope::WriteCases),
    ];
    WRITES
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, s)| *s)
}

/// A token that authenticated a request.
#[derive(Debug, Clone)]
pub struct TokenAuth {
    pub id: i64,
    pub user_id: i64,
    pub scopes: Vec<Scope>,
}

impl TokenAuth {
    pub fn allows(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
    /// Writes made with the token are audited as the token, on behalf of its user.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user_id),
            label: format!("token:{}", self.id),
        }
    }
}

/// The token a secret stands for, if it is valid today; its use is recorded (at most once a
/// minute, so a busy client does not write on every call).
pub async fn authenticate(db: &Db, org: i64, secret: &str) -> sqlx::Result<Option<TokenAuth>> {
    if secret.len() > 100 || !secret.starts_with("kyodo_") {
        return Ok(None);
    }
    let today = crate::participation::today().format("%Y-%m-%d").to_string();
    let row: Option<(i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, user_id, scopes, last_used_at FROM api_tokens WHERE organization_id = $1 \
         AND digest = $2 AND revoked_at IS NULL AND expires_on >= $3",
    )
    .bind(org)
    .bind(digest(secret))
    .bind(&today)
    .fetch_optional(db)
    .await?;
    let Some((id, user_id, scopes, last_used)) = row else {
        return Ok(None);
    };
    // Written only when the recorded use is a minute old: most calls of a busy client write nothing.
    let at = chrono::Utc::now();
    let minute_ago = crate::db::timestamp(at - chrono::Duration::minutes(1));
    if last_used.as_deref().is_none_or(|u| u < minute_ago.as_str()) {
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1 WHERE organization_id = $2 AND id = $3",
        )
        .bind(crate::db::timestamp(at))
        .bind(org)
        .bind(id)
        .execute(db)
        .await?;
    }
    Ok(Some(TokenAuth {
        id,
        user_id,
        scopes: scopes.split(' ').filter_map(Scope::parse).collect(),
    }))
}

/// A token as its owner lists it (never the secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Token {
    pub id: i64,
    pub name: String,
    pub scopes: String,
    pub created_at: String,
    pub expires_on: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    /// The e-mail address of the account it acts for.
    pub owner: String,
}

/// The user's tokens, or with `user` `None` (a system administrator's view) every token of the
/// organization; newest first, each with its account's e-mail address.
pub async fn list(db: &Db, org: i64, user: Option<i64>) -> sqlx::Result<Vec<Token>> {
    sqlx::query_as(
        "SELECT t.id, t.name, t.scopes, t.created_at, t.expires_on, t.revoked_at, t.last_used_at, u.email AS owner \
         FROM api_tokens t JOIN users u ON u.organization_id = t.organization_id AND u.id = t.user_id \
         WHERE t.organization_id = $1 AND ($2 IS NULL OR t.user_id = $2) ORDER BY t.created_at DESC",
    )
    .bind(org)
    .bind(user)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewToken {
    pub name: String,
    /// Scope codes, from the form's checkboxes.
    pub scope: Vec<String>,
    /// Days it works, 1–365.
    pub days: String,
}

/// Makes a token for `user` (made by `actor`: the user, or the command line for a system's
/// account); the secret is returned once and kept only as its digest.
pub async fn create(
    app: &App,
    org: i64,
    user: i64,
    actor: &Actor,
    f: &NewToken,
) -> AppResult<(i64, String)> {
    let mut errs = FieldErrors::default();
    let name = errs.text("name", &f.name, 100);
    let scopes: Vec<Scope> = f.scope.iter().filter_map(|s| Scope::parse(s)).collect();
    if scopes.is_empty() || scopes.len() != f.scope.len() {
        errs.add("scope", "tokens.pick_scope");
    }
    let days = kyodo_jp::numbers::parse_amount(&f.days)
        .ok()
        .flatten()
        .filter(|d| (1..=365).contains(d));
    if days.is_none() {
        errs.add("days", "tokens.bad_days");
    }
    errs.into_result()?;
    let expires_on = (crate::participation::today() + chrono::Days::new(days.unwrap_or(1) as u64))
        .format("%Y-%m-%d")
        .to_string();
    let secret = format!("kyodo_{}", random_secret());
    let id = new_id();
    let codes: Vec<&str> = scopes.iter().map(|s| s.code()).collect();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO api_tokens (organization_id, id, user_id, name, scopes, digest, created_at, expires_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(org)
    .bind(id)
    .bind(user)
    .bind(&name)
    .bind(codes.join(" "))
    .bind(digest(&secret))
    .bind(now())
    .bind(&expires_on)
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "api_token.create",
            target_type: "api_token",
            target_id: id.to_string(),
            before: None,
            after: Some(
                serde_json::json!({"name": name, "scopes": codes, "expires_on": expires_on}),
            ),
        },
    )
    .await?;
    Ok((id, secret))
}

/// Revokes a token: one of `by`'s own, or with `any` (a system administrator) any of the
/// organization's. Another's, or one already revoked: not found.
pub async fn revoke(app: &App, org: i64, by: i64, id: i64, any: bool) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE organization_id = $2 AND id = $3 \
         AND ($5 OR user_id = $4) AND revoked_at IS NULL",
    )
    .bind(now())
    .bind(org)
    .bind(id)
    .bind(by)
    .bind(any)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::error::AppError::NotFound);
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(by),
        Change {
            action: "api_token.revoke",
            target_type: "api_token",
            target_id: id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}
