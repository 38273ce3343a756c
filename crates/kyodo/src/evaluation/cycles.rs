//! 評価サイクル — one evaluation year: its schedule (sheets due, hearings, publication), a sheet
//! for every active programme, the progress of every department and reminders to the late ones.

use super::store::{self, Cycle, Programme, Sheet};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::evaluation::stage::Stage;
use crate::i18n::Tr;
use crate::validation::FieldErrors;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct NewCycle<'a> {
    pub fiscal_year: &'a str,
    pub committee_id: Option<i64>,
    pub sheets_due: &'a str,
    pub hearings_from: &'a str,
    pub hearings_to: &'a str,
    pub publish_on: &'a str,
}

/// A schedule date as typed (2026-05-31 or 令和8年5月31日), stored as YYYY-MM-DD; '' when empty.
fn date(errs: &mut FieldErrors, field: &str, raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        return String::new();
    }
    match kyodo_jp::wareki::parse_date(raw) {
        Ok(d) => d.format("%Y-%m-%d").to_string(),
        Err(_) => {
            errs.add(field, "field.bad_date");
            String::new()
        }
    }
}

/// Opens an evaluation year with a draft sheet for every active programme. Returns the cycle id.
pub async fn create(app: &App, org: i64, actor: &Actor, c: NewCycle<'_>) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let fy = match c.fiscal_year.trim().parse::<i64>() {
        Ok(y) if (1989..=2200).contains(&y) => Some(y),
        _ => {
            errs.add("fiscal_year", "eval.bad_year");
            None
        }
    };
    let due = date(&mut errs, "sheets_due", c.sheets_due);
    let from = date(&mut errs, "hearings_from", c.hearings_from);
    let to = date(&mut errs, "hearings_to", c.hearings_to);
    let publish = date(&mut errs, "publish_on", c.publish_on);
    if !from.is_empty() && !to.is_empty() && from > to {
        errs.add("hearings_to", "eval.hearings_order");
    }
    if let Some(fy) = fy
        && store::cycles(&app.db, org)
            .await?
            .iter()
            .any(|x| x.fiscal_year == fy)
    {
        errs.add("fiscal_year", "eval.cycle_exists");
    }
    errs.into_result()?;
    let fy = fy.unwrap_or_default();
    let id = new_id();
    let at = now();
    let mut tx = app.begin_write().await?;
    crate::codes::ensure_defaults(&mut tx, org).await?;
    sqlx::query(
        "INSERT INTO eval_cycles (organization_id, id, fiscal_year, committee_id, sheets_due, hearings_from, hearings_to, publish_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(org)
    .bind(id)
    .bind(fy)
    .bind(c.committee_id)
    .bind(&due)
    .bind(&from)
    .bind(&to)
    .bind(&publish)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    // Programmes running in the year; one insert each, all in this transaction.
    let programmes: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM programmes WHERE organization_id = $1 AND status = 'active' AND first_year <= $2 \
         AND (last_year IS NULL OR last_year >= $2) ORDER BY code",
    )
    .bind(org)
    .bind(fy)
    .fetch_all(&mut *tx)
    .await?;
    for (pid,) in &programmes {
        sqlx::query("INSERT INTO eval_sheets (organization_id, id, cycle_id, programme_id, updated_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(org)
            .bind(new_id())
            .bind(id)
            .bind(pid)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
    }
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "eval.cycle_create",
            target_type: "eval_cycle",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({"fiscal_year": fy, "sheets": programmes.len()})),
        },
    )
    .await?;
    Ok(id)
}

/// Publishes (or withdraws) a year's results on the public pages.
/// (sheets still drafts, all sheets) of a year.
pub async fn draft_count(db: &crate::db::Db, org: i64, cycle: i64) -> AppResult<(i64, i64)> {
    let row: (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN stage = 'draft' THEN 1 ELSE 0 END), 0), COUNT(*) FROM eval_sheets \
         WHERE organization_id = $1 AND cycle_id = $2",
    )
    .bind(org)
    .bind(cycle)
    .fetch_one(db)
    .await?;
    Ok(row)
}

pub async fn set_published(app: &App, org: i64, actor: i64, cycle: i64, on: bool) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let done =
        sqlx::query("UPDATE eval_cycles SET published = $1 WHERE organization_id = $2 AND id = $3")
            .bind(i64::from(on))
            .bind(org)
            .bind(cycle)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "eval.publish",
            target_type: "eval_cycle",
            target_id: cycle.to_string(),
            before: None,
            after: Some(serde_json::json!({"published": on})),
        },
    )
    .await?;
    Ok(())
}

/// Sheets of one department at each stage.
#[derive(Debug, Default, Clone)]
pub struct DeptProgress {
    pub department_id: i64,
    pub by_stage: BTreeMap<Stage, usize>,
    pub total: usize,
}

impl DeptProgress {
    pub fn at(&self, stage: Stage) -> usize {
        self.by_stage.get(&stage).copied().unwrap_or(0)
    }
    /// Sheets the department has submitted (any stage after draft).
    pub fn submitted(&self) -> usize {
        self.total - self.at(Stage::Draft)
    }
}

pub fn progress(sheets: &[Sheet], programmes: &[Programme]) -> Vec<DeptProgress> {
    let dept: BTreeMap<i64, i64> = programmes.iter().map(|p| (p.id, p.department_id)).collect();
    let mut out: BTreeMap<i64, DeptProgress> = BTreeMap::new();
    for s in sheets {
        let Some(d) = dept.get(&s.programme_id) else {
            continue;
        };
        let e = out.entry(*d).or_insert_with(|| DeptProgress {
            department_id: *d,
            ..Default::default()
        });
        *e.by_stage.entry(s.stage).or_default() += 1;
        e.total += 1;
    }
    out.into_values().collect()
}

/// Mails every staff member of each department that still has draft sheets. Returns how many
/// messages were queued.
pub async fn remind(app: &App, org: i64, actor: &Actor, tr: Tr, cycle: &Cycle) -> AppResult<usize> {
    let late: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT DISTINCT u.email, u.display_name, p.department_id FROM eval_sheets s \
         JOIN programmes p ON p.organization_id = s.organization_id AND p.id = s.programme_id \
         JOIN role_grants g ON g.organization_id = s.organization_id AND g.scope_id = p.department_id AND g.role IN ('staff', 'dept_manager') \
         JOIN users u ON u.organization_id = g.organization_id AND u.id = g.user_id \
         WHERE s.organization_id = $1 AND s.cycle_id = $2 AND s.stage = 'draft' AND u.disabled = 0",
    )
    .bind(org)
    .bind(cycle.id)
    .fetch_all(&app.db)
    .await?;
    let subject = tr.f(
        "eval.reminder_subject",
        &[&tr.fiscal_year(kyodo_jp::FiscalYear(cycle.fiscal_year as i32))],
    );
    let due = chrono::NaiveDate::parse_from_str(&cycle.sheets_due, "%Y-%m-%d")
        .map(|d| tr.date(d))
        .unwrap_or_else(|_| "—".into());
    let body = tr.f("eval.reminder_body", &[&due]);
    // The messages are queued with the audit entry: both or neither.
    let mut tx = app.begin_write().await?;
    for (email, name, _) in &late {
        app.mailer
            .enqueue(&mut tx, org, email, &subject, &format!("{name}\n\n{body}"))
            .await?;
    }
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "eval.remind",
            target_type: "eval_cycle",
            target_id: cycle.id.to_string(),
            before: None,
            after: Some(serde_json::json!({"messages": late.len()})),
        },
    )
    .await?;
    app.mailer.wake();
    Ok(late.len())
}

/// The open years whose sheets are due within `days` days from `today` (YYYY-MM-DD), or overdue:
/// what a daily `kyodo evaluation remind` reminds. Published years are done.
pub fn due_soon<'a>(cycles: &'a [Cycle], today: &str, days: i64) -> Vec<&'a Cycle> {
    let Ok(today) = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d") else {
        return Vec::new();
    };
    cycles
        .iter()
        .filter(|c| !c.published)
        .filter(|c| {
            chrono::NaiveDate::parse_from_str(&c.sheets_due, "%Y-%m-%d")
                .is_ok_and(|due| (due - today).num_days() <= days)
        })
        .collect()
}
