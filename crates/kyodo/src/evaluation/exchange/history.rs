//! History years: year blocks of years before the sheet's own columns fill the programme's
//! earlier sheets. A missing year is created (not published) and a missing sheet is created as
//! decided (`final`, so nobody edits it as this year's work); an existing sheet only gets the
//! columns it does not have yet. A column it already has is never overwritten: when the
//! workbook's total differs, the row is flagged with both numbers and the registered one stays.

use super::blocks::Slot;
use super::import::Row;
use super::lookup::Lookup;
use crate::db::{Db, new_id};
use crate::evaluation::costs;
use crate::evaluation::stage::Stage;
use crate::evaluation::store::{CostRow, StaffRow, UnitCost};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An earlier sheet as registered: the total of each column it has figures for.
#[derive(Debug, Default)]
pub struct Earlier {
    pub totals: BTreeMap<String, i64>,
}

/// (programme id, sheet fiscal year) → the registered sheet.
pub type Existing = HashMap<(i64, i64), Earlier>;

/// The organization's sheets of years before `fiscal_year` with their column totals.
pub async fn existing(
    db: &Db,
    org: i64,
    fiscal_year: i64,
    units: &[UnitCost],
) -> sqlx::Result<Existing> {
    let within = "SELECT s.id FROM eval_sheets s JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id \
                  WHERE s.organization_id = $1 AND c.fiscal_year < $2";
    let (sheets, costs, staffing) = tokio::try_join!(
        sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT s.id, s.programme_id, c.fiscal_year FROM eval_sheets s JOIN eval_cycles c ON c.organization_id = s.organization_id AND c.id = s.cycle_id \
             WHERE s.organization_id = $1 AND c.fiscal_year < $2",
        )
        .bind(org)
        .bind(fiscal_year)
        .fetch_all(db),
        sqlx::query_as::<_, CostRow>(sqlx::AssertSqlSafe(format!(
            "SELECT sheet_id, col, source, amount FROM eval_costs WHERE organization_id = $1 AND sheet_id IN ({within})"
        )))
        .bind(org)
        .bind(fiscal_year)
        .fetch_all(db),
        sqlx::query_as::<_, StaffRow>(sqlx::AssertSqlSafe(format!(
            "SELECT sheet_id, col, category, fte FROM eval_staffing WHERE organization_id = $1 AND sheet_id IN ({within})"
        )))
        .bind(org)
        .bind(fiscal_year)
        .fetch_all(db),
    )?;
    let mut by_sheet: HashMap<i64, (Vec<&CostRow>, Vec<&StaffRow>)> = HashMap::new();
    for c in &costs {
        by_sheet.entry(c.sheet_id).or_default().0.push(c);
    }
    for s in &staffing {
        by_sheet.entry(s.sheet_id).or_default().1.push(s);
    }
    let mut out = Existing::new();
    for (sheet, programme, year) in sheets {
        let (c, s) = by_sheet.remove(&sheet).unwrap_or_default();
        let totals = costs::columns(year, &c, &s, units)
            .into_iter()
            .filter(|t| c.iter().any(|x| x.col == t.col) || s.iter().any(|x| x.col == t.col))
            .map(|t| (t.col.to_string(), t.total))
            .collect();
        out.insert((programme, year), Earlier { totals });
    }
    Ok(out)
}

/// A row's history columns with their totals as computed, in slot order.
pub fn slots(l: &Lookup<'_>, row: &Row) -> Vec<(Slot, i64)> {
    let years: BTreeSet<i64> = row
        .history_costs
        .iter()
        .map(|x| x.0.year)
        .chain(row.history_staffing.iter().map(|x| x.0.year))
        .collect();
    let mut out = Vec::new();
    for year in years {
        let c: Vec<CostRow> = row
            .history_costs
            .iter()
            .filter(|x| x.0.year == year)
            .map(|(slot, source, amount)| CostRow {
                sheet_id: 0,
                col: slot.col.to_string(),
                source: source.clone(),
                amount: *amount,
            })
            .collect();
        let s: Vec<StaffRow> = row
            .history_staffing
            .iter()
            .filter(|x| x.0.year == year)
            .map(|(slot, category, fte)| StaffRow {
                sheet_id: 0,
                col: slot.col.to_string(),
                category: category.clone(),
                fte: *fte,
            })
            .collect();
        let (c, s): (Vec<&CostRow>, Vec<&StaffRow>) = (c.iter().collect(), s.iter().collect());
        for t in costs::columns(year, &c, &s, l.units) {
            if c.iter().any(|x| x.col == t.col) || s.iter().any(|x| x.col == t.col) {
                out.push((Slot { year, col: t.col }, t.total));
            }
        }
    }
    out
}

/// What the import does with one history column of a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The year's sheet does not exist: it is created, decided.
    NewSheet,
    /// The sheet exists without this column: the column is filled.
    Fill,
    /// The sheet has the column already: it stays as registered (`Some(total)` when it differs).
    Kept(Option<i64>),
}

/// The outcome for a slot of programme `programme` (`None`: a new programme).
pub fn outcome(l: &Lookup<'_>, programme: Option<i64>, slot: Slot, total: i64) -> Outcome {
    match programme.and_then(|p| l.history.get(&(p, slot.year))) {
        None => Outcome::NewSheet,
        Some(e) => match e.totals.get(slot.col) {
            None => Outcome::Fill,
            Some(old) => Outcome::Kept((*old != total).then_some(*old)),
        },
    }
}

/// Writes a row's history into the programme's earlier sheets (inside the import's transaction).
pub async fn write(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    programme: i64,
    row: &Row,
    at: &str,
) -> sqlx::Result<usize> {
    let years: BTreeSet<i64> = row
        .history_costs
        .iter()
        .map(|x| x.0.year)
        .chain(row.history_staffing.iter().map(|x| x.0.year))
        .collect();
    let mut written = 0;
    for year in years {
        let cycle = cycle_of(tx, org, year, at).await?;
        let sheet: Option<i64> = sqlx::query_scalar("SELECT id FROM eval_sheets WHERE organization_id = $1 AND cycle_id = $2 AND programme_id = $3")
            .bind(org)
            .bind(cycle)
            .bind(programme)
            .fetch_optional(&mut *tx)
            .await?;
        let sheet = match sheet {
            Some(s) => s,
            None => {
                let s = new_id();
                sqlx::query("INSERT INTO eval_sheets (organization_id, id, cycle_id, programme_id, stage, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(org)
                    .bind(s)
                    .bind(cycle)
                    .bind(programme)
                    .bind(Stage::Final.as_str())
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                s
            }
        };
        let present: Vec<String> = sqlx::query_scalar(
            "SELECT col FROM eval_costs WHERE organization_id = $1 AND sheet_id = $2 \
             UNION SELECT col FROM eval_staffing WHERE organization_id = $1 AND sheet_id = $2",
        )
        .bind(org)
        .bind(sheet)
        .fetch_all(&mut *tx)
        .await?;
        let free = |slot: &Slot| slot.year == year && !present.iter().any(|c| c == slot.col);
        for (slot, source, amount) in row.history_costs.iter().filter(|x| free(&x.0)) {
            sqlx::query("INSERT INTO eval_costs (organization_id, sheet_id, col, source, amount) VALUES ($1, $2, $3, $4, $5)")
                .bind(org)
                .bind(sheet)
                .bind(slot.col)
                .bind(source)
                .bind(amount)
                .execute(&mut *tx)
                .await?;
            written += 1;
        }
        for (slot, category, fte) in row.history_staffing.iter().filter(|x| free(&x.0)) {
            sqlx::query("INSERT INTO eval_staffing (organization_id, sheet_id, col, category, fte) VALUES ($1, $2, $3, $4, $5)")
                .bind(org)
                .bind(sheet)
                .bind(slot.col)
                .bind(category)
                .bind(fte)
                .execute(&mut *tx)
                .await?;
            written += 1;
        }
    }
    Ok(written)
}

/// The evaluation year `year`, created (not published) when the organization has none.
async fn cycle_of(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    year: i64,
    at: &str,
) -> sqlx::Result<i64> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM eval_cycles WHERE organization_id = $1 AND fiscal_year = $2",
    )
    .bind(org)
    .bind(year)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = found {
        return Ok(id);
    }
    let id = new_id();
    sqlx::query("INSERT INTO eval_cycles (organization_id, id, fiscal_year, created_at) VALUES ($1, $2, $3, $4)")
        .bind(org)
        .bind(id)
        .bind(year)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    Ok(id)
}
