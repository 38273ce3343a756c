//! The department's answer to the opinions: redact what must not be published, group opinions
//! that say the same thing under one 意見の概要, write 市の考え方 and 修正の有無 per group, the
//! revised draft by section; then the result goes to the HQ, whose approval publishes it.

use super::consultations::{self, Consultation};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, new_id};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Group {
    pub id: i64,
    pub section_number: i64,
    /// 意見の概要
    pub summary: String,
    /// 市の考え方
    pub city_view: String,
    /// 修正の有無
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub revised: bool,
    pub change_text: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GroupForm {
    pub summary: String,
    pub city_view: String,
    /// "1": the draft is changed (修正あり).
    pub revised: String,
    pub change_text: String,
}

pub async fn groups(db: &Db, org: i64, c: i64) -> sqlx::Result<Vec<Group>> {
    sqlx::query_as(
        "SELECT id, section_number, summary, city_view, revised, change_text FROM pc_groups \
         WHERE organization_id = $1 AND consultation_id = $2 ORDER BY section_number, id",
    )
    .bind(org)
    .bind(c)
    .fetch_all(db)
    .await
}

pub async fn consultation_of_group(db: &Db, org: i64, group: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT consultation_id FROM pc_groups WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(group)
    .fetch_optional(db)
    .await
}

pub async fn consultation_of_opinion(db: &Db, org: i64, opinion: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT consultation_id FROM pc_opinions WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(opinion)
    .fetch_optional(db)
    .await
}

/// The consultation, if its answer may still be changed (before it goes to the HQ).
pub(super) async fn editable(app: &App, org: i64, c: i64) -> AppResult<Consultation> {
    let c = consultations::get(&app.db, org, c)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.result_state != "none" {
        return Err(AppError::BadRequest("pc.result_locked"));
    }
    Ok(c)
}

pub(super) async fn record(
    tx: crate::db::write::WriteTx,
    org: i64,
    actor: i64,
    action: &str,
    target: (&str, i64),
    after: serde_json::Value,
) -> sqlx::Result<()> {
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action,
            target_type: target.0,
            target_id: target.1.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await
}

/// Groups opinions under one 意見の概要. The section is the opinions' own when they agree, else
/// the whole draft.
pub async fn create_group(
    app: &App,
    org: i64,
    actor: i64,
    c: i64,
    summary: &str,
    opinions: &[i64],
) -> AppResult<i64> {
    editable(app, org, c).await?;
    let mut errs = FieldErrors::default();
    let summary = errs.long_text("summary", summary, 2000);
    if summary.is_empty() {
        errs.add("summary", "field.required");
    }
    if opinions.is_empty() {
        errs.add("opinions", "pc.group_empty");
    }
    errs.into_result()?;
    let id = new_id();
    let mut tx = app.begin_write().await?;
    let mut sections = Vec::new();
    for o in opinions {
        let section: Option<i64> = sqlx::query_scalar(
            "SELECT section_number FROM pc_opinions WHERE organization_id = $1 AND consultation_id = $2 \
             AND id = $3 AND confirmed = 1",
        )
        .bind(org)
        .bind(c)
        .bind(o)
        .fetch_optional(&mut *tx)
        .await?;
        sections.push(section.ok_or(AppError::NotFound)?);
    }
    sections.dedup();
    let section = if sections.len() == 1 { sections[0] } else { 0 };
    sqlx::query(
        "INSERT INTO pc_groups (organization_id, id, consultation_id, section_number, summary) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(org)
    .bind(id)
    .bind(c)
    .bind(section)
    .bind(&summary)
    .execute(&mut *tx)
    .await?;
    for o in opinions {
        sqlx::query("UPDATE pc_opinions SET group_id = $1 WHERE organization_id = $2 AND id = $3")
            .bind(id)
            .bind(org)
            .bind(o)
            .execute(&mut *tx)
            .await?;
    }
    // Groups left without opinions (all moved to the new one) are gone.
    sqlx::query(
        "DELETE FROM pc_groups WHERE organization_id = $1 AND consultation_id = $2 AND id NOT IN \
         (SELECT group_id FROM pc_opinions WHERE organization_id = $1 AND consultation_id = $2 AND group_id IS NOT NULL)",
    )
    .bind(org)
    .bind(c)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "consultation": c, "opinions": opinions, "summary": summary });
    record(tx, org, actor, "consultations.group", ("group", id), after).await?;
    Ok(id)
}

/// 意見の概要, 市の考え方 and 修正の有無 of a group; a change needs its text.
pub async fn answer_group(
    app: &App,
    org: i64,
    actor: i64,
    group: i64,
    f: &GroupForm,
) -> AppResult<i64> {
    let c = consultation_of_group(&app.db, org, group)
        .await?
        .ok_or(AppError::NotFound)?;
    editable(app, org, c).await?;
    let mut errs = FieldErrors::default();
    let summary = errs.long_text("summary", &f.summary, 2000);
    if summary.is_empty() {
        errs.add("summary", "field.required");
    }
    let city_view = errs.long_text("city_view", &f.city_view, 4000);
    if city_view.is_empty() {
        errs.add("city_view", "field.required");
    }
    let revised = f.revised == "1";
    let change_text = errs.long_text("change_text", &f.change_text, 4000);
    if revised && change_text.is_empty() {
        errs.add("change_text", "pc.change_needed");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "UPDATE pc_groups SET summary = $1, city_view = $2, revised = $3, change_text = $4 \
         WHERE organization_id = $5 AND id = $6",
    )
    .bind(&summary)
    .bind(&city_view)
    .bind(i64::from(revised))
    .bind(if revised { change_text.as_str() } else { "" })
    .bind(org)
    .bind(group)
    .execute(&mut *tx)
    .await?;
    let after =
        serde_json::json!({ "summary": summary, "city_view": city_view, "revised": revised });
    record(
        tx,
        org,
        actor,
        "consultations.answer",
        ("group", group),
        after,
    )
    .await?;
    Ok(c)
}

/// The text of an opinion as it will be published, with personal details taken out.
pub async fn redact(app: &App, org: i64, actor: i64, opinion: i64, text: &str) -> AppResult<i64> {
    let c = consultation_of_opinion(&app.db, org, opinion)
        .await?
        .ok_or(AppError::NotFound)?;
    editable(app, org, c).await?;
    let mut errs = FieldErrors::default();
    let text = errs.long_text(&format!("published_{opinion}"), text, 10_000);
    if text.is_empty() {
        errs.add(&format!("published_{opinion}"), "field.required");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "UPDATE pc_opinions SET published_body = $1 WHERE organization_id = $2 AND id = $3",
    )
    .bind(&text)
    .bind(org)
    .bind(opinion)
    .execute(&mut *tx)
    .await?;
    record(
        tx,
        org,
        actor,
        "consultations.redact",
        ("opinion", opinion),
        serde_json::json!({}),
    )
    .await?;
    Ok(c)
}

/// A section of the revised draft; the original text (or empty) means unchanged.
pub async fn revise_section(
    app: &App,
    org: i64,
    actor: i64,
    c: i64,
    number: i64,
    text: &str,
) -> AppResult<()> {
    editable(app, org, c).await?;
    let mut errs = FieldErrors::default();
    let text = errs.long_text("revised", text, 100_000);
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    let original: Option<String> = sqlx::query_scalar(
        "SELECT body FROM pc_sections WHERE organization_id = $1 AND consultation_id = $2 AND number = $3",
    )
    .bind(org)
    .bind(c)
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let original = original.ok_or(AppError::NotFound)?;
    let revised = (!text.is_empty() && text != original).then_some(text);
    sqlx::query(
        "UPDATE pc_sections SET revised_body = $1 WHERE organization_id = $2 AND consultation_id = $3 AND number = $4",
    )
    .bind(&revised)
    .bind(org)
    .bind(c)
    .bind(number)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "section": number, "changed": revised.is_some() });
    record(
        tx,
        org,
        actor,
        "consultations.revise",
        ("consultation", c),
        after,
    )
    .await
    .map_err(Into::into)
}
