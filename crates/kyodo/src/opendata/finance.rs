//! The finances' datasets: every budget and settlement edition, and every set of financial
//! statements (統一的な基準), each with its lines as CSV, the fiscal indicators and every edition of
//! the medium-term fiscal outlook, and the bidding results.

use super::sources::{res, tags, title};
use super::{Dataset, Frequency, ckan_time};
use crate::db::Db;
use crate::db::flag::Flag;
use crate::i18n::{Tr, fy};
use sha2::Digest;

/// (id, fiscal year, 会計, edition, demonstration, imported at)
type BudgetRow = (i64, i64, String, String, Flag, String);
/// (id, fiscal year, scope, demonstration, imported at)
type StatementRow = (i64, i64, String, Flag, String);

pub async fn datasets(db: &Db, org: i64, t: Tr) -> sqlx::Result<Vec<Dataset>> {
    let (budgets, statements, indicators, outlooks, bids) = tokio::try_join!(
        sqlx::query_as::<_, BudgetRow>(
            "SELECT id, fiscal_year, account, edition, is_demo, imported_at FROM fin_editions \
             WHERE organization_id = $1 ORDER BY fiscal_year DESC, account, edition",
        )
        .bind(org)
        .fetch_all(db),
        sqlx::query_as::<_, StatementRow>(
            "SELECT id, fiscal_year, scope, is_demo, imported_at FROM fin_statement_sets \
             WHERE organization_id = $1 ORDER BY fiscal_year DESC, scope",
        )
        .bind(org)
        .fetch_all(db),
        sqlx::query_as::<_, (i64, Flag, Option<String>, Option<String>)>(
            "SELECT COUNT(*), COALESCE(MAX(is_demo), 0), MIN(updated_at), MAX(updated_at) FROM fin_indicator_values WHERE organization_id = $1",
        )
        .bind(org)
        .fetch_one(db),
        sqlx::query_as::<_, (i64, i64, Flag, String)>(
            "SELECT id, made_in, is_demo, imported_at FROM fin_outlooks WHERE organization_id = $1 ORDER BY made_in DESC",
        )
        .bind(org)
        .fetch_all(db),
        sqlx::query_as::<_, (i64, Flag, Option<String>, Option<String>)>(
            "SELECT COUNT(*), COALESCE(MAX(is_demo), 0), MIN(imported_at), MAX(imported_at) FROM fin_bids WHERE organization_id = $1",
        )
        .bind(org)
        .fetch_one(db),
    )?;
    let mut out = Vec::new();
    for (id, year, account, edition, demo, imported) in budgets {
        // Named by year, 会計 and edition (not the row id), so a re-import keeps the dataset.
        let digest = sha2::Sha256::digest(format!("{account}|{edition}").as_bytes());
        let tag: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        out.push(Dataset {
            name: format!("budget-{year}-{tag}"),
            title: title(
                t,
                bool::from(demo),
                format!("{} {account} {edition}", fy(t, year)),
            ),
            notes: t.t("opendata.budget_notes").to_string(),
            tags: tags(t, &["opendata.tag_finance"]),
            frequency: Frequency::Annual,
            landing: format!("/finance?edition={id}"),
            created: ckan_time(&imported),
            modified: ckan_time(&imported),
            is_demo: bool::from(demo),
            resources: vec![res(
                "opendata.res_budget_csv",
                "CSV",
                format!("/finance/editions/{id}/lines.csv"),
            )],
        });
    }
    for (id, year, scope, demo, imported) in statements {
        // Named by year and scope, so a re-import keeps the dataset.
        let digest = sha2::Sha256::digest(scope.as_bytes());
        let tag: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        out.push(Dataset {
            name: format!("statements-{year}-{tag}"),
            title: title(
                t,
                bool::from(demo),
                t.f("opendata.statements_title", &[&fy(t, year), &scope]),
            ),
            notes: t.t("opendata.statements_notes").to_string(),
            tags: tags(t, &["opendata.tag_finance"]),
            frequency: Frequency::Annual,
            landing: format!("/finance/statements?set={id}"),
            created: ckan_time(&imported),
            modified: ckan_time(&imported),
            is_demo: bool::from(demo),
            resources: vec![res(
                "opendata.res_statements_csv",
                "CSV",
                format!("/finance/statements/{id}/lines.csv"),
            )],
        });
    }
    if indicators.0 > 0 {
        out.push(Dataset {
            name: "fiscal-indicators".into(),
            title: title(t, bool::from(indicators.1), t.t("fix.title").to_string()),
            notes: t.t("opendata.indicators_notes").to_string(),
            tags: tags(t, &["opendata.tag_finance"]),
            frequency: Frequency::Annual,
            landing: "/finance/indicators".into(),
            created: ckan_time(indicators.2.as_deref().unwrap_or_default()),
            modified: ckan_time(indicators.3.as_deref().unwrap_or_default()),
            is_demo: bool::from(indicators.1),
            resources: vec![res(
                "opendata.res_indicators_csv",
                "CSV",
                "/finance/indicators.csv".into(),
            )],
        });
    }
    for (id, made_in, demo, imported) in outlooks {
        out.push(Dataset {
            // One edition a year: named by the year it was made in, kept across re-imports.
            name: format!("fiscal-outlook-{made_in}"),
            title: title(
                t,
                bool::from(demo),
                t.f("opendata.outlook_title", &[&fy(t, made_in)]),
            ),
            notes: t.t("opendata.outlook_notes").to_string(),
            tags: tags(t, &["opendata.tag_finance"]),
            frequency: Frequency::Annual,
            landing: format!("/finance/outlook?edition={id}"),
            created: ckan_time(&imported),
            modified: ckan_time(&imported),
            is_demo: bool::from(demo),
            resources: vec![res(
                "opendata.res_outlook_csv",
                "CSV",
                format!("/finance/outlook/{id}/lines.csv"),
            )],
        });
    }
    if bids.0 > 0 {
        out.push(Dataset {
            name: "bids".into(),
            title: title(t, bool::from(bids.1), t.t("bids.title").to_string()),
            notes: t.t("opendata.bids_notes").to_string(),
            tags: tags(t, &["opendata.tag_finance"]),
            frequency: Frequency::Irregular,
            landing: "/finance/bids".into(),
            created: ckan_time(bids.2.as_deref().unwrap_or_default()),
            modified: ckan_time(bids.3.as_deref().unwrap_or_default()),
            is_demo: bool::from(bids.1),
            resources: vec![res(
                "opendata.res_bids_csv",
                "CSV",
                "/finance/bids.csv".into(),
            )],
        });
    }
    Ok(out)
}
