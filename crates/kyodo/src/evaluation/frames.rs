//! 枠配分 — budget frames. The HQ sets each department's general-revenue frame (一般財源, 千円) for
//! a budget year; the department's requests within it are its programmes' next-budget 一般財源 on
//! the sheets of the year before, shown beside each programme's verdict so the reallocation that
//! evaluation calls for is visible. Totals are sums of the requests, never stored.

use super::costs;
use super::sheet_data::SheetData;
use super::store;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::evaluation::stage::Stage;
use crate::validation::FieldErrors;

/// One programme's request inside a frame.
#[derive(Debug, Clone)]
pub struct Request {
    pub programme_id: i64,
    pub code: String,
    pub name: String,
    pub sheet_id: i64,
    /// 一般財源 asked for the budget year.
    pub general: i64,
    /// 一般財源 of the current budget, for the change.
    pub current: i64,
    pub direction: String,
    pub stage: Stage,
}

#[derive(Debug, Clone)]
pub struct DeptFrame {
    pub department_id: i64,
    pub frame: Option<i64>,
    pub requests: Vec<Request>,
}

impl DeptFrame {
    pub fn requested(&self) -> i64 {
        self.requests.iter().map(|r| r.general).sum()
    }
    pub fn current(&self) -> i64 {
        self.requests.iter().map(|r| r.current).sum()
    }
    /// Frame − requests: negative when the department asks for more than its frame.
    pub fn margin(&self) -> Option<i64> {
        self.frame.map(|f| f - self.requested())
    }
}

/// Frames and requests for `budget_year`, for the given departments (all when `None`).
pub async fn for_year(
    db: &Db,
    org: i64,
    budget_year: i64,
    departments: Option<&[i64]>,
) -> AppResult<Vec<DeptFrame>> {
    let frames: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT department_id, frame FROM budget_frames WHERE organization_id = $1 AND fiscal_year = $2",
    )
    .bind(org)
    .bind(budget_year)
    .fetch_all(db)
    .await?;
    let cycle = store::cycles(db, org)
        .await?
        .into_iter()
        .find(|c| c.fiscal_year == budget_year - 1);
    let programmes = store::programmes(db, org).await?;
    let data = match &cycle {
        Some(c) => SheetData::load(db, org, store::Scope::Cycle(c.id), false).await?,
        None => SheetData::default(),
    };
    let mut out: Vec<DeptFrame> = Vec::new();
    let wanted = |d: i64| departments.is_none_or(|ds| ds.contains(&d));
    for (d, f) in &frames {
        if wanted(*d) {
            out.push(DeptFrame {
                department_id: *d,
                frame: Some(*f),
                requests: Vec::new(),
            });
        }
    }
    for s in &data.sheets {
        let Some(p) = programmes.iter().find(|p| p.id == s.programme_id) else {
            continue;
        };
        if !wanted(p.department_id) {
            continue;
        }
        let general = |col: &str| {
            data.costs_of(s.id)
                .iter()
                .filter(|c| c.col == col && c.source == costs::GENERAL)
                .map(|c| c.amount)
                .sum::<i64>()
        };
        let req = Request {
            programme_id: p.id,
            code: p.code.clone(),
            name: p.name.clone(),
            sheet_id: s.id,
            general: general("next_budget"),
            current: general("budget"),
            direction: data
                .latest_verdict(s.id)
                .map(|v| v.direction.clone())
                .unwrap_or_default(),
            stage: s.stage,
        };
        match out.iter_mut().find(|f| f.department_id == p.department_id) {
            Some(f) => f.requests.push(req),
            None => out.push(DeptFrame {
                department_id: p.department_id,
                frame: None,
                requests: vec![req],
            }),
        }
    }
    for f in &mut out {
        f.requests.sort_by(|a, b| a.code.cmp(&b.code));
    }
    out.sort_by_key(|f| f.department_id);
    Ok(out)
}

/// Sets a department's frame for a budget year (HQ).
pub async fn set(
    app: &App,
    org: i64,
    actor: i64,
    department: i64,
    year: i64,
    raw: &str,
) -> AppResult<()> {
    let mut errs = FieldErrors::default();
    let field = format!("frame-{department}");
    let amount = match errs.amount(&field, raw) {
        Some(v) if v >= 0 => Some(v),
        Some(_) => {
            errs.add(&field, "eval.amount_range");
            None
        }
        None => {
            if errs.is_empty() {
                errs.add(&field, "field.required");
            }
            None
        }
    };
    errs.into_result()?;
    let amount = amount.unwrap_or_default();
    crate::accounts::departments::get(&app.db, org, department)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO budget_frames (organization_id, department_id, fiscal_year, frame) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (organization_id, department_id, fiscal_year) DO UPDATE SET frame = excluded.frame")
        .bind(org)
        .bind(department)
        .bind(year)
        .bind(amount)
        .execute(&mut *tx)
        .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "eval.frame",
            target_type: "department",
            target_id: department.to_string(),
            before: None,
            after: Some(serde_json::json!({"fiscal_year": year, "frame": amount})),
        },
    )
    .await?;
    Ok(())
}
