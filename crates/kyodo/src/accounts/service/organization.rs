//! Creating an organization, its departments and committees.

use crate::accounts::{departments, organizations};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use serde_json::json;

pub async fn create_organization(
    app: &App,
    code: &str,
    name: &str,
    name_en: &str,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let parsed = kyodo_jp::LocalGovCode::parse(code);
    if parsed.is_err() {
        errs.add("lg_code", "organization.bad_code");
    }
    let name = errs.text("name", name, 100);
    let name_en = errs.text("name_en", name_en, 100);
    errs.into_result()?;
    let code = parsed.map_err(|_| AppError::BadRequest("organization.bad_code"))?;
    let mut tx = app.begin_write().await?;
    let id = organizations::insert(&mut tx, &code, &name, &name_en).await?;
    // Every area's vocabularies from the start (a city edits them on the code-list page).
    crate::codes::ensure_defaults(&mut tx, id).await?;
    audit::record_and_commit(
        tx,
        id,
        &Actor::cli("org add"),
        Change {
            action: "organization.create",
            target_type: "organization",
            target_id: id.to_string(),
            before: None,
            after: Some(json!({"lg_code": code.to_string(), "name": name, "name_en": name_en})),
        },
    )
    .await?;
    Ok(id)
}

pub struct NewDepartment<'a> {
    pub parent_id: Option<i64>,
    pub code: &'a str,
    pub name: &'a str,
    pub name_en: &'a str,
    pub level: &'a str,
}

pub async fn create_department(
    app: &App,
    org: i64,
    actor: &Actor,
    d: NewDepartment<'_>,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let code = errs.text("code", d.code, 20);
    let name = errs.text("name", d.name, 100);
    let name_en = d.name_en.trim().chars().take(100).collect::<String>();
    let level_idx = departments::LEVELS.iter().position(|l| *l == d.level);
    if level_idx.is_none() {
        errs.add("level", "department.bad_level");
    }
    if let Some(pid) = d.parent_id {
        match departments::get(&app.db, org, pid).await? {
            None => errs.add("parent_id", "department.no_parent"),
            Some(p) => {
                let parent_idx = departments::LEVELS.iter().position(|l| *l == p.level);
                if level_idx.is_some() && parent_idx >= level_idx {
                    errs.add("level", "department.level_below_parent");
                }
            }
        }
    }
    if errs.get("code").is_none()
        && departments::list(&app.db, org)
            .await?
            .iter()
            .any(|x| x.code == code)
    {
        errs.add("code", "department.code_taken");
    }
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    let id =
        departments::insert(&mut tx, org, d.parent_id, &code, &name, &name_en, d.level).await?;
    audit::record_and_commit(tx, org, actor, Change {
        action: "department.create", target_type: "department", target_id: id.to_string(), before: None,
        after: Some(json!({"code": code, "name": name, "name_en": name_en, "level": d.level, "parent_id": d.parent_id})),
    }).await?;
    Ok(id)
}

/// 審議会・委員会 — a committee whose members get the committee role (S-1.3.3).
pub async fn create_committee(
    app: &App,
    org: i64,
    actor: &Actor,
    name: &str,
    name_en: &str,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let name = errs.text("name", name, 100);
    let name_en = name_en.trim().chars().take(100).collect::<String>();
    if errs.get("name").is_none()
        && sqlx::query_as::<_, (i64,)>(
            "SELECT id FROM committees WHERE organization_id = $1 AND name = $2",
        )
        .bind(org)
        .bind(&name)
        .fetch_optional(&app.db)
        .await?
        .is_some()
    {
        errs.add("name", "committee.name_taken");
    }
    errs.into_result()?;
    let id = crate::db::new_id();
    let mut tx = app.begin_write().await?;
    sqlx::query("INSERT INTO committees (organization_id, id, name, name_en, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(org).bind(id).bind(&name).bind(&name_en).bind(crate::db::now()).execute(&mut *tx).await?;
    audit::record_and_commit(
        tx,
        org,
        actor,
        Change {
            action: "committee.create",
            target_type: "committee",
            target_id: id.to_string(),
            before: None,
            after: Some(json!({"name": name, "name_en": name_en})),
        },
    )
    .await?;
    Ok(id)
}
