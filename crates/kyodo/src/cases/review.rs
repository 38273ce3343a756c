//! 民間提案・職員提案 — the decision on a proposal and what follows it. The HQ decides (採用・一部
//! 採用・不採用・継続検討) with a reason after the department's review (its notes on the case); a
//! 民間提案's decision is published with a summary the HQ writes (never the proposer's own text,
//! which may name people). An adopted proposal is tracked to implementation by the department
//! working on it. 職員提案 are scored by the review committee (審査委員会: the HQ and the
//! department managers, never the proposer) and may receive an award (表彰) in the fiscal year.

use super::store::{self, Case};
use super::work::{finish, invalid, locked, staff_step, type_of};
use crate::app::App;
use crate::audit::Actor;
use crate::codes::{self, CASE_AWARD, CASE_DECISION, CASE_IMPLEMENTATION};
use crate::error::{AppError, AppResult};
use crate::policy::{Principal, may_decide_proposal, may_score_proposal};
use crate::validation::FieldErrors;

/// Decisions whose proposals are carried out (and tracked to implementation).
pub fn is_adopted(decision: &str) -> bool {
    decision == "adopted" || decision == "partly"
}

async fn has_code(app: &App, org: i64, list: &str, code: &str) -> AppResult<bool> {
    let known = codes::all(&app.db, org).await?;
    Ok(codes::of_list(&known, list).any(|c| c.code == code))
}

/// The case locked for the HQ's step on a proposal of `kind` (another kind's case: not found).
async fn proposal_step(
    app: &App,
    org: i64,
    id: i64,
    kinds: &[&str],
) -> AppResult<(crate::db::write::WriteTx, Case, String)> {
    let mut tx = app.begin_write().await?;
    let case = locked(&mut tx, org, id).await?;
    let ty = type_of(app, org, &case).await?;
    if !kinds.contains(&ty.kind.as_str()) {
        return Err(AppError::NotFound);
    }
    Ok((tx, case, ty.kind))
}

/// The decision as the HQ typed it.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub decision: String,
    pub decision_reason: String,
    /// 民間提案: the summary published with the decision.
    pub decision_summary: String,
}

/// 採否: the HQ decides on a proposal, with its reason.
pub async fn decide(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    f: &DecisionForm,
) -> AppResult<()> {
    if !may_decide_proposal(p) {
        return Err(AppError::Forbidden);
    }
    let mut errs = FieldErrors::default();
    if !has_code(app, org, CASE_DECISION, f.decision.trim()).await? {
        errs.add("decision", "field.bad_choice");
    }
    let reason = errs.long_text("decision_reason", &f.decision_reason, 2000);
    if reason.is_empty() && errs.get("decision_reason").is_none() {
        errs.add("decision_reason", "field.required");
    }
    let (mut tx, case, kind) = proposal_step(
        app,
        org,
        id,
        &[super::kind::PRIVATE_PROPOSAL, super::kind::STAFF_PROPOSAL],
    )
    .await?;
    let published = kind == super::kind::PRIVATE_PROPOSAL;
    let summary = if published {
        let s = errs.long_text("decision_summary", &f.decision_summary, 400);
        if s.is_empty() && errs.get("decision_summary").is_none() {
            errs.add("decision_summary", "case.summary_required");
        }
        Some(s)
    } else {
        None
    };
    errs.into_result()?;
    let decision = f.decision.trim();
    let implementation = match (is_adopted(decision), case.implementation.as_str()) {
        (true, "") => "planned",
        (true, now) => now,
        (false, _) => "",
    };
    sqlx::query(
        "UPDATE cases SET decision = $3, decision_reason = $4, decided_at = $5, implementation = $6, \
         public_text = COALESCE($7, public_text) WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(decision)
    .bind(&reason)
    .bind(crate::db::now())
    .bind(implementation)
    .bind(summary.as_deref())
    .execute(&mut *tx)
    .await?;
    store::add_event(
        &mut tx,
        org,
        id,
        Some(p.user_id),
        "decision",
        None,
        None,
        &reason,
    )
    .await?;
    let after = serde_json::json!({ "decision": decision, "reason": reason, "summary": summary });
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.decide",
        &case,
        after,
    )
    .await
}

/// 実施状況 of an adopted proposal, by those who work on the case.
pub async fn set_implementation(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    to: &str,
) -> AppResult<()> {
    if !has_code(app, org, CASE_IMPLEMENTATION, to.trim()).await? {
        return Err(invalid("implementation", "field.bad_choice"));
    }
    let (mut tx, case) = staff_step(app, org, p, id).await?;
    if !is_adopted(&case.decision) {
        return Err(invalid("implementation", "case.not_adopted"));
    }
    sqlx::query("UPDATE cases SET implementation = $3 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(to.trim())
        .execute(&mut *tx)
        .await?;
    store::add_event(
        &mut tx,
        org,
        id,
        Some(p.user_id),
        "implementation",
        None,
        None,
        "",
    )
    .await?;
    let after = serde_json::json!({ "implementation": to.trim(), "from": case.implementation });
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.implementation",
        &case,
        after,
    )
    .await
}

/// 審査: a committee member's score (1–5, full-width digits accepted) and comment on a 職員提案;
/// scoring again replaces one's own score.
pub async fn score(
    app: &App,
    org: i64,
    p: &Principal,
    id: i64,
    score: &str,
    comment: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let n = crate::validation::parse_number(score)
        .ok()
        .flatten()
        .filter(|n| n.fract() == 0.0 && (1.0..=5.0).contains(n))
        .map(|n| n as i64);
    if n.is_none() {
        errs.add("score", "case.bad_score");
    }
    let comment = errs.long_text("score_comment", comment, 1000);
    errs.into_result()?;
    let (mut tx, case, _) = proposal_step(app, org, id, &[super::kind::STAFF_PROPOSAL]).await?;
    if !may_score_proposal(p, case.submitter_id) {
        return Err(AppError::Forbidden);
    }
    sqlx::query(
        "INSERT INTO case_scores (organization_id, case_id, reviewer_id, score, comment, scored_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organization_id, case_id, reviewer_id) \
         DO UPDATE SET score = excluded.score, comment = excluded.comment, scored_at = excluded.scored_at",
    )
    .bind(org)
    .bind(id)
    .bind(p.user_id)
    .bind(n)
    .bind(&comment)
    .bind(crate::db::now())
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "score": n, "comment": comment });
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.score",
        &case,
        after,
    )
    .await
}

/// 表彰: the HQ gives a 職員提案 an award in the current fiscal year, or takes it back ('').
pub async fn award(app: &App, org: i64, p: &Principal, id: i64, award: &str) -> AppResult<()> {
    if !may_decide_proposal(p) {
        return Err(AppError::Forbidden);
    }
    let award = award.trim();
    if !award.is_empty() && !has_code(app, org, CASE_AWARD, award).await? {
        return Err(invalid("award", "field.bad_choice"));
    }
    let (mut tx, case, _) = proposal_step(app, org, id, &[super::kind::STAFF_PROPOSAL]).await?;
    sqlx::query("DELETE FROM case_awards WHERE organization_id = $1 AND case_id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if !award.is_empty() {
        let today = crate::participation::today();
        let fy = i64::from(kyodo_jp::FiscalYear::containing(today, 4).0);
        sqlx::query(
            "INSERT INTO case_awards (organization_id, case_id, fiscal_year, award, awarded_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org)
        .bind(id)
        .bind(fy)
        .bind(award)
        .bind(crate::db::now())
        .execute(&mut *tx)
        .await?;
    }
    let after = serde_json::json!({ "award": award });
    finish(
        tx,
        org,
        &Actor::user(p.user_id),
        "cases.award",
        &case,
        after,
    )
    .await
}
