//! 指定管理者 accounts: staff assign an account of the organization to a designated manager's
//! facility; its holder signs in and sends the facility's monthly reports there, and reaches no
//! other facility and nothing else of the city's.

use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

/// (user id, display name, e-mail) of the accounts assigned to a facility.
pub async fn of_facility(
    db: &Db,
    org: i64,
    facility: i64,
) -> sqlx::Result<Vec<(i64, String, String)>> {
    sqlx::query_as(
        "SELECT u.id, u.display_name, u.email FROM rsv_facility_managers m \
         JOIN users u ON u.organization_id = m.organization_id AND u.id = m.user_id \
         WHERE m.organization_id = $1 AND m.facility_id = $2 ORDER BY m.assigned_at, u.id",
    )
    .bind(org)
    .bind(facility)
    .fetch_all(db)
    .await
}

/// (facility id, name) of the designated facilities the account is assigned to.
pub async fn facilities_of(db: &Db, org: i64, user: i64) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT f.id, f.name FROM rsv_facility_managers m \
         JOIN rsv_facilities f ON f.organization_id = m.organization_id AND f.id = m.facility_id \
         WHERE m.organization_id = $1 AND m.user_id = $2 AND f.manager_kind = 'designated' ORDER BY f.kana, f.name",
    )
    .bind(org)
    .bind(user)
    .fetch_all(db)
    .await
}

/// The account may act for the facility; anything else is answered as if the facility did not
/// exist, so an account cannot learn which facilities others manage.
pub async fn check(db: &Db, org: i64, user: i64, facility: i64) -> AppResult<()> {
    if facilities_of(db, org, user)
        .await?
        .iter()
        .any(|(id, _)| *id == facility)
    {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Assigns the account with this e-mail to the facility and tells its holder by mail where to go.
pub async fn assign(app: &App, org: i64, staff: i64, facility: i64, email: &str) -> AppResult<()> {
    super::management::designated(app, org, facility).await?;
    let mut errs = FieldErrors::default();
    let email = errs.email("email", email, true);
    errs.into_result()?;
    let user: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, email FROM users WHERE organization_id = $1 AND lower(email) = lower($2)",
    )
    .bind(org)
    .bind(&email)
    .fetch_optional(&app.db)
    .await?;
    let Some((user, to)) = user else {
        let mut errs = FieldErrors::default();
        errs.add("email", "mgr.no_such_account");
        return Err(AppError::Invalid(errs));
    };
    let base = crate::accounts::service::base_url(app, org).await?;
    let mut tx = app.begin_write().await?;
    let added = sqlx::query(
        "INSERT INTO rsv_facility_managers (organization_id, facility_id, user_id, assigned_by, assigned_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id, facility_id, user_id) DO NOTHING",
    )
    .bind(org)
    .bind(facility)
    .bind(user)
    .bind(staff)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        return Ok(());
    }
    let body = format!(
        "指定管理者として施設の月次報告を入力できるようになりました。\nYou can now send the monthly reports of the facility you manage:\n{base}/manager/facilities\n"
    );
    app.mailer
        .enqueue(
            &mut tx,
            org,
            &to,
            "指定管理者の報告 / Designated manager's reports",
            &body,
        )
        .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.manager_assign",
            target_type: "facility",
            target_id: facility.to_string(),
            before: None,
            after: Some(serde_json::json!({ "user": user })),
        },
    )
    .await?;
    app.mailer.wake();
    Ok(())
}

/// Takes an account's assignment away.
pub async fn remove(app: &App, org: i64, staff: i64, facility: i64, user: i64) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let gone = sqlx::query(
        "DELETE FROM rsv_facility_managers WHERE organization_id = $1 AND facility_id = $2 AND user_id = $3",
    )
    .bind(org)
    .bind(facility)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if gone.rows_affected() == 0 {
        return Ok(());
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.manager_remove",
            target_type: "facility",
            target_id: facility.to_string(),
            before: Some(serde_json::json!({ "user": user })),
            after: None,
        },
    )
    .await?;
    Ok(())
}
