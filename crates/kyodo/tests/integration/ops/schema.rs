//! The one migration history produces the same tables, columns, types and keys on both databases.

use crate::support::*;
use std::collections::BTreeSet;

async fn shape(t: &TestApp) -> BTreeSet<(String, String, String, i64)> {
    let sql = if t.backend == "sqlite" {
        "SELECT m.name, p.name, lower(p.type), CASE WHEN p.pk > 0 THEN 1 ELSE 0 END FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'"
    } else {
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, \
         CASE WHEN EXISTS (SELECT 1 FROM information_schema.key_column_usage k JOIN information_schema.table_constraints tc \
                 ON tc.constraint_name = k.constraint_name AND tc.table_name = k.table_name \
                 WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name AND k.column_name = c.column_name) THEN 1 ELSE 0 END \
         FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name NOT LIKE '_sqlx%'"
    };
    let rows: Vec<(String, String, String, i64)> =
        sqlx::query_as(sql).fetch_all(&t.app.db).await.unwrap();
    rows.into_iter().collect()
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let Ok(url) = std::env::var("KYODO_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("KYODO_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "PostgreSQL required"
        );
        return;
    };
    let lite = TestApp::sqlite().await;
    let pg = TestApp::postgres(&url).await;
    let (a, b) = (shape(&lite).await, shape(&pg).await);
    assert!(a.len() > 40, "schema looks empty: {a:?}");
    let only_lite: Vec<_> = a.difference(&b).collect();
    let only_pg: Vec<_> = b.difference(&a).collect();
    assert!(
        only_lite.is_empty() && only_pg.is_empty(),
        "SQLite only: {only_lite:#?}\nPostgreSQL only: {only_pg:#?}"
    );
    lite.close().await;
    pg.close().await;
}
