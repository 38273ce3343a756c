//! Reminders by mail: a 仮予約 whose deadline to pay or confirm is less than a day away, and a
//! 本予約 the day before it is used. Run by the release timer on every instance; each reminder is
//! one conditional UPDATE (its `*_reminded_at` still empty) in the transaction that queues the
//! mail, so exactly one instance sends it, once.

use super::listing::{self, BookingRow};
use crate::app::App;
use crate::db::timestamp;
use crate::error::AppResult;
use chrono::{DateTime, Utc};

/// Which reminder: which bookings are due for it, and the column that records it was sent.
#[derive(Clone, Copy)]
enum Kind {
    Deadline,
    DayBefore,
}

impl Kind {
    fn mark_sql(self) -> &'static str {
        match self {
            Kind::Deadline => {
                "UPDATE rsv_bookings SET deadline_reminded_at = $1 WHERE organization_id = $2 AND id = $3 \
                 AND status = 'provisional' AND deadline_reminded_at IS NULL"
            }
            Kind::DayBefore => {
                "UPDATE rsv_bookings SET day_before_reminded_at = $1 WHERE organization_id = $2 AND id = $3 \
                 AND status = 'confirmed' AND day_before_reminded_at IS NULL"
            }
        }
    }

    fn mail(self, b: &BookingRow, deadline: &str) -> (&'static str, String) {
        let what = format!("{} {} {} {}", b.facility, b.room, b.used_on, b.slot);
        match self {
            Kind::Deadline => (
                "仮予約の手続き期限が近づいています / Your provisional booking's deadline",
                format!(
                    "仮予約 {} ({what}) は {deadline} までに使用料の納付または確認の手続きが必要です。\
                     期限を過ぎると取り消されます。\n\
                     The provisional booking {} ({what}) must be paid or confirmed by {deadline}; \
                     after that it is released.\n",
                    b.number, b.number
                ),
            ),
            Kind::DayBefore => (
                "明日のご利用 / Your booking tomorrow",
                format!(
                    "予約 {} ({what}) は明日のご利用です。{}〜{}\n\
                     Your booking {} ({what}) is tomorrow, {}–{}.\n",
                    b.number, b.starts_at, b.ends_at, b.number, b.starts_at, b.ends_at
                ),
            ),
        }
    }
}

/// Sends the organization's reminders due at `clock` (now, but for tests); returns how many
/// were queued.
pub async fn send_due(app: &App, org: i64, clock: DateTime<Utc>) -> AppResult<usize> {
    let at = timestamp(clock);
    let within_a_day = timestamp(clock + chrono::Duration::days(1));
    let today = clock.with_timezone(&crate::i18n::jst()).date_naive();
    let tomorrow = (today + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let mut sent = 0;
    for kind in [Kind::Deadline, Kind::DayBefore] {
        let due: Vec<i64> = match kind {
            Kind::Deadline => sqlx::query_scalar(
                "SELECT id FROM rsv_bookings WHERE organization_id = $1 AND status = 'provisional' \
                 AND deadline_reminded_at IS NULL AND deadline > $2 AND deadline <= $3 LIMIT 500",
            )
            .bind(org)
            .bind(&at)
            .bind(&within_a_day),
            Kind::DayBefore => sqlx::query_scalar(
                "SELECT id FROM rsv_bookings WHERE organization_id = $1 AND status = 'confirmed' \
                 AND day_before_reminded_at IS NULL AND used_on = $2 LIMIT 500",
            )
            .bind(org)
            .bind(&tomorrow),
        }
        .fetch_all(&app.db)
        .await?;
        for id in due {
            let Some(b) = listing::get(&app.db, org, id).await? else {
                continue;
            };
            let mut tx = app.begin_write().await?;
            let marked = sqlx::query(kind.mark_sql())
                .bind(&at)
                .bind(org)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if marked.rows_affected() == 0 {
                continue;
            }
            let email: Option<String> = sqlx::query_scalar(
                "SELECT email FROM users WHERE organization_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(b.user_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(to) = email {
                let deadline = crate::i18n::Tr::new(crate::i18n::Lang::Ja).datetime(&b.deadline);
                let (subject, body) = kind.mail(&b, &deadline);
                app.mailer
                    .enqueue(&mut tx, org, &to, subject, &body)
                    .await?;
            }
            tx.commit().await?;
            sent += 1;
        }
    }
    if sent > 0 {
        app.mailer.wake();
    }
    Ok(sent)
}
