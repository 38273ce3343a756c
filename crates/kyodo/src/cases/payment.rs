//! 手数料の納付 — the payment of a fee-bearing application (電子申請). Today staff record it (paid at
//! the counter, by bank transfer, waived under the city's rules); a payment provider, when one is
//! connected (a later issue), records it through [`record`] too, with [`Source::Provider`]. This is
//! the one place the payment status changes: checked against the organization's code list,
//! written with an entry in the case's history and an audit record, in one transaction.

use super::store;
use super::work::{finish, invalid, locked, staff_step};
use crate::app::App;
use crate::audit::Actor;
use crate::codes::{self, CASE_PAYMENT};
use crate::error::AppResult;
use crate::policy::Principal;

/// Owed and not yet paid; a free procedure's cases have no payment status ('').
pub const UNPAID: &str = "unpaid";

/// The payment status a new case starts with.
pub fn initial_status(fee_yen: i64) -> &'static str {
    if fee_yen > 0 { UNPAID } else { "" }
}

/// Who records a payment.
pub enum Source<'a> {
    /// A staff member who may work on the case.
    Staff(&'a Principal),
    /// A payment provider's confirmation (its name and its own reference), after the caller has
    /// verified the provider's signature.
    Provider { name: &'a str, reference: &'a str },
}

/// Sets the payment status of case `id` to `to` (a code of `case_payment`).
pub async fn record(app: &App, org: i64, id: i64, to: &str, source: Source<'_>) -> AppResult<()> {
    let known = codes::all(&app.db, org).await?;
    if !codes::of_list(&known, CASE_PAYMENT).any(|c| c.code == to) {
        return Err(invalid("payment", "field.bad_choice"));
    }
    let (mut tx, case, actor, note) = match source {
        Source::Staff(p) => {
            let (tx, case) = staff_step(app, org, p, id).await?;
            (tx, case, Actor::user(p.user_id), String::new())
        }
        Source::Provider { name, reference } => {
            let mut tx = app.begin_write().await?;
            let case = locked(&mut tx, org, id).await?;
            let actor = Actor {
                user_id: None,
                label: format!("payment:{name}"),
            };
            (tx, case, actor, format!("{name}: {reference}"))
        }
    };
    if case.fee_yen <= 0 {
        return Err(invalid("payment", "case.no_fee"));
    }
    sqlx::query("UPDATE cases SET payment_status = $3 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    let actor_id = actor.user_id;
    let label = codes::label(&known, CASE_PAYMENT, to, crate::i18n::Lang::Ja).to_string();
    let body = if note.is_empty() {
        label
    } else {
        format!("{label}({note})")
    };
    store::add_event(&mut tx, org, id, actor_id, "payment", None, None, &body).await?;
    finish(
        tx,
        org,
        &actor,
        "cases.payment",
        &case,
        serde_json::json!({ "payment": to, "from": case.payment_status, "fee_yen": case.fee_yen }),
    )
    .await
}
