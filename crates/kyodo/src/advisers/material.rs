//! What an adviser reads about an assignment, beyond its public page: the work in progress, with no
//! personal data — a plan's latest reports (drafts included), a consultation's grouped opinions with
//! the draft answers, an evaluation year's sheets with their stage and 現状と課題, a council's
//! inquiries with their recommendations. One query per kind, at most 500 rows.

use crate::db::Db;
use serde::Serialize;

/// One row: what it is about, the text, and where it stands (a status code or words).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Row {
    pub heading: String,
    pub text: String,
    pub state: String,
}

const PLAN: &str = "SELECT n.number || ' ' || n.title AS heading, v.did || CASE WHEN v.evaluation = '' THEN '' ELSE ' / ' || v.evaluation END AS text, r.status AS state \
     FROM progress_reports r JOIN plan_nodes n ON n.organization_id = r.organization_id AND n.id = r.node_id \
     JOIN progress_report_versions v ON v.organization_id = r.organization_id AND v.report_id = r.id AND v.version = r.current_version \
     WHERE r.organization_id = $1 AND n.plan_id = $2 ORDER BY r.updated_at DESC LIMIT 500";

const CONSULTATION: &str = "SELECT summary AS heading, city_view AS text, CASE WHEN revised = 1 THEN 'revised' ELSE 'not_revised' END AS state \
     FROM pc_groups WHERE organization_id = $1 AND consultation_id = $2 ORDER BY section_number, id LIMIT 500";

// Never the sheet's contact name or phone.
const CYCLE: &str = "SELECT p.code || ' ' || p.name AS heading, s.issues AS text, s.stage AS state \
     FROM eval_sheets s JOIN programmes p ON p.organization_id = s.organization_id AND p.id = s.programme_id \
     WHERE s.organization_id = $1 AND s.cycle_id = $2 ORDER BY p.code LIMIT 500";

const COUNCIL: &str = "SELECT i.subject || ' — ' || CAST(r.number AS TEXT) AS heading, r.text AS text, r.decision AS state \
     FROM cn_recommendations r JOIN cn_inquiries i ON i.organization_id = r.organization_id AND i.id = r.inquiry_id \
     WHERE r.organization_id = $1 AND i.body_id = $2 ORDER BY i.asked_on DESC, r.number LIMIT 500";

pub async fn of(db: &Db, org: i64, kind: &str, id: i64) -> sqlx::Result<Vec<Row>> {
    let sql = match kind {
        "plan" => PLAN,
        "consultation" => CONSULTATION,
        "evaluation_cycle" => CYCLE,
        "council" => COUNCIL,
        _ => return Ok(Vec::new()),
    };
    sqlx::query_as(sql).bind(org).bind(id).fetch_all(db).await
}
