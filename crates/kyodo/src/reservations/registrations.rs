//! 利用者登録 — one registration per user covers every facility. Made online as 仮登録; staff make it
//! 本登録 at a counter after checking identity (身分証明書). Only 本登録 users can book. 減免 (fee
//! reduction) is registered by staff per fiscal year with its category and rate.

use super::members;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Registration {
    pub user_id: i64,
    /// individual | group
    pub kind: String,
    pub group_name: String,
    pub representative: String,
    pub phone: String,
    pub address: String,
    pub resident: i64,
    /// provisional | active
    pub status: String,
    pub registered_at: String,
}

impl Registration {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

/// What the registration form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub kind: String,
    pub group_name: String,
    pub representative: String,
    pub phone: String,
    pub address: String,
    /// "1": 市内在住・在勤・在学 (an individual; a group is by its members)
    pub resident: String,
    /// A group's members in the city, one per line.
    pub members_resident: String,
    /// A group's members not in the city, one per line.
    pub members_other: String,
}

const COLUMNS: &str =
    "user_id, kind, group_name, representative, phone, address, resident, status, registered_at";

pub async fn get(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org: i64,
    user: i64,
) -> sqlx::Result<Option<Registration>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rsv_registrations WHERE organization_id = $1 AND user_id = $2"
    )))
    .bind(org)
    .bind(user)
    .fetch_optional(db)
    .await
}

/// 仮登録 waiting for the counter, oldest first.
pub async fn pending(db: &Db, org: i64) -> sqlx::Result<Vec<Registration>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rsv_registrations WHERE organization_id = $1 AND status = 'provisional' ORDER BY registered_at"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// Registers (仮登録) or updates the user's own registration. Changing the details of an active
/// registration keeps it active: the counter checked the person, not the telephone number.
pub async fn register(app: &App, org: i64, user: i64, f: &RegistrationForm) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let kind = f.kind.trim();
    if !matches!(kind, "individual" | "group") {
        errs.add("kind", "field.bad_choice");
    }
    let group_name = if kind == "group" {
        errs.text("group_name", &f.group_name, 100)
    } else {
        String::new()
    };
    let representative = errs.text("representative", &f.representative, 100);
    let phone = errs.text("phone", &f.phone, 30);
    if !phone.is_empty()
        && !phone
            .chars()
            .all(|c| c.is_ascii_digit() || "-()＋+ 　０１２３４５６７８９－（）".contains(c))
    {
        errs.add("phone", "rsv.bad_phone");
    }
    let address = errs.text("address", &f.address, 200);
    let group_members = if kind == "group" {
        let min = super::Rules::load(&app.db, org).await?.group_min_members;
        members::parse(&mut errs, &f.members_resident, &f.members_other, min)
    } else {
        Vec::new()
    };
    let resident = if kind == "group" {
        i64::from(members::mostly_resident(&group_members))
    } else {
        i64::from(f.resident == "1")
    };
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO rsv_registrations (organization_id, user_id, kind, group_name, representative, phone, address, resident, status, registered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'provisional', $9) \
         ON CONFLICT (organization_id, user_id) DO UPDATE SET kind = excluded.kind, group_name = excluded.group_name, \
         representative = excluded.representative, phone = excluded.phone, address = excluded.address, resident = excluded.resident",
    )
    .bind(org)
    .bind(user)
    .bind(kind)
    .bind(&group_name)
    .bind(&representative)
    .bind(&phone)
    .bind(&address)
    .bind(resident)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    members::replace(&mut tx, org, user, &group_members).await?;
    // Personal details stay out of the audit log: it records that a registration changed.
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(user),
        Change {
            action: "reservations.register",
            target_type: "user",
            target_id: user.to_string(),
            before: None,
            after: Some(serde_json::json!({ "kind": kind, "resident": resident, "members": group_members.len() })),
        },
    )
    .await?;
    Ok(())
}

/// 本登録: staff checked the person's identity at a counter.
pub async fn activate(app: &App, org: i64, staff: i64, user: i64) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "UPDATE rsv_registrations SET status = 'active', activated_at = $1, activated_by = $2 \
         WHERE organization_id = $3 AND user_id = $4 AND status = 'provisional'",
    )
    .bind(now())
    .bind(staff)
    .bind(org)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.activate",
            target_type: "user",
            target_id: user.to_string(),
            before: Some(serde_json::json!({ "status": "provisional" })),
            after: Some(serde_json::json!({ "status": "active" })),
        },
    )
    .await?;
    Ok(())
}

/// Registers 減免 for a user and fiscal year (replacing what was there).
pub async fn set_exemption(
    app: &App,
    org: i64,
    staff: i64,
    user: i64,
    fiscal_year: i64,
    category: &str,
    rate_percent: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let category = errs.text("category", category, 60);
    let rate = kyodo_jp::numbers::parse_amount(rate_percent)
        .ok()
        .flatten()
        .filter(|r| (1..=100).contains(r));
    if rate.is_none() {
        errs.add("rate_percent", "rsv.bad_rate");
    }
    if get(&app.db, org, user).await?.is_none() {
        errs.add("user", "rsv.not_registered");
    }
    errs.into_result()?;
    let rate = rate.unwrap_or(0);
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO rsv_exemptions (organization_id, user_id, fiscal_year, category, rate_percent) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (organization_id, user_id, fiscal_year) DO UPDATE SET category = excluded.category, rate_percent = excluded.rate_percent",
    )
    .bind(org)
    .bind(user)
    .bind(fiscal_year)
    .bind(&category)
    .bind(rate)
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.exemption",
            target_type: "user",
            target_id: user.to_string(),
            before: None,
            after: Some(serde_json::json!({ "fiscal_year": fiscal_year, "category": category, "rate_percent": rate })),
        },
    )
    .await?;
    Ok(())
}

/// The user's 減免 for a fiscal year: (category, rate %).
pub async fn exemption(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    user: i64,
    fiscal_year: i64,
) -> sqlx::Result<Option<(String, i64)>> {
    sqlx::query_as(
        "SELECT category, rate_percent FROM rsv_exemptions WHERE organization_id = $1 AND user_id = $2 AND fiscal_year = $3",
    )
    .bind(org)
    .bind(user)
    .bind(fiscal_year)
    .fetch_optional(conn)
    .await
}

/// A registration as the counter lists it: with the account's e-mail and the fiscal year's 減免.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CounterEntry {
    #[sqlx(flatten)]
    pub registration: Registration,
    pub email: String,
    pub rate_percent: Option<i64>,
    /// 本予約 of the fiscal year marked 不使用.
    pub no_shows: i64,
}

/// Every registration with the account's e-mail, the fiscal year's 減免 rate and 不使用 count,
/// pending first: the counter's list.
pub async fn for_counter(db: &Db, org: i64, fiscal_year: i64) -> sqlx::Result<Vec<CounterEntry>> {
    sqlx::query_as(
        "SELECT r.user_id, r.kind, r.group_name, r.representative, r.phone, r.address, r.resident, r.status, r.registered_at, \
         u.email, e.rate_percent, (SELECT COUNT(*) FROM rsv_bookings b WHERE b.organization_id = r.organization_id \
         AND b.user_id = r.user_id AND b.no_show_at IS NOT NULL AND b.used_on >= $3 AND b.used_on <= $4) AS no_shows \
         FROM rsv_registrations r \
         JOIN users u ON u.organization_id = r.organization_id AND u.id = r.user_id \
         LEFT JOIN rsv_exemptions e ON e.organization_id = r.organization_id AND e.user_id = r.user_id AND e.fiscal_year = $2 \
         WHERE r.organization_id = $1 ORDER BY CASE WHEN r.status = 'provisional' THEN 0 ELSE 1 END, r.registered_at LIMIT 1000",
    )
    .bind(org)
    .bind(fiscal_year)
    .bind(format!("{fiscal_year}-04-01"))
    .bind(format!("{}-03-31", fiscal_year + 1))
    .fetch_all(db)
    .await
}
