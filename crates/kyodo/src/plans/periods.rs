//! 報告期間 — reporting periods of a plan: yearly by default (due at the end of May after the year
//! closes, when settlement figures are known), quarterly when a city manages progress more closely.

use crate::db::new_id;
use sqlx::AnyConnection;

/// 「平成20年度 進捗状況」
pub fn yearly_label(year: i64) -> String {
    let era = kyodo_jp::FiscalYear(year as i32)
        .era()
        .map(|(e, n)| kyodo_jp::wareki::era_year_ja(e, n))
        .unwrap_or_else(|| year.to_string());
    format!("{era}年度 進捗状況")
}

/// Creates one period per fiscal year; returns (period id, year).
pub async fn create_yearly(
    conn: &mut AnyConnection,
    org: i64,
    plan: i64,
    first: i64,
    last: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for year in first..=last {
        let id = new_id();
        sqlx::query("INSERT INTO reporting_periods (organization_id, id, plan_id, fiscal_year, label, due_on) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(org)
            .bind(id)
            .bind(plan)
            .bind(year)
            .bind(yearly_label(year))
            .bind(format!("{}-05-31", year + 1))
            .execute(&mut *conn)
            .await?;
        out.push((id, year));
    }
    Ok(out)
}

/// Four quarterly periods of a fiscal year (April–June …, each due a month after it ends).
pub fn quarters(year: i64) -> [(String, String); 4] {
    let era = kyodo_jp::FiscalYear(year as i32)
        .era()
        .map(|(e, n)| kyodo_jp::wareki::era_year_ja(e, n))
        .unwrap_or_else(|| year.to_string());
    [
        (format!("{era}年度 第1四半期"), format!("{year}-07-31")),
        (format!("{era}年度 第2四半期"), format!("{year}-10-31")),
        (
            format!("{era}年度 第3四半期"),
            format!("{}-01-31", year + 1),
        ),
        (
            format!("{era}年度 第4四半期"),
            format!("{}-04-30", year + 1),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_use_the_era_of_the_fiscal_year() {
        assert_eq!(yearly_label(2008), "平成20年度 進捗状況");
        assert_eq!(yearly_label(2019), "令和元年度 進捗状況");
        assert_eq!(
            quarters(2025)[3],
            ("令和7年度 第4四半期".to_string(), "2026-04-30".to_string())
        );
    }
}
