//! Plans and progress management (実施計画・進行管理), as the pages and routes of web/pages/plans/.
//! Helpers shared by the files here (demo ids, periods, form fields) are in support/demo.rs.

mod editing;
mod exchange;
mod participation;
mod publication;
mod report_files;
mod reports;
mod settings;

use crate::support::*;

async fn dept(t: &TestApp, code: &str) -> String {
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM departments WHERE organization_id = $1 AND code = $2")
            .bind(t.demo_org().await)
            .bind(code)
            .fetch_one(&t.app.db)
            .await
            .unwrap();
    id.to_string()
}

fn id_after(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|s| s.split(['/', '?', '#']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{location}"))
}
