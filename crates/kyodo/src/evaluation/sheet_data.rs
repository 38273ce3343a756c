//! `SheetData`: every row stored about a set of sheets (one cycle's or one programme's), read with
//! one query per table and kept sorted by sheet, so a page finds one sheet's rows by binary search.

use super::store::{CostRow, PUBLIC_SHEET, STAFF_SHEET, Scope, Score, Sheet, StaffRow, Verdict};
use crate::db::Db;
use crate::evaluation::stage::{REVIEW_STAGES, Stage};

/// Everything stored about a set of sheets.
#[derive(Debug, Default)]
pub struct SheetData {
    pub sheets: Vec<Sheet>,
    pub costs: Vec<CostRow>,
    pub staffing: Vec<StaffRow>,
    pub verdicts: Vec<Verdict>,
    pub scores: Vec<Score>,
}

impl SheetData {
    pub async fn load(db: &Db, org: i64, scope: Scope, public: bool) -> sqlx::Result<Self> {
        let cols = if public { PUBLIC_SHEET } else { STAFF_SHEET };
        let q = |sql: String| sqlx::AssertSqlSafe(sql);
        let sheets = sqlx::query_as(q(format!(
            "SELECT {cols} FROM eval_sheets WHERE organization_id = $1 AND {}",
            scope.sheet_filter()
        )))
        .bind(org)
        .bind(scope.id())
        .fetch_all(db)
        .await?;
        let costs = sqlx::query_as(q(
            scope.child_sql("sheet_id, col, source, amount", "eval_costs")
        ))
        .bind(org)
        .bind(scope.id())
        .fetch_all(db)
        .await?;
        let staffing = sqlx::query_as(q(
            scope.child_sql("sheet_id, col, category, fte", "eval_staffing")
        ))
        .bind(org)
        .bind(scope.id())
        .fetch_all(db)
        .await?;
        let verdicts = sqlx::query_as(q(scope.child_sql(
            "sheet_id, stage, operator, direction, reason, improvement, decided_at",
            "eval_verdicts",
        )))
        .bind(org)
        .bind(scope.id())
        .fetch_all(db)
        .await?;
        let scores = sqlx::query_as(q(
            scope.child_sql("sheet_id, stage, criterion, score, reason", "eval_scores")
        ))
        .bind(org)
        .bind(scope.id())
        .fetch_all(db)
        .await?;
        let mut d = Self {
            sheets,
            costs,
            staffing,
            verdicts,
            scores,
        };
        d.index();
        Ok(d)
    }

    /// Sorts the child rows by sheet, so each sheet's rows are found by binary search: a year of
    /// 1,000 programmes would otherwise cost millions of comparisons per page.
    pub fn index(&mut self) {
        self.costs.sort_by_key(|c| c.sheet_id);
        self.staffing.sort_by_key(|c| c.sheet_id);
        self.verdicts.sort_by_key(|c| c.sheet_id);
        self.scores.sort_by_key(|c| c.sheet_id);
    }

    pub fn sheet(&self, id: i64) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.id == id)
    }
    pub fn costs_of(&self, sheet: i64) -> Vec<&CostRow> {
        of_sheet(&self.costs, sheet, |c| c.sheet_id)
            .iter()
            .collect()
    }
    pub fn staffing_of(&self, sheet: i64) -> Vec<&StaffRow> {
        of_sheet(&self.staffing, sheet, |c| c.sheet_id)
            .iter()
            .collect()
    }
    pub fn verdict(&self, sheet: i64, stage: Stage) -> Option<&Verdict> {
        of_sheet(&self.verdicts, sheet, |v| v.sheet_id)
            .iter()
            .find(|v| v.stage == stage)
    }
    /// The most advanced verdict so far (final, else external, second, first).
    pub fn latest_verdict(&self, sheet: i64) -> Option<&Verdict> {
        REVIEW_STAGES
            .iter()
            .rev()
            .find_map(|st| self.verdict(sheet, *st))
    }
    pub fn scores_of(&self, sheet: i64, stage: Stage) -> Vec<&Score> {
        of_sheet(&self.scores, sheet, |s| s.sheet_id)
            .iter()
            .filter(|s| s.stage == stage)
            .collect()
    }
}

/// The rows of one sheet among rows sorted by sheet id.
fn of_sheet<T>(rows: &[T], sheet: i64, key: impl Fn(&T) -> i64) -> &[T] {
    let start = rows.partition_point(|r| key(r) < sheet);
    let end = start + rows[start..].partition_point(|r| key(r) == sheet);
    &rows[start..end]
}
