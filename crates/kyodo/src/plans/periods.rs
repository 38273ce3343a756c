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

/// Renames a period and moves its deadline. `due` is typed as 2026-05-31 or 令和8年5月31日; errors
/// name the fields `label-<id>` and `due_on-<id>` (one form per period on the page).
pub async fn update(
    app: &crate::app::App,
    org: i64,
    actor: i64,
    period: i64,
    label: &str,
    due: &str,
) -> crate::error::AppResult<()> {
    let mut errs = crate::validation::FieldErrors::default();
    let label = errs.text(&format!("label-{period}"), label, 100);
    let due = kyodo_jp::wareki::parse_date(due.trim()).ok();
    if due.is_none() {
        errs.add(&format!("due_on-{period}"), "field.bad_date");
    }
    errs.into_result()?;
    let due = due.map(|d| d.to_string()).unwrap_or_default();
    let mut tx = app.begin_write().await?;
    let done = sqlx::query("UPDATE reporting_periods SET label = $1, due_on = $2 WHERE organization_id = $3 AND id = $4")
        .bind(&label).bind(&due).bind(org).bind(period).execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        return Err(crate::error::AppError::NotFound);
    }
    crate::audit::record_and_commit(
        tx,
        org,
        &crate::audit::Actor::user(actor),
        crate::audit::Change {
            action: "period.update",
            target_type: "reporting_period",
            target_id: period.to_string(),
            before: None,
            after: Some(serde_json::json!({"label": label, "due_on": due})),
        },
    )
    .await?;
    Ok(())
}

/// Adds the four quarterly periods of a fiscal year of the plan.
pub async fn add_quarters(
    app: &crate::app::App,
    org: i64,
    actor: i64,
    plan: i64,
    year: &str,
) -> crate::error::AppResult<()> {
    let p = super::store::plan(&app.db, org, plan)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let Some(year) = year
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (p.first_year..=p.last_year).contains(y))
    else {
        let mut errs = crate::validation::FieldErrors::default();
        errs.add("year", "field.bad_choice");
        return Err(crate::error::AppError::Invalid(errs));
    };
    let mut tx = app.begin_write().await?;
    for (label, due) in quarters(year) {
        sqlx::query("INSERT INTO reporting_periods (organization_id, id, plan_id, fiscal_year, label, due_on) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(org).bind(new_id()).bind(plan).bind(year).bind(label).bind(due).execute(&mut *tx).await?;
    }
    crate::audit::record_and_commit(
        tx,
        org,
        &crate::audit::Actor::user(actor),
        crate::audit::Change {
            action: "period.quarters",
            target_type: "plan",
            target_id: plan.to_string(),
            before: None,
            after: Some(serde_json::json!({"fiscal_year": year})),
        },
    )
    .await?;
    Ok(())
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
