//! 結果の公表 — the department sends the answered result to the HQ (the period over, every opinion
//! in a group, every group answered); the HQ publishes it, telling the subscribers, or returns it.

use super::answers::{editable, record};
use super::consultations::Phase;
use crate::app::App;
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

/// Sends the result to the HQ: the period is over, every opinion is in a group and every group
/// is answered. The problems, when there are some, as catalogue keys.
pub async fn submit_result(app: &App, org: i64, actor: i64, c: i64) -> AppResult<()> {
    let cons = editable(app, org, c).await?;
    let mut errs = FieldErrors::default();
    if cons.phase(super::today()) != Phase::Closed {
        errs.add("result", "pc.result_too_early");
    }
    let ungrouped: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pc_opinions WHERE organization_id = $1 AND consultation_id = $2 AND confirmed = 1 AND group_id IS NULL",
    )
    .bind(org)
    .bind(c)
    .fetch_one(&app.db)
    .await?;
    if ungrouped > 0 {
        errs.add("result", "pc.result_ungrouped");
    }
    let unanswered: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pc_groups WHERE organization_id = $1 AND consultation_id = $2 AND city_view = ''",
    )
    .bind(org)
    .bind(c)
    .fetch_one(&app.db)
    .await?;
    if unanswered > 0 {
        errs.add("result", "pc.result_unanswered");
    }
    errs.into_result()?;
    set_state(
        app,
        org,
        actor,
        c,
        "none",
        "submitted",
        "consultations.submit_result",
    )
    .await
}

/// The HQ's decision on a submitted result: publish it (結果の公表) or send it back.
pub async fn decide(app: &App, org: i64, hq: i64, c: i64, publish: bool) -> AppResult<()> {
    if publish {
        set_state(
            app,
            org,
            hq,
            c,
            "submitted",
            "published",
            "consultations.publish_result",
        )
        .await
    } else {
        set_state(
            app,
            org,
            hq,
            c,
            "submitted",
            "none",
            "consultations.return_result",
        )
        .await
    }
}

async fn set_state(
    app: &App,
    org: i64,
    actor: i64,
    c: i64,
    from: &str,
    to: &str,
    action: &str,
) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let published = (to == "published").then(now);
    let done = sqlx::query(
        "UPDATE pc_consultations SET result_state = $1, result_published_at = $2, approved_by = $3 \
         WHERE organization_id = $4 AND id = $5 AND result_state = $6",
    )
    .bind(to)
    .bind(&published)
    .bind((to == "published").then_some(actor))
    .bind(org)
    .bind(c)
    .bind(from)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest("pc.result_state_changed"));
    }
    if to == "published" {
        let title: String = sqlx::query_scalar(
            "SELECT title FROM pc_consultations WHERE organization_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(c)
        .fetch_one(&mut *tx)
        .await?;
        let base = crate::accounts::service::base_url(app, org).await?;
        let text = format!(
            "「{title}」の意見募集の結果(意見の概要と市の考え方)を公表しました。\n{base}/consultations/{c}/result\n\n\
             The result of the consultation \"{title}\" is published."
        );
        super::subscriptions::notify(
            app,
            &mut tx,
            org,
            "意見公募の結果公表 / Result published",
            &text,
        )
        .await?;
    }
    record(
        tx,
        org,
        actor,
        action,
        ("consultation", c),
        serde_json::json!({ "state": to }),
    )
    .await?;
    app.mailer.wake();
    Ok(())
}
