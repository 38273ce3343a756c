//! What a case's kind adds to its staff page: the fee and its payment (電子申請), the decision with
//! its reason (民間提案・職員提案, by the HQ), the implementation of an adopted proposal, and for
//! 職員提案 the review committee's scores and the award — with the handlers of those steps.

use super::case::{ActForm, after};
use crate::cases::review::{self, DecisionForm};
use crate::cases::store::{Case, CaseType};
use crate::cases::{kind, payment, yearly};
use crate::codes::{self, CASE_AWARD, CASE_DECISION, CASE_IMPLEMENTATION, CASE_PAYMENT, Code};
use crate::error::AppResult;
use crate::policy::{Principal, may_decide_proposal, may_score_proposal};
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use axum::extract::State;
use axum::response::Response;

/// (code, label) of a code list, for a select.
type Choices = Vec<(String, String)>;

/// The kind's panel as the case page shows it.
#[derive(Debug, Default)]
pub struct KindPanel {
    pub kind: String,
    /// 手数料 as read (1,000円), empty when nothing is owed.
    pub fee: String,
    pub payment: String,
    pub payments: Choices,
    pub is_proposal: bool,
    pub decision: String,
    pub decided_on: String,
    pub decisions: Choices,
    pub may_decide: bool,
    /// 民間提案: the decision is published with a summary.
    pub published: bool,
    pub implementation: String,
    pub implementations: Choices,
    pub may_track: bool,
    /// 職員提案: the committee's scores (shown to the committee and the HQ) and the award.
    pub is_staff_proposal: bool,
    pub scores: Vec<yearly::Score>,
    pub average: String,
    pub may_score: bool,
    pub award: String,
    pub awards: Choices,
}

fn choices(codes: &[Code], list: &str, ctx: &Ctx) -> Choices {
    codes::of_list(codes, list)
        .map(|c| (c.code.clone(), c.label(ctx.lang).to_string()))
        .collect()
}

/// The panel of `case` for `p` (who may work on it: `may_work`).
pub async fn panel(
    st: &WebState,
    ctx: &Ctx,
    p: &Principal,
    ty: &CaseType,
    case: &Case,
    codes: &[Code],
    may_work: bool,
) -> AppResult<KindPanel> {
    let label = |list: &str, code: &str| codes::label(codes, list, code, ctx.lang).to_string();
    let is_staff_proposal = ty.kind == kind::STAFF_PROPOSAL;
    // The committee's scores: for its members (not on their own proposal) and the HQ.
    let committee =
        is_staff_proposal && (may_score_proposal(p, case.submitter_id) || may_decide_proposal(p));
    let (scores, award) = if is_staff_proposal {
        let db = &st.app.db;
        tokio::try_join!(
            async {
                if committee {
                    yearly::scores_of(db, ctx.org_id(), case.id).await
                } else {
                    Ok(Vec::new())
                }
            },
            yearly::award_of(db, ctx.org_id(), case.id),
        )?
    } else {
        (Vec::new(), None)
    };
    let average = if scores.is_empty() {
        String::new()
    } else {
        let sum: i64 = scores.iter().map(|s| s.score).sum();
        format!("{:.1}", sum as f64 / scores.len() as f64)
    };
    Ok(KindPanel {
        kind: ty.kind.clone(),
        fee: if case.fee_yen > 0 {
            super::super::reservations::yen(ctx.tr(), case.fee_yen)
        } else {
            String::new()
        },
        payment: label(CASE_PAYMENT, &case.payment_status),
        payments: choices(codes, CASE_PAYMENT, ctx),
        is_proposal: kind::is_proposal(&ty.kind),
        decision: if case.decision.is_empty() {
            String::new()
        } else {
            label(CASE_DECISION, &case.decision)
        },
        decided_on: case
            .decided_at
            .as_deref()
            .map(|d| super::day(ctx, d))
            .unwrap_or_default(),
        decisions: choices(codes, CASE_DECISION, ctx),
        may_decide: kind::is_proposal(&ty.kind) && may_decide_proposal(p),
        published: ty.kind == kind::PRIVATE_PROPOSAL,
        implementation: label(CASE_IMPLEMENTATION, &case.implementation),
        implementations: choices(codes, CASE_IMPLEMENTATION, ctx),
        may_track: may_work && review::is_adopted(&case.decision),
        is_staff_proposal,
        may_score: is_staff_proposal && may_score_proposal(p, case.submitter_id),
        scores,
        average,
        award: award
            .map(|(a, fy)| {
                format!(
                    "{}({})",
                    label(CASE_AWARD, &a),
                    crate::i18n::fy(ctx.tr(), fy)
                )
            })
            .unwrap_or_default(),
        awards: choices(codes, CASE_AWARD, ctx),
    })
}

/// 納付状況 of the case's fee.
pub async fn payment(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let source = payment::Source::Staff(p);
    let done = payment::record(&st.app, ctx.org_id(), id, f.payment.trim(), source).await;
    after(&st, &ctx, id, f, done, "case.saved").await
}

/// 採否 of a proposal (the HQ).
pub async fn decide(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let d = DecisionForm {
        decision: f.decision.clone(),
        decision_reason: f.decision_reason.clone(),
        decision_summary: f.decision_summary.clone(),
    };
    let done = review::decide(&st.app, ctx.org_id(), ctx.require_user()?, id, &d).await;
    after(&st, &ctx, id, f, done, "case.saved").await
}

/// 実施状況 of an adopted proposal.
pub async fn implementation(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let done = review::set_implementation(&st.app, ctx.org_id(), p, id, &f.implementation).await;
    after(&st, &ctx, id, f, done, "case.saved").await
}

/// 審査: a committee member's score.
pub async fn score(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let p = ctx.require_user()?;
    let done = review::score(&st.app, ctx.org_id(), p, id, &f.score, &f.score_comment).await;
    after(&st, &ctx, id, f, done, "case.saved").await
}

/// 表彰 (the HQ).
pub async fn award(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<ActForm>,
) -> AppResult<Response> {
    let done = review::award(&st.app, ctx.org_id(), ctx.require_user()?, id, &f.award).await;
    after(&st, &ctx, id, f, done, "case.saved").await
}
