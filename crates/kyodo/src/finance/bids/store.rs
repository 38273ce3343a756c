//! Tenders: written in one transaction (a tender imported again, by 案件番号, replaces the stored
//! one), searched with filters and paging, one tender with its bids, and the 落札率 distribution
//! counted by the database.

use super::{Method, NewBid};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::db::flag::Flag;
use crate::db::{Db, new_id, now};
use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;

/// Tenders per page of the list.
pub const PAGE: i64 = 50;

/// The filters of the list, as the page's query gives them (empty: any).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub year: Option<i64>,
    pub kind: String,
    pub method: Option<Method>,
    /// A substring of the 件名 or the 落札者.
    pub text: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Bid {
    pub id: i64,
    pub case_no: String,
    pub title: String,
    pub kind: String,
    pub method: String,
    pub department: String,
    pub opened_on: String,
    pub planned_price: Option<i64>,
    pub winner: String,
    pub amount: Option<i64>,
    pub rate_pm: Option<i64>,
    pub bidders: i64,
    #[sqlx(try_from = "Flag")]
    pub is_demo: bool,
}

const COLUMNS: &str = "id, case_no, title, kind, method, department, opened_on, planned_price, winner, amount, rate_pm, bidders, is_demo";

/// `LIKE` pattern for a substring, with the wildcards in it escaped.
fn like(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A page of tenders matching the filter, newest first, and how many match in all.
/// The filter's condition. Each part is always present and switched off by its own parameter, so
/// the statement's text never depends on the input.
const COND: &str = "organization_id = $1 AND ($2 = 0 OR fiscal_year = $3) AND ($4 = '' OR kind = $4) \
                AND ($5 = '' OR method = $5) AND ($6 = '' OR title LIKE $7 ESCAPE '\\' OR winner LIKE $7 ESCAPE '\\')";

/// Binds [`COND`]'s seven parameters, in its order, for `org` and the filter.
fn bind_filter<'q, O>(
    q: QueryAs<'q, sqlx::Any, O, AnyArguments>,
    org: i64,
    f: &'q Filter,
) -> QueryAs<'q, sqlx::Any, O, AnyArguments> {
    q.bind(org)
        .bind(i64::from(f.year.is_some()))
        .bind(f.year.unwrap_or(0))
        .bind(&f.kind)
        .bind(f.method.map_or("", Method::word))
        .bind(&f.text)
        .bind(like(&f.text))
}

/// Every tender the filter matches, newest first (the API pages them by cursor).
pub async fn matching(db: &Db, org: i64, f: &Filter) -> sqlx::Result<Vec<Bid>> {
    let q = sqlx::query_as::<_, Bid>(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM fin_bids WHERE {COND} ORDER BY opened_on DESC, case_no"
    )));
    bind_filter(q, org, f).fetch_all(db).await
}

/// `known_total`: how many match when the caller knows it already (every tender, from
/// [`Facets::total`]), which saves the count.
pub async fn search(
    db: &Db,
    org: i64,
    f: &Filter,
    page: i64,
    known_total: Option<i64>,
) -> sqlx::Result<(Vec<Bid>, i64)> {
    let count = async {
        if let Some(total) = known_total {
            return Ok(total);
        }
        let q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM fin_bids WHERE {COND}"
        )));
        Ok(bind_filter(q, org, f).fetch_one(db).await?.0)
    };
    let rows = sqlx::query_as::<_, Bid>(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM fin_bids WHERE {COND} ORDER BY opened_on DESC, case_no LIMIT $8 OFFSET $9"
    )));
    let rows = bind_filter(rows, org, f)
        .bind(PAGE)
        .bind(page.max(0) * PAGE)
        .fetch_all(db);
    tokio::try_join!(rows, count)
}

/// Every tender, newest first (the open-data list).
pub async fn all(db: &Db, org: i64) -> sqlx::Result<Vec<Bid>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM fin_bids WHERE organization_id = $1 ORDER BY opened_on DESC, case_no"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// One tender and its bids: (bidder, 円 or 辞退, result).
pub async fn one(
    db: &Db,
    org: i64,
    id: i64,
) -> sqlx::Result<Option<(Bid, Vec<(String, Option<i64>, String)>)>> {
    let bid: Option<Bid> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM fin_bids WHERE organization_id = $1 AND id = $2"
    )))
    .bind(org)
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some(bid) = bid else { return Ok(None) };
    let entries = sqlx::query_as(
        "SELECT bidder, amount, result FROM fin_bid_entries WHERE organization_id = $1 AND bid_id = $2 ORDER BY entry_no",
    )
    .bind(org)
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(Some((bid, entries)))
}

/// The years and 種別 that have tenders, for the filters.
pub async fn choices(db: &Db, org: i64) -> sqlx::Result<(Vec<i64>, Vec<String>)> {
    tokio::try_join!(
        sqlx::query_scalar("SELECT DISTINCT fiscal_year FROM fin_bids WHERE organization_id = $1 ORDER BY fiscal_year DESC")
            .bind(org)
            .fetch_all(db),
        sqlx::query_scalar("SELECT DISTINCT kind FROM fin_bids WHERE organization_id = $1 AND kind <> '' ORDER BY kind")
            .bind(org)
            .fetch_all(db),
    )
}

/// What the list shows beside its page of tenders: the years and 種別 to choose from and the
/// 落札率 distribution.
pub struct Facets {
    /// How many tenders in all.
    pub total: i64,
    pub years: Vec<i64>,
    pub kinds: Vec<String>,
    pub distribution: Vec<(i64, String, i64, i64, i64)>,
}

/// The count of every tender, [`choices`] and [`distribution`] together.
pub async fn facets(db: &Db, org: i64) -> sqlx::Result<Facets> {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM fin_bids WHERE organization_id = $1")
        .bind(org)
        .fetch_one(db);
    let (total, (years, kinds), distribution) =
        tokio::try_join!(total, choices(db, org), distribution(db, org))?;
    Ok(Facets {
        total,
        years,
        kinds,
        distribution,
    })
}

/// The bins of the 落札率 distribution, in permille: below 80 %, then 5-point steps to 100 %.
pub const BINS: [(i64, i64); 5] = [(0, 800), (800, 850), (850, 900), (900, 950), (950, 100_000)];

/// Competitive tenders with a rate, by (fiscal year, 種別, bin): how many and the sum of their
/// rates in permille (for the mean).
pub async fn distribution(db: &Db, org: i64) -> sqlx::Result<Vec<(i64, String, i64, i64, i64)>> {
    const BIN: &str = "CAST(CASE WHEN rate_pm < 800 THEN 0 WHEN rate_pm < 850 THEN 1 WHEN rate_pm < 900 THEN 2 \
                       WHEN rate_pm < 950 THEN 3 ELSE 4 END AS BIGINT)";
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT fiscal_year, kind, {BIN}, COUNT(*), CAST(SUM(rate_pm) AS BIGINT) FROM fin_bids \
         WHERE organization_id = $1 AND rate_pm IS NOT NULL AND method <> 'negotiated' \
         GROUP BY fiscal_year, kind, {BIN} ORDER BY fiscal_year, kind"
    )))
    .bind(org)
    .fetch_all(db)
    .await
}

/// Writes the tenders read from one file in one transaction; returns how many.
pub async fn write(
    app: &App,
    org: i64,
    actor: &Actor,
    bids: &[NewBid],
    is_demo: bool,
) -> anyhow::Result<usize> {
    let mut tx = app.begin_write().await?;
    let mut replaced = 0;
    for b in bids {
        let old: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM fin_bids WHERE organization_id = $1 AND case_no = $2",
        )
        .bind(org)
        .bind(&b.case_no)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(old) = old {
            replaced += 1;
            for sql in [
                "DELETE FROM fin_bid_entries WHERE organization_id = $1 AND bid_id = $2",
                "DELETE FROM fin_bids WHERE organization_id = $1 AND id = $2",
            ] {
                sqlx::query(sql)
                    .bind(org)
                    .bind(old)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let id = new_id();
        let fiscal_year = kyodo_jp::FiscalYear::containing(b.opened_on, 4).0;
        sqlx::query(
            "INSERT INTO fin_bids (organization_id, id, case_no, title, kind, method, department, opened_on, fiscal_year, \
             planned_price, winner, amount, rate_pm, bidders, is_demo, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(org)
        .bind(id)
        .bind(&b.case_no)
        .bind(&b.title)
        .bind(&b.kind)
        .bind(b.method.word())
        .bind(&b.department)
        .bind(b.opened_on.to_string())
        .bind(i64::from(fiscal_year))
        .bind(b.planned_price)
        .bind(&b.winner)
        .bind(b.amount)
        .bind(b.rate_pm())
        .bind(b.bidders)
        .bind(i64::from(is_demo))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        for (n, e) in b.entries.iter().enumerate() {
            sqlx::query(
                "INSERT INTO fin_bid_entries (organization_id, bid_id, entry_no, bidder, amount, result) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(org)
            .bind(id)
            .bind(n as i64)
            .bind(&e.bidder)
            .bind(e.amount)
            .bind(&e.result)
            .execute(&mut *tx)
            .await?;
        }
    }
    audit::append(
        &mut tx,
        org,
        actor,
        Change {
            action: "finance.bids_import",
            target_type: "fin_bids",
            target_id: String::new(),
            before: None,
            after: Some(serde_json::json!({ "tenders": bids.len(), "replaced": replaced })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(bids.len())
}
