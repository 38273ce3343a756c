//! What a year of a kind adds up to: the 働きかけ記録 for the organization's own yearly report (the
//! HQ and the compliance officer only), the 職員提案 with their scores, awards and implementation
//! (staff), and the published decisions on 民間提案 (public). Each list is one query.

use super::store::{CASE_COLUMNS, Case};
use crate::db::Db;

/// The fiscal years that have cases of `kind`, newest first.
pub async fn years(db: &Db, org: i64, kind: &str) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT DISTINCT c.fiscal_year FROM cases c JOIN case_types t \
         ON t.organization_id = c.organization_id AND t.id = c.type_id \
         WHERE c.organization_id = $1 AND t.kind = $2 ORDER BY c.fiscal_year DESC",
    )
    .bind(org)
    .bind(kind)
    .fetch_all(db)
    .await
}

/// Every case of `kind` received in fiscal year `fy`, oldest first (merged duplicates left out).
pub async fn cases_of(db: &Db, org: i64, kind: &str, fy: i64) -> sqlx::Result<Vec<Case>> {
    let columns = CASE_COLUMNS
        .split(", ")
        .map(|c| format!("c.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {columns} FROM cases c JOIN case_types t \
         ON t.organization_id = c.organization_id AND t.id = c.type_id \
         WHERE c.organization_id = $1 AND t.kind = $2 AND c.fiscal_year = $3 AND c.merged_into IS NULL \
         ORDER BY c.received_at, c.id"
    )))
    .bind(org)
    .bind(kind)
    .bind(fy)
    .fetch_all(db)
    .await
}

/// A 職員提案 in the year's list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffProposal {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub received_at: String,
    pub status: String,
    pub decision: String,
    pub implementation: String,
    /// How many committee members scored it, and their average (1–5).
    pub scores: i64,
    pub average: Option<f64>,
    pub award: Option<String>,
}

impl StaffProposal {
    /// The average as shown (one decimal), empty before anyone scored.
    pub fn average_label(&self) -> String {
        self.average.map(|a| format!("{a:.1}")).unwrap_or_default()
    }
}

/// The year's 職員提案, best average first, then by arrival.
pub async fn staff_proposals(db: &Db, org: i64, fy: i64) -> sqlx::Result<Vec<StaffProposal>> {
    sqlx::query_as(
        "SELECT c.id, c.number, c.subject, c.received_at, c.status, c.decision, c.implementation, \
         COALESCE(s.n, 0) AS scores, s.average, a.award \
         FROM cases c JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         LEFT JOIN (SELECT case_id, COUNT(*) AS n, CAST(AVG(score) AS DOUBLE PRECISION) AS average \
                    FROM case_scores WHERE organization_id = $1 GROUP BY case_id) s ON s.case_id = c.id \
         LEFT JOIN case_awards a ON a.organization_id = c.organization_id AND a.case_id = c.id \
         WHERE c.organization_id = $1 AND t.kind = 'staff_proposal' AND c.fiscal_year = $2 \
           AND c.merged_into IS NULL \
         ORDER BY CASE WHEN s.average IS NULL THEN 1 ELSE 0 END, s.average DESC, c.received_at, c.id",
    )
    .bind(org)
    .bind(fy)
    .fetch_all(db)
    .await
}

/// One committee member's score as the case page shows it to the committee.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Score {
    pub reviewer_id: i64,
    pub reviewer: String,
    pub score: i64,
    pub comment: String,
}

pub async fn scores_of(db: &Db, org: i64, case: i64) -> sqlx::Result<Vec<Score>> {
    sqlx::query_as(
        "SELECT s.reviewer_id, COALESCE(u.display_name, '') AS reviewer, s.score, s.comment \
         FROM case_scores s LEFT JOIN users u ON u.organization_id = s.organization_id AND u.id = s.reviewer_id \
         WHERE s.organization_id = $1 AND s.case_id = $2 ORDER BY s.scored_at, s.reviewer_id",
    )
    .bind(org)
    .bind(case)
    .fetch_all(db)
    .await
}

/// The award a case received: (code, fiscal year).
pub async fn award_of(db: &Db, org: i64, case: i64) -> sqlx::Result<Option<(String, i64)>> {
    sqlx::query_as(
        "SELECT award, fiscal_year FROM case_awards WHERE organization_id = $1 AND case_id = $2",
    )
    .bind(org)
    .bind(case)
    .fetch_optional(db)
    .await
}

/// A published decision on a 民間提案: the HQ's summary, never the proposer's text or name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicDecision {
    pub number: String,
    pub received_at: String,
    pub summary: String,
    pub decision: String,
    pub reason: String,
    pub decided_at: String,
    pub implementation: String,
    /// The linked programme (事務事業): its id and "code name".
    pub programme_id: Option<i64>,
    pub programme: Option<String>,
    pub is_demo: i64,
}

/// Every decided 民間提案, newest decision first.
pub async fn private_decisions(db: &Db, org: i64) -> sqlx::Result<Vec<PublicDecision>> {
    sqlx::query_as(
        "SELECT c.number, c.received_at, COALESCE(c.public_text, '') AS summary, c.decision, \
         c.decision_reason AS reason, COALESCE(c.decided_at, '') AS decided_at, c.implementation, \
         p.id AS programme_id, p.code || ' ' || p.name AS programme, c.is_demo \
         FROM cases c JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         LEFT JOIN programmes p ON p.organization_id = c.organization_id AND p.id = c.programme_id \
         WHERE c.organization_id = $1 AND t.kind = 'private_proposal' AND c.decision <> '' \
           AND t.audience IN ('public', 'signed_in') AND c.merged_into IS NULL \
         ORDER BY c.decided_at DESC, c.id DESC",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// The published decisions as the open-data catalogue sees them: (count, demo, first, last).
pub const DECISIONS_CATALOGUE_SQL: &str = "SELECT COUNT(*), COALESCE(MAX(c.is_demo), 0), MIN(c.decided_at), MAX(c.decided_at) \
     FROM cases c JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
     WHERE c.organization_id = $1 AND t.kind = 'private_proposal' AND c.decision <> '' \
       AND t.audience IN ('public', 'signed_in') AND c.merged_into IS NULL";

/// The open-data catalogue's entry for 手続一覧: (procedures open to citizens, any demo, -, -).
pub const PROCEDURES_CATALOGUE_SQL: &str = "SELECT COUNT(*), COALESCE(MAX(is_demo), 0), CAST(NULL AS TEXT), CAST(NULL AS TEXT) \
     FROM case_types WHERE organization_id = $1 AND kind = 'application' AND audience IN ('public', 'signed_in')";
