//! 期限の催促: each department's staff are mailed the open cases due within a few days or overdue
//! (one mail per person, the cases listed by number, subject and deadline), for a daily timer
//! (`kyodo cases remind`). Restricted types are left out: their cases are the HQ's.

use super::OPEN;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::AppResult;

/// (e-mail, name, number, subject, deadline) of every staff member of a department with such a case.
type Due = (String, String, String, String, String);

/// Queues the reminders for cases due on or before `today` + `days`; returns how many mails.
pub async fn remind(
    app: &App,
    org: i64,
    actor: &Actor,
    today: &str,
    days: i64,
) -> AppResult<usize> {
    let until = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(days.max(0))).to_string())
        .unwrap_or_else(|_| today.to_string());
    let open = OPEN.map(|s| format!("'{s}'")).join(", ");
    let due: Vec<Due> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT u.email, u.display_name, c.number, c.subject, c.due_on FROM cases c \
         JOIN case_types t ON t.organization_id = c.organization_id AND t.id = c.type_id \
         JOIN role_grants g ON g.organization_id = c.organization_id AND g.scope_id = c.department_id \
           AND g.role IN ('staff', 'dept_manager') \
         JOIN users u ON u.organization_id = g.organization_id AND u.id = g.user_id \
         WHERE c.organization_id = $1 AND c.status IN ({open}) AND c.due_on <= $2 \
           AND t.audience <> 'restricted' AND u.disabled = 0 \
         ORDER BY u.email, c.due_on, c.number"
    )))
    .bind(org)
    .bind(&until)
    .fetch_all(&app.db)
    .await?;
    let base = crate::accounts::service::base_url(app, org).await?;
    let mut mails: Vec<(String, String)> = Vec::new();
    for (email, name, number, subject, due_on) in &due {
        let overdue = if due_on.as_str() < today {
            " 【期限超過 / overdue】"
        } else {
            ""
        };
        let line = format!("- {number} {subject} (期限 / due {due_on}){overdue}\n");
        match mails.last_mut() {
            Some((to, body)) if to == email => body.push_str(&line),
            _ => mails.push((email.clone(), format!("{name}\n\n回答期限が近い案件・過ぎた案件 / Cases due soon or overdue:\n\n{line}"))),
        }
    }
    let mut tx = app.begin_write().await?;
    for (to, body) in &mails {
        let body = format!("{body}\n{base}/staff/cases?due=overdue\n");
        app.mailer
            .enqueue(&mut tx, org, to, "窓口の回答期限 / Case deadlines", &body)
            .await?;
    }
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "cases.remind",
            target_type: "organization",
            target_id: org.to_string(),
            before: None,
            after: Some(serde_json::json!({ "messages": mails.len(), "cases": due.len() })),
        },
    )
    .await?;
    app.mailer.wake();
    Ok(mails.len())
}
