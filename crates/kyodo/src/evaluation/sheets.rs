//! 一次評価 — the responsible department fills in its sheet (costs by funding source, staff-years,
//! indicator values, self-evaluation on the criteria, who should run it, direction, improvement
//! plan), saves drafts and submits. Every value is checked; totals are computed, never accepted.

use super::sheet_form::{IndicatorForm, SheetForm};
use super::stage::Stage;
use super::store::{self, Programme, Sheet};
use super::{cost_entry, costs};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes::{self, Code};
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Principal};
use crate::validation::FieldErrors;

pub use super::cost_entry::{MAX_AMOUNT, cost_field, fte_field};

/// A sheet with its programme, for a staff page.
pub async fn load(app: &App, org: i64, sheet_id: i64) -> AppResult<(Sheet, Programme)> {
    let sheet = store::sheet(&app.db, org, sheet_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let programme = store::programme(&app.db, org, sheet.programme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((sheet, programme))
}

/// Checks and stores the sheet; with `submit`, also requires a complete self-evaluation and moves
/// the sheet to the HQ (stage `first`). Field names are those of the sheet form.
pub async fn save(
    app: &App,
    org: i64,
    actor: &Principal,
    sheet_id: i64,
    form: &SheetForm,
    all_codes: &[Code],
    submit: bool,
) -> AppResult<()> {
    let (sheet, programme) = load(app, org, sheet_id).await?;
    if !policy::can_edit_sheet(actor, sheet.stage, programme.department_id) {
        return Err(AppError::Forbidden);
    }
    let fy: i64 = sqlx::query_scalar(
        "SELECT fiscal_year FROM eval_cycles WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(sheet.cycle_id)
    .fetch_one(&app.db)
    .await?;
    let mut errs = FieldErrors::default();
    let issues = errs.long_text("issues", &form.issues, 4000);
    let contact_name = errs.optional_text("contact_name", &form.contact_name, 100);
    let contact_phone = errs.optional_text("contact_phone", &form.contact_phone, 40);

    let cost_rows = cost_entry::check(&mut errs, form, all_codes, &costs::COLUMNS.map(|c| c.0));
    let (inds, _) = store::indicators(&app.db, org, "programme", Some(programme.id)).await?;
    let mut values = Vec::new();
    for ind in &inds {
        let (target, actual) = form.indicator(ind.id);
        let target = errs.number(&format!("target-{}", ind.id), target);
        let actual = errs.number(&format!("actual-{}", ind.id), actual);
        values.push((ind.id, target, actual));
    }

    let mut scores = Vec::new();
    for c in codes::of_list(all_codes, codes::EVAL_CRITERION) {
        let f = format!("score-{}", c.code);
        let (score, reason) = form.score(&c.code);
        let reason = errs.long_text(&format!("score_reason-{}", c.code), reason, 2000);
        if score.is_empty() {
            if submit {
                errs.add(&f, "field.required");
            }
        } else if !codes::of_list(all_codes, codes::EVAL_SCORE).any(|s| s.code == score) {
            errs.add(&f, "field.bad_choice");
        } else {
            scores.push((c.code.clone(), score.to_string(), reason));
        }
    }
    let verdict = super::stages::check_verdict(&mut errs, &form.verdict, all_codes, submit);
    errs.into_result()?;

    let mut tx = app.begin_write().await?;
    let at = now();
    let stage = if submit { Stage::First } else { Stage::Draft };
    // Only a draft is written: a concurrent submit by a colleague wins, this save changes nothing.
    let done = sqlx::query(
        "UPDATE eval_sheets SET issues = $1, contact_name = $2, contact_phone = $3, stage = $4, updated_at = $5, \
         submitted_at = CASE WHEN $4 = 'first' THEN $5 ELSE submitted_at END, \
         manager_approved_at = NULL, manager_approved_by = NULL \
         WHERE organization_id = $6 AND id = $7 AND stage = 'draft'",
    )
    .bind(&issues)
    .bind(&contact_name)
    .bind(&contact_phone)
    .bind(stage)
    .bind(&at)
    .bind(org)
    .bind(sheet_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest("eval.sheet_locked"));
    }
    cost_entry::write(&mut tx, org, sheet_id, &cost_rows).await?;
    for (ind, target, actual) in &values {
        sqlx::query("DELETE FROM eval_indicator_values WHERE organization_id = $1 AND indicator_id = $2 AND fiscal_year = $3")
            .bind(org)
            .bind(ind)
            .bind(fy)
            .execute(&mut *tx)
            .await?;
        if target.is_some() || actual.is_some() {
            sqlx::query("INSERT INTO eval_indicator_values (organization_id, indicator_id, fiscal_year, target, actual) VALUES ($1, $2, $3, $4, $5)")
                .bind(org)
                .bind(ind)
                .bind(fy)
                .bind(crate::db::Real(*target))
                .bind(crate::db::Real(*actual))
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query(
        "DELETE FROM eval_scores WHERE organization_id = $1 AND sheet_id = $2 AND stage = 'first'",
    )
    .bind(org)
    .bind(sheet_id)
    .execute(&mut *tx)
    .await?;
    for (criterion, score, reason) in &scores {
        sqlx::query("INSERT INTO eval_scores (organization_id, sheet_id, stage, criterion, score, reason) VALUES ($1, $2, 'first', $3, $4, $5)")
            .bind(org)
            .bind(sheet_id)
            .bind(criterion)
            .bind(score)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
    }
    super::stages::write_verdict(
        &mut tx,
        org,
        sheet_id,
        Stage::First,
        &verdict,
        actor.user_id,
        &at,
    )
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor.user_id),
        Change {
            action: if submit {
                "eval.sheet_submit"
            } else {
                "eval.sheet_save"
            },
            target_type: "eval_sheet",
            target_id: sheet_id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "programme": programme.code,
                "costs": cost_rows.costs.len(),
                "staffing": cost_rows.staffing.len(),
                "direction": verdict.direction,
            })),
        },
    )
    .await?;
    Ok(())
}

/// Adds an indicator (対象 target / 活動 activity / 成果 outcome) to the sheet's programme.
pub async fn add_indicator(
    app: &App,
    org: i64,
    actor: &Principal,
    sheet_id: i64,
    input: &IndicatorForm,
) -> AppResult<()> {
    let IndicatorForm {
        kind,
        name,
        unit,
        higher_is_better,
    } = input;
    let kind = kind.as_str();
    let (sheet, programme) = load(app, org, sheet_id).await?;
    if !policy::can_edit_sheet(actor, sheet.stage, programme.department_id) {
        return Err(AppError::Forbidden);
    }
    let mut errs = FieldErrors::default();
    if !matches!(kind, "target" | "activity" | "outcome") {
        errs.add("ind_kind", "field.bad_choice");
    }
    let name = errs.text("ind_name", name, 200);
    let unit = errs.optional_text("ind_unit", unit, 40);
    errs.into_result()?;
    let id = crate::db::new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO eval_indicators (organization_id, id, owner_kind, owner_id, kind, name, unit, higher_is_better, position) \
         VALUES ($1, $2, 'programme', $3, $4, $5, $6, $7, \
         (SELECT COUNT(*) FROM eval_indicators WHERE organization_id = $1 AND owner_kind = 'programme' AND owner_id = $3))",
    )
    .bind(org)
    .bind(id)
    .bind(programme.id)
    .bind(kind)
    .bind(&name)
    .bind(&unit)
    .bind(i64::from(*higher_is_better))
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor.user_id),
        Change {
            action: "eval.indicator_add",
            target_type: "programme",
            target_id: programme.id.to_string(),
            before: None,
            after: Some(serde_json::json!({"kind": kind, "name": name, "unit": unit})),
        },
    )
    .await?;
    Ok(())
}
