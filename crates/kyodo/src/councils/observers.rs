//! 傍聴 — observers of a council meeting. Registration in order of arrival: the meeting row's
//! counter gives the position (its lock orders concurrent registrations on every instance); the
//! registrations not cancelled, in that order, hold the seats up to the capacity and then the
//! waiting list. The key mailed at registration cancels it; when a seat is freed the first on the
//! waiting list moves up (繰り上げ) and is told by mail in the same transaction. Names and e-mails
//! are for staff only and stay out of the audit log.

use super::meetings::{get, record};
use crate::accounts::tokens;
use crate::app::App;
use crate::audit::{self, Actor};
use crate::db::{Db, now};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ObserverForm {
    pub name: String,
    pub email: String,
}

/// A registration's place: a seat (with its position in order of arrival) or a place on the
/// waiting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Seat(i64),
    Waiting(i64),
}

/// A registration as the HQ lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observer {
    pub position: i64,
    pub name: String,
    pub email: String,
    /// `None` when cancelled.
    pub place: Option<Place>,
}

/// The places of registrations (position, cancelled?) in order: the ones not cancelled take the
/// seats, then the waiting list.
pub fn places(rows: &[(i64, bool)], capacity: i64) -> Vec<Option<Place>> {
    let mut rank = 0;
    rows.iter()
        .map(|(position, cancelled)| {
            if *cancelled {
                return None;
            }
            rank += 1;
            Some(if rank <= capacity {
                Place::Seat(*position)
            } else {
                Place::Waiting(rank - capacity)
            })
        })
        .collect()
}

fn cancel_link(base: &str, meeting: i64, position: i64, key: &str) -> String {
    format!("{base}/councils/meetings/{meeting}/cancel?no={position}&key={key}")
}

/// Registers an observer from client address `client` (limited per address and day). The same
/// e-mail twice is refused beside the field.
pub async fn register(
    app: &App,
    org: i64,
    id: i64,
    f: &ObserverForm,
    client: &str,
) -> AppResult<Place> {
    let m = get(&app.db, org, id).await?.ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let today = crate::participation::today().format("%Y-%m-%d").to_string();
    if !m.is_public || m.capacity == 0 || m.held_on < today {
        errs.add("name", "cn.no_observers");
    }
    let name = errs.text("name", &f.name, 100);
    let email = errs.email("email", &f.email, true);
    errs.into_result()?;
    let limit = super::Rules::load(&app.db, org).await?.per_address_per_day;
    if !crate::address_limit::allow(&app.db, org, "council_meeting", id, client, limit).await? {
        return Err(AppError::TooManyRequests);
    }
    let base = crate::accounts::service::base_url(app, org).await?;
    let key = tokens::random_secret();
    let mut tx = app.begin_write().await?;
    let (position, cancellations): (i64, i64) = sqlx::query_as(
        "UPDATE cn_meetings SET observers = observers + 1 WHERE organization_id = $1 AND id = $2 RETURNING observers, cancellations",
    )
    .bind(org)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    // Checked after the row lock, so a registration committed meanwhile is seen.
    let taken: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cn_observers WHERE organization_id = $1 AND meeting_id = $2 AND email = $3 AND cancelled_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(&email)
    .fetch_one(&mut *tx)
    .await?;
    if taken > 0 {
        let mut errs = FieldErrors::default();
        errs.add("email", "cn.already_registered");
        return Err(AppError::Invalid(errs));
    }
    sqlx::query(
        "INSERT INTO cn_observers (organization_id, meeting_id, position, name, email, registered_at, cancel_digest) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(org)
    .bind(id)
    .bind(position)
    .bind(&name)
    .bind(&email)
    .bind(now())
    .bind(tokens::digest(&key))
    .execute(&mut *tx)
    .await?;
    let rank = position - cancellations;
    let place = if rank <= m.capacity {
        Place::Seat(position)
    } else {
        Place::Waiting(rank - m.capacity)
    };
    let text = match place {
        Place::Seat(n) => format!(
            "傍聴の申込みを受け付けました(受付順 {n})。\nYour registration to observe the meeting is confirmed (no. {n})."
        ),
        Place::Waiting(n) => format!(
            "定員に達したため、キャンセル待ち {n} 番目で受け付けました。\nThe meeting is full: you are number {n} on the waiting list."
        ),
    };
    let body = format!(
        "{text}\n{} {} {}\n\n取り消す場合 / To cancel:\n{}\n",
        m.held_on,
        m.starts_at,
        m.place,
        cancel_link(&base, id, position, &key)
    );
    app.mailer
        .enqueue(
            &mut tx,
            org,
            &email,
            "傍聴の申込み / Observer registration",
            &body,
        )
        .await?;
    let after =
        serde_json::json!({ "position": position, "seat": matches!(place, Place::Seat(_)) });
    audit::record_and_commit(
        tx,
        org,
        &Actor::system(),
        record("councils.observer", id, after),
    )
    .await?;
    app.mailer.wake();
    Ok(place)
}

/// Whether `key` cancels registration `position` of meeting `id` (still registered).
pub async fn key_opens(db: &Db, org: i64, id: i64, position: i64, key: &str) -> sqlx::Result<bool> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT cancel_digest FROM cn_observers WHERE organization_id = $1 AND meeting_id = $2 AND position = $3 AND cancelled_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(position)
    .fetch_optional(db)
    .await?;
    Ok(row.is_some_and(|(d,)| !d.is_empty() && tokens::same(&d, &tokens::digest(key.trim()))))
}

/// Cancels a registration with its key. A freed seat goes to the first on the waiting list, who is
/// told by mail. A wrong key, like a registration already cancelled, is "not found".
pub async fn cancel(app: &App, org: i64, id: i64, position: i64, key: &str) -> AppResult<()> {
    let m = get(&app.db, org, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.begin_write().await?;
    // The meeting row's lock orders this with registrations and other cancellations.
    sqlx::query("UPDATE cn_meetings SET cancellations = cancellations + 1 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT cancel_digest, email FROM cn_observers WHERE organization_id = $1 AND meeting_id = $2 AND position = $3 AND cancelled_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(position)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((digest, email)) =
        row.filter(|(d, _)| !d.is_empty() && tokens::same(d, &tokens::digest(key.trim())))
    else {
        return Err(AppError::NotFound);
    };
    let rank: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cn_observers WHERE organization_id = $1 AND meeting_id = $2 AND cancelled_at IS NULL AND position <= $3",
    )
    .bind(org)
    .bind(id)
    .bind(position)
    .fetch_one(&mut *tx)
    .await?;
    // The first on the waiting list before this cancellation takes the freed seat.
    let promoted: Option<(i64, String)> = if rank <= m.capacity {
        sqlx::query_as(
            "SELECT position, email FROM cn_observers WHERE organization_id = $1 AND meeting_id = $2 AND cancelled_at IS NULL \
             ORDER BY position LIMIT 1 OFFSET $3",
        )
        .bind(org)
        .bind(id)
        .bind(m.capacity)
        .fetch_optional(&mut *tx)
        .await?
    } else {
        None
    };
    sqlx::query("UPDATE cn_observers SET cancelled_at = $4 WHERE organization_id = $1 AND meeting_id = $2 AND position = $3 AND cancel_digest = $5")
        .bind(org)
        .bind(id)
        .bind(position)
        .bind(now())
        .bind(&digest)
        .execute(&mut *tx)
        .await?;
    let when = format!("{} {} {}", m.held_on, m.starts_at, m.place);
    app.mailer
        .enqueue(&mut tx, org, &email, "傍聴の取消し / Registration cancelled", &format!(
            "傍聴の申込みを取り消しました。\nYour registration to observe the meeting was cancelled.\n{when}\n"
        ))
        .await?;
    if let Some((_, to)) = &promoted {
        app.mailer
            .enqueue(&mut tx, org, to, "傍聴の繰り上げ / You have a seat", &format!(
                "キャンセルが出たため、傍聴の席が確保できました。\nA seat was freed: you can now observe the meeting.\n{when}\n"
            ))
            .await?;
    }
    let after =
        serde_json::json!({ "cancelled": position, "moved_up": promoted.as_ref().map(|p| p.0) });
    audit::record_and_commit(
        tx,
        org,
        &Actor::system(),
        record("councils.observer_cancel", id, after),
    )
    .await?;
    app.mailer.wake();
    Ok(())
}

/// The registrations of a meeting in order, with their places (staff only: names and e-mails).
pub async fn of_meeting(db: &Db, org: i64, id: i64, capacity: i64) -> sqlx::Result<Vec<Observer>> {
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT position, name, email, cancelled_at FROM cn_observers WHERE organization_id = $1 AND meeting_id = $2 ORDER BY position",
    )
    .bind(org)
    .bind(id)
    .fetch_all(db)
    .await?;
    let flags: Vec<(i64, bool)> = rows.iter().map(|r| (r.0, r.3.is_some())).collect();
    Ok(rows
        .into_iter()
        .zip(places(&flags, capacity))
        .map(|((position, name, email, _), place)| Observer {
            position,
            name,
            email,
            place,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_seat_goes_to_the_first_waiting() {
        let rows = [(1, false), (2, true), (3, false), (4, false), (5, false)];
        assert_eq!(
            places(&rows, 2),
            [
                Some(Place::Seat(1)),
                None,
                Some(Place::Seat(3)),
                Some(Place::Waiting(1)),
                Some(Place::Waiting(2))
            ]
        );
        assert_eq!(places(&[(1, true)], 1), [None]);
    }
}
