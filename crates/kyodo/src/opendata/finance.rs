//! The finances' datasets: every budget and settlement edition, and every set of financial
//! statements (統一的な基準), each with its lines as CSV.

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
    let (budgets, statements) = tokio::try_join!(
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
    Ok(out)
}
