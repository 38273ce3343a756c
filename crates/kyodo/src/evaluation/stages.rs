//! The review after the department's 一次評価: 二次評価 by the reform HQ, 外部評価 by the external
//! committee (only for programmes the HQ chose), and the final decision, after which the sheet is
//! locked. Each stage's verdict is kept, so pages show them side by side.

use super::sheet_form::VerdictForm;
use super::stage::{Awaiting, Stage};
use super::store::{self, Sheet};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes::{self, Code};
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::policy::Principal;
use crate::validation::FieldErrors;

/// A verdict as typed: 実施主体, 方向性, reason, improvement plan.
#[derive(Debug, Default, Clone)]
pub struct VerdictInput {
    pub operator: String,
    pub direction: String,
    pub reason: String,
    pub improvement: String,
}

/// Checks a verdict as entered (messages under the fields `operator`, `direction`, `reason`,
/// `improvement`); `complete` requires all but the improvement plan.
pub fn check_verdict(
    errs: &mut FieldErrors,
    form: &VerdictForm,
    all_codes: &[Code],
    complete: bool,
) -> VerdictInput {
    let mut v = VerdictInput::default();
    for (field, list, value, slot) in [
        (
            "operator",
            codes::EVAL_OPERATOR,
            &form.operator,
            &mut v.operator,
        ),
        (
            "direction",
            codes::EVAL_DIRECTION,
            &form.direction,
            &mut v.direction,
        ),
    ] {
        if value.is_empty() {
            if complete {
                errs.add(field, "field.required");
            }
        } else if !codes::of_list(all_codes, list).any(|c| c.code == *value) {
            errs.add(field, "field.bad_choice");
        } else {
            *slot = value.to_string();
        }
    }
    v.reason = errs.long_text("reason", &form.reason, 4000);
    if complete && v.reason.is_empty() {
        errs.add("reason", "field.required");
    }
    v.improvement = errs.long_text("improvement", &form.improvement, 4000);
    v
}

pub async fn write_verdict(
    conn: &mut sqlx::AnyConnection,
    org: i64,
    sheet: i64,
    stage: Stage,
    v: &VerdictInput,
    by: i64,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM eval_verdicts WHERE organization_id = $1 AND sheet_id = $2 AND stage = $3",
    )
    .bind(org)
    .bind(sheet)
    .bind(stage)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO eval_verdicts (organization_id, sheet_id, stage, operator, direction, reason, improvement, decided_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(org)
    .bind(sheet)
    .bind(stage)
    .bind(&v.operator)
    .bind(&v.direction)
    .bind(&v.reason)
    .bind(&v.improvement)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The stage a sheet waits for, and who gives it: `None` when it is a draft or final. `manager`
/// (所属長承認, when `manager_step`, the organization's setting) comes before 二次評価 and is not a
/// verdict: the department's manager passes the sheet on (see `manager_approval`).
pub fn awaiting(sheet: &Sheet, manager_step: bool) -> Option<Awaiting> {
    use Stage::*;
    match (sheet.stage, sheet.external) {
        (First, _) if manager_step && sheet.manager_approved_at.is_none() => {
            Some(Awaiting::Manager)
        }
        (First, _) => Some(Awaiting::Verdict(Second)),
        (Second, true) => Some(Awaiting::Verdict(External)),
        (Second, false) | (External, _) => Some(Awaiting::Verdict(Final)),
        (Draft | Final, _) => None,
    }
}

/// Records the verdict of the stage the sheet is waiting for. `return` (HQ, at 二次) sends a
/// submitted sheet back to the department as a draft, with the reason kept as the 二次 verdict's.
pub async fn decide(
    app: &App,
    org: i64,
    p: &Principal,
    sheet_id: i64,
    form: &VerdictForm,
    all_codes: &[Code],
) -> AppResult<Stage> {
    let sheet = store::sheet(&app.db, org, sheet_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cycle = store::cycle(&app.db, org, sheet.cycle_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let manager_step = crate::accounts::approval::required(&app.db, org).await?;
    let stage = match awaiting(&sheet, manager_step) {
        None => return Err(AppError::BadRequest("eval.sheet_locked")),
        Some(Awaiting::Manager) => return Err(AppError::BadRequest("eval.awaiting_manager")),
        Some(Awaiting::Verdict(stage)) => stage,
    };
    if !crate::policy::may_decide_stage(p, stage, cycle.committee_id) {
        return Err(AppError::Forbidden);
    }
    let mut errs = FieldErrors::default();
    let v = check_verdict(&mut errs, form, all_codes, true);
    errs.into_result()?;
    let at = now();
    let mut tx = app.begin_write().await?;
    write_verdict(&mut tx, org, sheet_id, stage, &v, p.user_id, &at).await?;
    let locked = stage == Stage::Final;
    let done = sqlx::query(
        "UPDATE eval_sheets SET stage = $1, updated_at = $2 WHERE organization_id = $3 AND id = $4 AND stage = $5",
    )
    .bind(stage)
    .bind(&at)
    .bind(org)
    .bind(sheet_id)
    .bind(sheet.stage)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest("eval.sheet_locked"));
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(p.user_id),
        Change {
            action: if locked { "eval.final" } else { "eval.verdict" },
            target_type: "eval_sheet",
            target_id: sheet_id.to_string(),
            before: Some(serde_json::json!({"stage": sheet.stage})),
            after: Some(serde_json::json!({"stage": stage, "operator": v.operator, "direction": v.direction})),
        },
    )
    .await?;
    Ok(stage)
}

/// The HQ (or, while the sheet awaits them, its 所属長) sends a submitted sheet back to its
/// department (before 二次評価).
pub async fn return_to_department(app: &App, org: i64, actor: i64, sheet_id: i64) -> AppResult<()> {
    let at = now();
    let mut tx = app.begin_write().await?;
    let done = sqlx::query("UPDATE eval_sheets SET stage = 'draft', updated_at = $1, manager_approved_at = NULL, manager_approved_by = NULL WHERE organization_id = $2 AND id = $3 AND stage = 'first'")
        .bind(&at)
        .bind(org)
        .bind(sheet_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest("eval.sheet_locked"));
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "eval.return",
            target_type: "eval_sheet",
            target_id: sheet_id.to_string(),
            before: Some(serde_json::json!({"stage": "first"})),
            after: Some(serde_json::json!({"stage": "draft"})),
        },
    )
    .await?;
    Ok(())
}

/// Chooses a sheet for 外部評価 (or takes it off the list) before the final decision.
pub async fn set_external(
    app: &App,
    org: i64,
    actor: i64,
    sheet_id: i64,
    on: bool,
) -> AppResult<()> {
    // Without a committee for the year, a sheet chosen for 外部評価 could never be decided.
    let sheet = store::sheet(&app.db, org, sheet_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cycle = store::cycle(&app.db, org, sheet.cycle_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if on && cycle.committee_id.is_none() {
        return Err(AppError::BadRequest("eval.no_committee"));
    }
    let mut tx = app.begin_write().await?;
    let done = sqlx::query("UPDATE eval_sheets SET external = $1 WHERE organization_id = $2 AND id = $3 AND stage IN ('draft', 'first', 'second')")
        .bind(i64::from(on))
        .bind(org)
        .bind(sheet_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest("eval.sheet_locked"));
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "eval.external",
            target_type: "eval_sheet",
            target_id: sheet_id.to_string(),
            before: None,
            after: Some(serde_json::json!({"external": on})),
        },
    )
    .await?;
    Ok(())
}

/// Links a reform verdict to a plan action item (実施計画), where its fiscal effect is tracked.
pub async fn link_plan_item(
    app: &App,
    org: i64,
    actor: i64,
    sheet_id: i64,
    node: i64,
) -> AppResult<()> {
    let trackable = crate::plans::store::is_trackable(&app.db, org, node).await?;
    if trackable != Some(true) {
        let mut errs = FieldErrors::default();
        errs.add("plan_item", "eval.not_an_item");
        return Err(AppError::Invalid(errs));
    }
    store::sheet(&app.db, org, sheet_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO eval_plan_links (organization_id, sheet_id, node_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (organization_id, sheet_id, node_id) DO NOTHING")
        .bind(org)
        .bind(sheet_id)
        .bind(node)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "eval.link_plan",
            target_type: "eval_sheet",
            target_id: sheet_id.to_string(),
            before: None,
            after: Some(serde_json::json!({"plan_item": node})),
        },
    )
    .await?;
    Ok(())
}

/// Plan items linked to sheets: (sheet, node id, number, title).
pub async fn plan_links(
    db: &crate::db::Db,
    org: i64,
    sheets: &[i64],
) -> sqlx::Result<Vec<(i64, i64, String, String)>> {
    if sheets.is_empty() {
        return Ok(Vec::new());
    }
    let list = sheets
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let links: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT sheet_id, node_id FROM eval_plan_links WHERE organization_id = $1 AND sheet_id IN ({list})"
    )))
    .bind(org)
    .fetch_all(db)
    .await?;
    // The items' numbers and titles are the plan's to give.
    let mut ids: Vec<i64> = links.iter().map(|l| l.1).collect();
    ids.sort_unstable();
    ids.dedup();
    let nodes = crate::plans::store::nodes_by_id(db, org, &ids).await?;
    let mut out = Vec::new();
    for (node, number, title) in nodes {
        for (sheet, _) in links.iter().filter(|l| l.1 == node) {
            out.push((*sheet, node, number.clone(), title.clone()));
        }
    }
    Ok(out)
}

/// Published verdicts carried out as a plan item: (fiscal year, programme id, code and name, the
/// most advanced direction) — shown on the item's page so progress and evaluation meet.
pub async fn linked_to_item(
    db: &crate::db::Db,
    org: i64,
    node: i64,
) -> sqlx::Result<Vec<(i64, i64, String, String)>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT c.fiscal_year, p.id, p.code || ' ' || p.name, COALESCE({}, '') \
         FROM eval_plan_links l JOIN eval_sheets s ON s.organization_id = l.organization_id AND s.id = l.sheet_id \
         JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id AND c.published = 1 \
         JOIN programmes p ON p.organization_id = s.organization_id AND p.id = s.programme_id \
         WHERE l.organization_id = $1 AND l.node_id = $2 ORDER BY c.fiscal_year DESC",
        super::listing::LATEST_DIRECTION
    )))
    .bind(org)
    .bind(node)
    .fetch_all(db)
    .await
}
