//! 部・課・係 — the department tree staff belong to.

use crate::db::Db;
use serde::Serialize;

/// Levels from the top: 部 (bu) → 課 (ka) → 係 (kakari).
pub const LEVELS: [&str; 3] = ["bu", "ka", "kakari"];

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Department {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: String,
    pub sort_order: i64,
}

/// A department with its depth in the tree, in display order (parents before children).
#[derive(Debug, Clone, Serialize)]
pub struct TreeRow {
    pub depth: usize,
    #[serde(flatten)]
    pub dept: Department,
}

pub async fn list(db: &Db, organization_id: i64) -> sqlx::Result<Vec<Department>> {
    sqlx::query_as(
        "SELECT id, parent_id, code, name, name_en, level, sort_order FROM departments \
         WHERE organization_id = $1 ORDER BY sort_order, code",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, organization_id: i64, id: i64) -> sqlx::Result<Option<Department>> {
    sqlx::query_as(
        "SELECT id, parent_id, code, name, name_en, level, sort_order FROM departments \
         WHERE organization_id = $1 AND id = $2",
    )
    .bind(organization_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Orders a flat list depth-first (one query, no recursion in SQL).
pub fn tree(depts: Vec<Department>) -> Vec<TreeRow> {
    fn walk(parent: Option<i64>, depth: usize, all: &[Department], out: &mut Vec<TreeRow>) {
        for d in all.iter().filter(|d| d.parent_id == parent) {
            out.push(TreeRow {
                depth,
                dept: d.clone(),
            });
            if depth < 8 {
                walk(Some(d.id), depth + 1, all, out);
            }
        }
    }
    let mut out = Vec::with_capacity(depts.len());
    walk(None, 0, &depts, &mut out);
    out
}

pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    organization_id: i64,
    parent_id: Option<i64>,
    code: &str,
    name: &str,
    name_en: &str,
    level: &str,
) -> sqlx::Result<i64> {
    let id = crate::db::new_id();
    sqlx::query(
        "INSERT INTO departments (organization_id, id, parent_id, code, name, name_en, level, sort_order, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)",
    )
    .bind(organization_id)
    .bind(id)
    .bind(parent_id)
    .bind(code)
    .bind(name)
    .bind(name_en)
    .bind(level)
    .bind(crate::db::now())
    .execute(conn)
    .await?;
    Ok(id)
}

/// Registers divisions (課) that an import names and no department has yet, in one transaction.
/// The name doubles as the code (a department must have a code; the workbook gave only the name). Names already registered — as a code or a
/// name — are skipped. Returns how many were added.
pub async fn add_named(
    app: &crate::app::App,
    org: i64,
    actor: &crate::audit::Actor,
    names: &[String],
) -> crate::error::AppResult<usize> {
    let mut tx = app.begin_write().await?;
    crate::db::serialize(&mut tx, org, "departments").await?;
    let existing: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM departments WHERE organization_id = $1")
            .bind(org)
            .fetch_all(&mut *tx)
            .await?;
    let mut added = Vec::new();
    for name in names {
        let name: String = name.trim().chars().take(100).collect();
        let code: String = name.chars().take(20).collect();
        let taken = |x: &str| existing.iter().any(|(c, n)| c == x || n == x);
        if name.is_empty() || taken(&name) || taken(&code) || added.contains(&code) {
            continue;
        }
        let id = insert(&mut tx, org, None, &code, &name, "", "ka").await?;
        crate::audit::append(
            &mut tx,
            org,
            actor,
            crate::audit::Change {
                action: "department.create",
                target_type: "department",
                target_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({"code": code, "name": name, "level": "ka", "from_import": true})),
            },
        )
        .await?;
        added.push(code);
    }
    tx.commit().await?;
    Ok(added.len())
}

/// A department picked in a form (its id as text); empty is none, anything not of the
/// organization is a field error.
pub async fn chosen(
    db: &Db,
    org: i64,
    errs: &mut crate::validation::FieldErrors,
    field: &str,
    raw: &str,
) -> sqlx::Result<Option<i64>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(d) if get(db, org, d).await?.is_some() => Ok(Some(d)),
        _ => {
            errs.add(field, "field.bad_choice");
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(id: i64, parent: Option<i64>, code: &str) -> Department {
        Department {
            id,
            parent_id: parent,
            code: code.into(),
            name: code.into(),
            name_en: String::new(),
            level: "bu".into(),
            sort_order: 0,
        }
    }

    #[test]
    fn tree_puts_children_under_parents() {
        let rows = tree(vec![
            d(3, Some(1), "b"),
            d(1, None, "a"),
            d(2, None, "c"),
            d(4, Some(3), "d"),
        ]);
        let order: Vec<(i64, usize)> = rows.iter().map(|r| (r.dept.id, r.depth)).collect();
        assert_eq!(order, vec![(1, 0), (3, 1), (4, 2), (2, 0)]);
    }
}
