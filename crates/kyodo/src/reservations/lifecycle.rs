//! A booking after it is made: 本予約 at the counter (paid), cancellation (by the user until the
//! organization's cancellation deadline, by staff at any time), and the release of 仮予約 not
//! completed in time (by a timer on every instance; each release is one conditional UPDATE, so
//! two instances never release or notify one booking twice).

use super::listing;
use super::{Rules, today};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

fn refused(field: &str, key: &'static str) -> AppError {
    let mut errs = FieldErrors::default();
    errs.add(field, key);
    AppError::Invalid(errs)
}

/// 本予約: staff took the payment (or confirmed a free booking) at the counter.
pub async fn confirm(app: &App, org: i64, staff: i64, id: i64) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let at = now();
    let done = sqlx::query(
        "UPDATE rsv_bookings SET status = 'confirmed', confirmed_at = $1, confirmed_by = $2 \
         WHERE organization_id = $3 AND id = $4 AND status = 'provisional' AND held = 1 AND deadline >= $1",
    )
    .bind(&at)
    .bind(staff)
    .bind(org)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        listing::get(&app.db, org, id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(refused("booking", "rsv.not_provisional"));
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.confirm",
            target_type: "booking",
            target_id: id.to_string(),
            before: Some(serde_json::json!({ "status": "provisional" })),
            after: Some(serde_json::json!({ "status": "confirmed" })),
        },
    )
    .await?;
    Ok(())
}

/// Cancels a booking: the user's own until `cancel_days_before` days before the day of use, or
/// any booking by staff.
pub async fn cancel(app: &App, org: i64, actor: i64, id: i64, by_staff: bool) -> AppResult<()> {
    let b = listing::get(&app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !by_staff {
        if b.user_id != actor {
            return Err(AppError::NotFound);
        }
        let rules = Rules::load(&app.db, org).await?;
        let last = (today() + chrono::Duration::days(rules.cancel_days_before))
            .format("%Y-%m-%d")
            .to_string();
        if b.used_on < last {
            return Err(refused("booking", "rsv.cancel_at_counter"));
        }
    }
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "UPDATE rsv_bookings SET status = 'cancelled', held = 0, ended_at = $1 \
         WHERE organization_id = $2 AND id = $3 AND held = 1",
    )
    .bind(now())
    .bind(org)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(refused("booking", "rsv.not_active"));
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "reservations.cancel",
            target_type: "booking",
            target_id: id.to_string(),
            before: Some(serde_json::json!({ "status": b.status })),
            after: Some(serde_json::json!({ "status": "cancelled", "by_staff": by_staff })),
        },
    )
    .await?;
    Ok(())
}

/// 不使用: staff mark a 本予約 nobody came for, on or after its day of use (`no_show`), or take
/// a mark made by mistake back. The slot stays let and paid; 利用状況 counts it apart.
pub async fn mark_no_show(
    app: &App,
    org: i64,
    staff: i64,
    id: i64,
    no_show: bool,
) -> AppResult<()> {
    let b = listing::get(&app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let day = today().format("%Y-%m-%d").to_string();
    if no_show && b.status != "confirmed" {
        return Err(refused("booking", "rsv.no_show_not_confirmed"));
    }
    if no_show && b.used_on > day {
        return Err(refused("booking", "rsv.no_show_too_early"));
    }
    let mut tx = app.begin_write().await?;
    // Conditional on the current mark, so a second click (or a second instance) changes nothing.
    let done = if no_show {
        sqlx::query(
            "UPDATE rsv_bookings SET no_show_at = $1, no_show_by = $2 \
             WHERE organization_id = $3 AND id = $4 AND status = 'confirmed' AND no_show_at IS NULL",
        )
        .bind(now())
        .bind(staff)
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE rsv_bookings SET no_show_at = NULL, no_show_by = NULL \
             WHERE organization_id = $1 AND id = $2 AND no_show_at IS NOT NULL",
        )
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?
    };
    if done.rows_affected() == 0 {
        return Ok(());
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(staff),
        Change {
            action: "reservations.no_show",
            target_type: "booking",
            target_id: id.to_string(),
            before: Some(serde_json::json!({ "no_show": !no_show })),
            after: Some(serde_json::json!({ "no_show": no_show })),
        },
    )
    .await?;
    Ok(())
}

/// Releases the organization's 仮予約 past their deadline and tells each user by mail. Returns how
/// many were released.
pub async fn release_expired(app: &App, org: i64) -> AppResult<usize> {
    let at = now();
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM rsv_bookings WHERE organization_id = $1 AND status = 'provisional' AND deadline < $2 LIMIT 500",
    )
    .bind(org)
    .bind(&at)
    .fetch_all(&app.db)
    .await?;
    let mut released = 0;
    for (id,) in due {
        let Some(b) = listing::get(&app.db, org, id).await? else {
            continue;
        };
        let mut tx = app.begin_write().await?;
        let done = sqlx::query(
            "UPDATE rsv_bookings SET status = 'released', held = 0, ended_at = $1 \
             WHERE organization_id = $2 AND id = $3 AND status = 'provisional' AND deadline < $1",
        )
        .bind(&at)
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            continue;
        }
        let email: Option<String> =
            sqlx::query_scalar("SELECT email FROM users WHERE organization_id = $1 AND id = $2")
                .bind(org)
                .bind(b.user_id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(to) = email {
            let body = format!(
                "仮予約 {} ({} {} {} {}) は期限までに手続きがなかったため取り消されました。\n\
                 The provisional booking {} was released: it was not completed by its deadline.\n",
                b.number, b.facility, b.room, b.used_on, b.slot, b.number
            );
            app.mailer
                .enqueue(&mut tx, org, &to, "仮予約の取消 / Booking released", &body)
                .await?;
        }
        audit::record_and_commit(
            tx,
            org,
            &Actor::system(),
            Change {
                action: "reservations.release",
                target_type: "booking",
                target_id: id.to_string(),
                before: Some(
                    serde_json::json!({ "status": "provisional", "deadline": b.deadline }),
                ),
                after: Some(serde_json::json!({ "status": "released" })),
            },
        )
        .await?;
        app.mailer.wake();
        released += 1;
    }
    Ok(released)
}

/// Every minute, releases the 仮予約 past their deadline in every organization and sends the
/// reminders due (on every instance: each release and reminder is conditional, so running it
/// twice is harmless).
pub async fn release_timer(app: App) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        let orgs: Vec<(i64,)> = match sqlx::query_as("SELECT id FROM organizations")
            .fetch_all(&app.db)
            .await
        {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!(error = %e, "organizations not read for booking release");
                continue;
            }
        };
        for (org,) in orgs {
            if let Err(e) = release_expired(&app, org).await {
                tracing::warn!(org, error = %e, "provisional bookings not released");
            }
            if let Err(e) = super::reminders::send_due(&app, org, chrono::Utc::now()).await {
                tracing::warn!(org, error = %e, "booking reminders not sent");
            }
        }
    }
}
