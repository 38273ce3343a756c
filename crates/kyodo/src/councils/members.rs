//! People and their appointments. A person is found again by name and reading (kana), so their
//! seats on several bodies count together (兼職). Names and occupations are public unless the
//! body decided otherwise; no address, telephone or e-mail is kept here at all.

use super::bodies;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::codes;
use crate::db::{Db, new_id};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub body_id: i64,
    pub person_id: i64,
    pub name: String,
    pub kana: String,
    pub gender: String,
    pub occupation: String,
    pub category: String,
    pub role: String,
    pub appointed_on: String,
    pub term_ends_on: String,
    pub first_appointed_on: String,
    #[sqlx(try_from = "crate::db::flag::Flag")]
    pub name_public: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub name: String,
    pub kana: String,
    pub gender: String,
    pub occupation: String,
    pub category: String,
    pub role: String,
    pub appointed_on: String,
    pub term_ends_on: String,
    /// Start of unbroken service on the body (reappointments); empty: the appointment date.
    pub first_appointed_on: String,
    /// "1": the name is published.
    pub name_public: String,
}

const COLUMNS: &str = "m.id, m.body_id, m.person_id, p.name, p.kana, p.gender, p.occupation, m.category, m.role, \
     m.appointed_on, m.term_ends_on, m.first_appointed_on, m.name_public";

/// Members of a body on `day` (appointed and not yet ended), chair first.
pub async fn current(db: &Db, org: i64, body: i64, day: &str) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cn_members m JOIN cn_people p ON p.organization_id = m.organization_id AND p.id = m.person_id \
         WHERE m.organization_id = $1 AND m.body_id = $2 AND m.appointed_on <= $3 AND m.term_ends_on >= $3 \
         ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'vice' THEN 1 ELSE 2 END, p.kana, p.name"
    )))
    .bind(org)
    .bind(body)
    .bind(day)
    .fetch_all(db)
    .await
}

/// Every current appointment of the organization on `day` (for the targets).
pub async fn all_current(db: &Db, org: i64, day: &str) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM cn_members m JOIN cn_people p ON p.organization_id = m.organization_id AND p.id = m.person_id \
         WHERE m.organization_id = $1 AND m.appointed_on <= $2 AND m.term_ends_on >= $2"
    )))
    .bind(org)
    .bind(day)
    .fetch_all(db)
    .await
}

/// Appoints a person (found by name and kana, or added) to a body for a term.
pub async fn appoint(app: &App, org: i64, actor: i64, body: i64, f: &MemberForm) -> AppResult<i64> {
    let b = bodies::get(&app.db, org, body)
        .await?
        .ok_or(AppError::NotFound)?;
    let all_codes = codes::all(&app.db, org).await?;
    let mut errs = FieldErrors::default();
    let name = errs.text("name", &f.name, 100);
    let kana = errs.optional_text("kana", &f.kana, 100);
    let occupation = errs.optional_text("occupation", &f.occupation, 200);
    if !super::GENDERS.iter().any(|(g, _)| *g == f.gender.trim()) {
        errs.add("gender", "field.bad_choice");
    }
    if !codes::of_list(&all_codes, codes::COUNCIL_CATEGORY).any(|c| c.code == f.category.trim()) {
        errs.add("category", "field.bad_choice");
    }
    if !super::ROLES.iter().any(|(r, _)| *r == f.role.trim()) {
        errs.add("role", "field.bad_choice");
    }
    let appointed = errs.date("appointed_on", &f.appointed_on);
    let ends = errs.date("term_ends_on", &f.term_ends_on);
    let first = if f.first_appointed_on.trim().is_empty() {
        appointed
    } else {
        errs.date("first_appointed_on", &f.first_appointed_on)
    };
    if let (Some(a), Some(e)) = (appointed, ends) {
        if e < a {
            errs.add("term_ends_on", "cn.term_order");
        } else if e > a + chrono::Months::new(12 * b.term_years as u32) {
            errs.add("term_ends_on", "cn.term_too_long");
        }
    }
    if let (Some(a), Some(fst)) = (appointed, first)
        && fst > a
    {
        errs.add("first_appointed_on", "cn.first_after_appointed");
    }
    errs.into_result()?;
    let (Some(appointed), Some(ends), Some(first)) = (appointed, ends, first) else {
        return Err(AppError::BadRequest("error.bad_form"));
    };
    let mut tx = app.begin_write().await?;
    let person: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM cn_people WHERE organization_id = $1 AND name = $2 AND kana = $3",
    )
    .bind(org)
    .bind(&name)
    .bind(&kana)
    .fetch_optional(&mut *tx)
    .await?;
    let person = match person {
        Some(p) => {
            sqlx::query("UPDATE cn_people SET gender = $1, occupation = $2 WHERE organization_id = $3 AND id = $4")
                .bind(f.gender.trim())
                .bind(&occupation)
                .bind(org)
                .bind(p)
                .execute(&mut *tx)
                .await?;
            p
        }
        None => {
            let p = new_id();
            sqlx::query("INSERT INTO cn_people (organization_id, id, name, kana, gender, occupation) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(org)
                .bind(p)
                .bind(&name)
                .bind(&kana)
                .bind(f.gender.trim())
                .bind(&occupation)
                .execute(&mut *tx)
                .await?;
            p
        }
    };
    let id = new_id();
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    sqlx::query(
        "INSERT INTO cn_members (organization_id, id, body_id, person_id, category, role, appointed_on, term_ends_on, \
         first_appointed_on, name_public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(org)
    .bind(id)
    .bind(body)
    .bind(person)
    .bind(f.category.trim())
    .bind(f.role.trim())
    .bind(iso(appointed))
    .bind(iso(ends))
    .bind(iso(first))
    .bind(i64::from(f.name_public == "1"))
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "councils.appoint",
            target_type: "council_member",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "body": body, "person": person, "category": f.category.trim(), "role": f.role.trim(),
                "appointed_on": iso(appointed), "term_ends_on": iso(ends),
            })),
        },
    )
    .await?;
    Ok(id)
}
