//! The fields of every step on a case's staff page, in one type: each form sends its own and the
//! page shows them back beside their problems.

/// Every step's fields (each form sends its own).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ActForm {
    pub status: String,
    pub comment: String,
    pub message: String,
    pub ask: String,
    pub note: String,
    pub department: String,
    pub reason: String,
    pub facility: String,
    /// 事業コード of the programme the case is about (empty unlinks).
    pub programme: String,
    /// The plan item the case concerns (empty unlinks).
    pub plan_item: String,
    pub take: String,
    /// The staff member to name as 担当者 (empty: take or give back with `take`).
    pub assignee: String,
    pub answer: String,
    pub into: String,
    pub public_text: String,
    pub public_answer: String,
    /// The kind's steps (see `kinds`): payment, decision, implementation, score, award.
    pub payment: String,
    pub decision: String,
    pub decision_reason: String,
    pub decision_summary: String,
    pub implementation: String,
    pub score: String,
    pub score_comment: String,
    pub award: String,
}
