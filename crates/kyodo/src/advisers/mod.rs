//! 外部有識者 — outside experts (S-1.3.4): the HQ registers an adviser (field, affiliation, term)
//! with an account of the organization and assigns them to a plan, a consultation, an evaluation
//! year or a council. The adviser sees exactly what is assigned, only within the term, and leaves
//! comments; the HQ publishes the ones the city wants to show. Contact data is never public.

pub mod assignments;
pub mod comments;
pub mod demo;
pub mod material;

use crate::accounts::users::{Kind, NewUser};
use crate::accounts::{normalize_email, password, tokens, users};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Adviser {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub field: String,
    pub affiliation: String,
    pub term_start: String,
    pub term_end: String,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub publish_name: bool,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub is_demo: bool,
}

impl Adviser {
    pub fn in_term(&self, today: &str) -> bool {
        self.term_start.as_str() <= today && today <= self.term_end.as_str()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AdviserForm {
    pub name: String,
    pub email: String,
    pub field: String,
    pub affiliation: String,
    pub term_start: String,
    pub term_end: String,
    /// "1": published comments carry the adviser's name.
    pub publish_name: String,
}

const COLUMNS: &str = "id, user_id, name, field, affiliation, term_start, term_end, publish_name, is_demo FROM advisers";

pub async fn list(db: &Db, org: i64) -> sqlx::Result<Vec<Adviser>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE organization_id = $1 ORDER BY term_end DESC, name"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, org: i64, id: i64) -> sqlx::Result<Option<Adviser>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The adviser record of a signed-in account, if it is one.
pub async fn of_user(db: &Db, org: i64, user: i64) -> sqlx::Result<Option<Adviser>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} WHERE organization_id = $1 AND user_id = $2"
    )))
    .bind(org)
    .bind(user)
    .fetch_optional(db)
    .await
}

pub fn today() -> String {
    crate::participation::today().format("%Y-%m-%d").to_string()
}

/// Registers an adviser. The account is the one with the e-mail address if the organization has
/// one; otherwise a new account is made and a link to set its password is mailed (valid 72 hours),
/// in the same transaction.
pub async fn register(app: &App, org: i64, actor: i64, f: &AdviserForm) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let name = errs.text("name", &f.name, 100);
    let email = normalize_email(&f.email);
    if email.is_none() {
        errs.add("email", "field.bad_email");
    }
    let field = errs.text("field", &f.field, 200);
    let affiliation = errs.optional_text("affiliation", &f.affiliation, 200);
    let start = errs.date("term_start", &f.term_start);
    let end = errs.date("term_end", &f.term_end);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errs.add("term_end", "pc.period_order");
    }
    let existing = match &email {
        Some(e) => users::by_email(&app.db, org, e).await?,
        None => None,
    };
    if let Some(u) = &existing
        && of_user(&app.db, org, u.id).await?.is_some()
    {
        errs.add("email", "adv.already");
    }
    errs.into_result()?;
    let (Some(email), Some(start), Some(end)) = (email, start, end) else {
        return Err(AppError::BadRequest("error.bad_form"));
    };
    let hash = match existing {
        Some(_) => None,
        None => Some(password::hash(tokens::random_secret()).await?),
    };
    let base = crate::accounts::service::base_url(app, org).await?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    let user_id = match (&existing, &hash) {
        (Some(u), _) => u.id,
        (None, Some(hash)) => {
            let new = NewUser {
                email: &email,
                display_name: &name,
                kind: Kind::Citizen,
                department_id: None,
                password_hash: hash,
                email_verified: true,
            };
            let user = users::insert(&mut tx, org, &new).await?;
            let secret = tokens::issue(&mut tx, org, user, tokens::RESET_PASSWORD, 72).await?;
            let body = format!(
                "{name} 様\n\n外部有識者として登録しました。次のリンクからパスワードを設定してください(72時間有効)。\nYou are registered as an adviser. Set your password here (valid 72 hours):\n{base}/password/reset?token={secret}\n"
            );
            app.mailer
                .enqueue(
                    &mut tx,
                    org,
                    &email,
                    "外部有識者の登録 / Adviser registration",
                    &body,
                )
                .await?;
            user
        }
        (None, None) => return Err(AppError::BadRequest("error.bad_form")),
    };
    sqlx::query(
        "INSERT INTO advisers (organization_id, id, user_id, name, field, affiliation, term_start, term_end, publish_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(org)
    .bind(id)
    .bind(user_id)
    .bind(&name)
    .bind(&field)
    .bind(&affiliation)
    .bind(start.format("%Y-%m-%d").to_string())
    .bind(end.format("%Y-%m-%d").to_string())
    .bind(i64::from(f.publish_name == "1"))
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: "advisers.register",
        target_type: "adviser",
        target_id: id.to_string(),
        before: None,
        after: Some(serde_json::json!({ "name": name, "field": field, "user": user_id })),
    };
    audit::record_and_commit(tx, org, &Actor::user(actor), change).await?;
    app.mailer.wake();
    Ok(id)
}
