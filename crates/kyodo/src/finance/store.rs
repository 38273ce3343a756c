//! Editions and their lines: written in one transaction (an edition imported again replaces the
//! one stored) with their sums by 款 and by 性質 (kept, so a page never sums 200,000 lines), listed.

use super::{Line, NewEdition, Side};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::flag::Flag;
use crate::db::{Db, new_id, now};

/// Lines per stored block (migration 0041: lines are read only whole, by edition in file order).
const BLOCK: usize = 1_000;

/// A block's lines as stored: a JSON array of `[side, 款, 項, 目, 節, 性質, 円]`.
fn block_json(lines: &[Line]) -> String {
    let rows: Vec<_> = lines
        .iter()
        .map(|l| {
            (
                l.side.word(),
                &l.kan,
                &l.kou,
                &l.moku,
                &l.setsu,
                &l.nature,
                l.amount,
            )
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Edition {
    pub id: i64,
    pub fiscal_year: i64,
    pub account: String,
    pub edition: String,
    #[sqlx(try_from = "Flag")]
    pub is_settlement: bool,
    #[sqlx(try_from = "Flag")]
    pub is_demo: bool,
    pub imported_at: String,
}

/// Every edition, newest year first, then 一般会計 first and 決算 after the budgets.
pub async fn editions(db: &Db, org: i64) -> sqlx::Result<Vec<Edition>> {
    sqlx::query_as(
        "SELECT id, fiscal_year, account, edition, is_settlement, is_demo, imported_at FROM fin_editions \
         WHERE organization_id = $1 ORDER BY fiscal_year DESC, account <> '一般会計', account, is_settlement DESC, edition",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

/// (name, 円) summed by 款 (or by 性質) for one side of an edition, largest first — the sums kept
/// when the edition was written (`fin_sums`).
pub async fn sums(
    db: &Db,
    org: i64,
    edition: i64,
    side: Side,
    by_nature: bool,
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT name, amount FROM fin_sums WHERE organization_id = $1 AND edition_id = $2 AND side = $3 \
         AND by_nature = $4 ORDER BY amount DESC, name",
    )
    .bind(org)
    .bind(edition)
    .bind(side.word())
    .bind(i64::from(by_nature))
    .fetch_all(db)
    .await
}

/// What the public budget page shows of an edition: expenditure by 款 and by 性質, revenue by 款.
pub struct EditionSums {
    pub purpose: Vec<(String, i64)>,
    pub nature: Vec<(String, i64)>,
    pub revenue: Vec<(String, i64)>,
}

/// An edition's [`EditionSums`], the three reads at once.
pub async fn edition_sums(db: &Db, org: i64, edition: i64) -> sqlx::Result<EditionSums> {
    let (purpose, nature, revenue) = tokio::try_join!(
        sums(db, org, edition, Side::Expenditure, false),
        sums(db, org, edition, Side::Expenditure, true),
        sums(db, org, edition, Side::Revenue, false),
    )?;
    Ok(EditionSums {
        purpose,
        nature,
        revenue,
    })
}

/// An edition's sums by 款 and by 性質 for each side: (side, by nature, name, 円).
fn sums_of(e: &NewEdition) -> Vec<(Side, bool, String, i64)> {
    let mut out: std::collections::HashMap<(&str, bool, &str), i64> = Default::default();
    for l in &e.lines {
        *out.entry((l.side.word(), false, l.kan.as_str()))
            .or_default() += l.amount;
        *out.entry((l.side.word(), true, l.nature.as_str()))
            .or_default() += l.amount;
    }
    out.into_iter()
        .map(|((side, by_nature, name), v)| {
            let side = if side == "revenue" {
                Side::Revenue
            } else {
                Side::Expenditure
            };
            (side, by_nature, name.to_string(), v)
        })
        .collect()
}

/// Every line of an edition in file order: (side, 款, 項, 目, 節, 性質, 円).
pub type LineRow = (String, String, String, String, String, String, i64);

pub async fn lines(db: &Db, org: i64, edition: i64) -> sqlx::Result<Vec<LineRow>> {
    let blocks: Vec<String> = sqlx::query_scalar(
        "SELECT lines_json FROM fin_line_blocks WHERE organization_id = $1 AND edition_id = $2 ORDER BY block_no",
    )
    .bind(org)
    .bind(edition)
    .fetch_all(db)
    .await?;
    let mut out = Vec::with_capacity(blocks.len() * BLOCK);
    for b in blocks {
        let rows: Vec<LineRow> =
            serde_json::from_str(&b).map_err(|e| sqlx::Error::Decode(e.into()))?;
        out.extend(rows);
    }
    Ok(out)
}

/// Writes the editions read from one file in one transaction: an edition already stored (same
/// year, 会計 and edition) is replaced, never duplicated. Returns how many lines were written.
pub async fn write(
    app: &App,
    org: i64,
    actor: &Actor,
    editions: &[NewEdition],
    is_demo: bool,
) -> anyhow::Result<usize> {
    let mut tx = app.begin_write().await?;
    let written = write_in(&mut tx, org, actor, editions, is_demo).await?;
    tx.commit().await?;
    Ok(written)
}

/// Writes editions in the caller's transaction (the command line writes many files in one).
pub async fn write_in(
    tx: &mut crate::db::write::WriteTx,
    org: i64,
    actor: &Actor,
    editions: &[NewEdition],
    is_demo: bool,
) -> anyhow::Result<usize> {
    if tx.backend_name() == "PostgreSQL" {
        // Blocks are large text, compressed by PostgreSQL as they are stored: lz4 does it several
        // times faster than the default pglz (this transaction only).
        sqlx::query("SET LOCAL default_toast_compression = 'lz4'")
            .execute(&mut **tx)
            .await?;
    }
    let mut written = 0;
    for e in editions {
        written += write_one(tx, org, actor, e, is_demo).await?;
    }
    Ok(written)
}

/// One edition, replacing the stored one of the same year, 会計 and edition; returns its lines.
async fn write_one(
    tx: &mut crate::db::write::WriteTx,
    org: i64,
    actor: &Actor,
    e: &NewEdition,
    is_demo: bool,
) -> anyhow::Result<usize> {
    {
        let old: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM fin_editions WHERE organization_id = $1 AND fiscal_year = $2 AND account = $3 AND edition = $4",
        )
        .bind(org)
        .bind(e.fiscal_year)
        .bind(&e.account)
        .bind(&e.edition)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(old) = old {
            for sql in [
                "DELETE FROM fin_sums WHERE organization_id = $1 AND edition_id = $2",
                "DELETE FROM fin_line_blocks WHERE organization_id = $1 AND edition_id = $2",
                "DELETE FROM fin_editions WHERE organization_id = $1 AND id = $2",
            ] {
                sqlx::query(sql)
                    .bind(org)
                    .bind(old)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO fin_editions (organization_id, id, fiscal_year, account, edition, is_settlement, is_demo, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(org)
        .bind(id)
        .bind(e.fiscal_year)
        .bind(&e.account)
        .bind(&e.edition)
        .bind(i64::from(e.is_settlement()))
        .bind(i64::from(is_demo))
        .bind(now())
        .execute(&mut **tx)
        .await?;
        for (n, block) in e.lines.chunks(BLOCK).enumerate() {
            sqlx::query(
                "INSERT INTO fin_line_blocks (organization_id, edition_id, block_no, lines_json) VALUES ($1, $2, $3, $4)",
            )
            .bind(org)
            .bind(id)
            .bind(n as i64)
            .bind(block_json(block))
            .execute(&mut **tx)
            .await?;
        }
        for (side, by_nature, name, amount) in sums_of(e) {
            sqlx::query(
                "INSERT INTO fin_sums (organization_id, edition_id, side, by_nature, name, amount) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(org)
            .bind(id)
            .bind(side.word())
            .bind(i64::from(by_nature))
            .bind(name)
            .bind(amount)
            .execute(&mut **tx)
            .await?;
        }
        audit::append(
            tx,
            org,
            actor,
            Change {
                action: "finance.import",
                target_type: "fin_edition",
                target_id: id.to_string(),
                before: old.map(|o| serde_json::json!({ "replaced": o })),
                after: Some(serde_json::json!({
                    "fiscal_year": e.fiscal_year, "account": e.account, "edition": e.edition,
                    "lines": e.lines.len(),
                })),
            },
        )
        .await?;
    }
    Ok(e.lines.len())
}

/// Moves the lines of editions imported before migration 0041 (rows of `fin_lines`) into blocks,
/// one edition per transaction; a no-op once they are moved. Run when the application starts.
pub async fn move_old_lines(app: &App) -> anyhow::Result<()> {
    let editions: Vec<(i64, i64)> =
        sqlx::query_as("SELECT DISTINCT organization_id, edition_id FROM fin_lines")
            .fetch_all(&app.db)
            .await?;
    for (org, edition) in editions {
        let mut tx = app.begin_write().await?;
        let rows: Vec<LineRow> = sqlx::query_as(
            "SELECT side, kan, kou, moku, setsu, nature, amount FROM fin_lines \
             WHERE organization_id = $1 AND edition_id = $2 ORDER BY line_no",
        )
        .bind(org)
        .bind(edition)
        .fetch_all(&mut *tx)
        .await?;
        for (n, block) in rows.chunks(BLOCK).enumerate() {
            sqlx::query(
                "INSERT INTO fin_line_blocks (organization_id, edition_id, block_no, lines_json) VALUES ($1, $2, $3, $4)",
            )
            .bind(org)
            .bind(edition)
            .bind(n as i64)
            .bind(serde_json::to_string(block)?)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM fin_lines WHERE organization_id = $1 AND edition_id = $2")
            .bind(org)
            .bind(edition)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}
