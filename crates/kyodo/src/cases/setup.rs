//! The HQ sets up the kinds of case: name, the short code in numbers, audience, department,
//! deadline in office days, whether answers may be published — and with each new type an empty
//! form (a draft survey of audience `form`) whose questions the survey builder edits. Routing
//! rules send a case whose answer to a choice question is a given option to a department.

use super::audience;
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::surveys::lifecycle::FORM_AUDIENCE;
use crate::surveys::survey_writes::{NewSurvey, insert_survey};
use crate::validation::FieldErrors;

/// A type as typed on the HQ's form.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct TypeForm {
    pub code: String,
    pub name: String,
    pub description: String,
    pub audience: String,
    pub department: String,
    pub deadline_days: String,
    pub publishable: String,
    pub kind: String,
    pub eligibility: String,
    pub documents_needed: String,
    pub fee: String,
    /// "1": applied for at the counter only (the catalogue shows how, and the forms to download);
    /// otherwise online through the type's form.
    pub offline_only: String,
}

struct Checked {
    code: String,
    name: String,
    description: String,
    department: Option<i64>,
    deadline: i64,
    kind: String,
    eligibility: String,
    documents_needed: String,
    fee: i64,
}

/// A fee as typed: 「1,000円」「１０００」 or empty (free). `None` when it is not whole yen in range.
pub fn parse_fee(raw: &str) -> Option<i64> {
    use unicode_normalization::UnicodeNormalization;
    let s: String = raw
        .nfkc()
        .filter(|c| !matches!(c, ',' | '円' | ' ' | '¥' | '\\'))
        .collect();
    if s.is_empty() {
        return Some(0);
    }
    s.parse::<i64>()
        .ok()
        .filter(|n| (0..=10_000_000).contains(n))
}

/// The audiences a kind allows: 働きかけ records are restricted, staff proposals are staff's.
fn audience_fits(kind: &str, aud: &str) -> bool {
    match kind {
        super::kind::APPROACH => aud == audience::RESTRICTED,
        super::kind::STAFF_PROPOSAL => aud == audience::STAFF || aud == audience::RESTRICTED,
        _ => true,
    }
}

async fn check(app: &App, org: i64, f: &TypeForm) -> AppResult<Checked> {
    let mut errs = FieldErrors::default();
    let code = errs.text("code", &f.code, 20);
    // The code stands between hyphens in the number (令和8-市民の声-00001).
    if code.contains(['-', '－', '/', ' ', '　']) {
        errs.add("code", "case.bad_code");
    }
    let name = errs.text("name", &f.name, 100);
    let description = errs.long_text("description", &f.description, 1000);
    if ![
        audience::PUBLIC,
        audience::SIGNED_IN,
        audience::STAFF,
        audience::RESTRICTED,
    ]
    .contains(&f.audience.as_str())
    {
        errs.add("audience", "field.bad_choice");
    }
    let department = match f.department.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(d)
                if crate::accounts::departments::get(&app.db, org, d)
                    .await?
                    .is_some() =>
            {
                Some(d)
            }
            _ => {
                errs.add("department", "field.bad_choice");
                None
            }
        },
    };
    let deadline = match errs.number("deadline_days", &f.deadline_days) {
        Some(n) if n.fract() == 0.0 && (1.0..=365.0).contains(&n) => n as i64,
        Some(_) => {
            errs.add("deadline_days", "case.bad_deadline");
            0
        }
        None => {
            if f.deadline_days.trim().is_empty() {
                errs.add("deadline_days", "field.required");
            }
            0
        }
    };
    let kind = if f.kind.trim().is_empty() {
        super::kind::VOICE.to_string()
    } else {
        f.kind.trim().to_string()
    };
    if !super::kind::ALL.contains(&kind.as_str()) {
        errs.add("kind", "field.bad_choice");
    } else if !audience_fits(&kind, &f.audience) {
        errs.add("audience", "case.audience_of_kind");
    }
    // Staff-only and restricted records are never shown to the public, whatever the box says.
    if f.publishable == "1" && (f.audience == audience::STAFF || f.audience == audience::RESTRICTED)
    {
        errs.add("publishable", "case.publishable_public_only");
    }
    let eligibility = errs.long_text("eligibility", &f.eligibility, 1000);
    let documents_needed = errs.long_text("documents_needed", &f.documents_needed, 2000);
    let fee = parse_fee(&f.fee).unwrap_or_else(|| {
        errs.add("fee", "case.bad_fee");
        0
    });
    errs.into_result()?;
    Ok(Checked {
        code,
        name,
        description,
        department,
        deadline,
        kind,
        eligibility,
        documents_needed,
        fee,
    })
}

fn code_taken(e: sqlx::Error) -> AppError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            let mut errs = FieldErrors::default();
            errs.add("code", "case.code_taken");
            AppError::Invalid(errs)
        }
        _ => e.into(),
    }
}

/// A new type with an empty form; returns its id.
pub async fn create(app: &App, org: i64, actor: i64, f: &TypeForm) -> AppResult<i64> {
    let c = check(app, org, f).await?;
    let fy = i64::from(kyodo_jp::FiscalYear::containing(chrono::Utc::now().date_naive(), 4).0);
    let mut tx = app.begin_write().await?;
    let title = format!("{} 入力フォーム", c.name);
    let survey = insert_survey(
        &mut tx,
        org,
        &NewSurvey {
            title: &title,
            description: "",
            audience: FORM_AUDIENCE,
            status: "draft",
            fiscal_year: fy,
            series: "",
            is_demo: false,
        },
    )
    .await?;
    let id = crate::db::new_id();
    sqlx::query(
        "INSERT INTO case_types (organization_id, id, code, name, description, audience, form_survey_id, \
         department_id, deadline_days, publishable, kind, eligibility, documents_needed, fee_yen, online, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         (SELECT COALESCE(MAX(position), 0) + 1 FROM case_types WHERE organization_id = $1))",
    )
    .bind(org)
    .bind(id)
    .bind(&c.code)
    .bind(&c.name)
    .bind(&c.description)
    .bind(&f.audience)
    .bind(survey)
    .bind(c.department)
    .bind(c.deadline)
    .bind(i64::from(f.publishable == "1"))
    .bind(&c.kind)
    .bind(&c.eligibility)
    .bind(&c.documents_needed)
    .bind(c.fee)
    .bind(i64::from(f.offline_only != "1"))
    .execute(&mut *tx)
    .await
    .map_err(code_taken)?;
    record(tx, org, actor, "cases.type_create", id, f).await?;
    Ok(id)
}

/// Changes a type (its form and routing rules stay).
pub async fn update(app: &App, org: i64, actor: i64, id: i64, f: &TypeForm) -> AppResult<()> {
    let c = check(app, org, f).await?;
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "UPDATE case_types SET code = $3, name = $4, description = $5, audience = $6, department_id = $7, \
         deadline_days = $8, publishable = $9, kind = $10, eligibility = $11, documents_needed = $12, \
         fee_yen = $13, online = $14 WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(&c.code)
    .bind(&c.name)
    .bind(&c.description)
    .bind(&f.audience)
    .bind(c.department)
    .bind(c.deadline)
    .bind(i64::from(f.publishable == "1"))
    .bind(&c.kind)
    .bind(&c.eligibility)
    .bind(&c.documents_needed)
    .bind(c.fee)
    .bind(i64::from(f.offline_only != "1"))
    .execute(&mut *tx)
    .await
    .map_err(code_taken)?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    record(tx, org, actor, "cases.type_update", id, f).await
}

async fn record(
    tx: crate::db::write::WriteTx,
    org: i64,
    actor: i64,
    action: &str,
    id: i64,
    f: &TypeForm,
) -> AppResult<()> {
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action,
            target_type: "case_type",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "code": f.code.trim(), "name": f.name.trim(), "audience": f.audience, "kind": f.kind, "fee": f.fee.trim(), "online": f.offline_only != "1" })),
        },
    )
    .await?;
    Ok(())
}

/// A routing rule: `choice` is `question-option` from the type's form; the rule goes last.
pub async fn add_route(
    app: &App,
    org: i64,
    actor: i64,
    type_id: i64,
    choice: &str,
    department: &str,
) -> AppResult<()> {
    let ty = super::store::case_type(&app.db, org, type_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = super::submit::form_of(app, org, &ty).await?;
    let mut errs = FieldErrors::default();
    let pair = choice
        .split_once('-')
        .and_then(|(q, o)| Some((q.parse::<i64>().ok()?, o.parse::<i64>().ok()?)))
        .filter(|(q, o)| {
            form.question(*q)
                .is_some_and(|q| q.options.iter().any(|x| x.id == *o))
        });
    if pair.is_none() {
        errs.add("choice", "field.bad_choice");
    }
    let dept = department.trim().parse::<i64>().ok();
    let dept = match dept {
        Some(d)
            if crate::accounts::departments::get(&app.db, org, d)
                .await?
                .is_some() =>
        {
            Some(d)
        }
        _ => {
            errs.add("route_department", "field.bad_choice");
            None
        }
    };
    errs.into_result()?;
    let ((question, option), dept) = (pair.unwrap_or_default(), dept.unwrap_or_default());
    let mut tx = app.begin_write().await?;
    sqlx::query(
        "INSERT INTO case_routes (organization_id, type_id, position, question_id, option_id, department_id) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM case_routes WHERE organization_id = $1 AND type_id = $2), $3, $4, $5)",
    )
    .bind(org)
    .bind(type_id)
    .bind(question)
    .bind(option)
    .bind(dept)
    .execute(&mut *tx)
    .await?;
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "cases.route_add",
            target_type: "case_type",
            target_id: type_id.to_string(),
            before: None,
            after: Some(
                serde_json::json!({ "question": question, "option": option, "department": dept }),
            ),
        },
    )
    .await?;
    Ok(())
}

/// Removes the routing rule at `position`.
pub async fn remove_route(
    app: &App,
    org: i64,
    actor: i64,
    type_id: i64,
    position: i64,
) -> AppResult<()> {
    let mut tx = app.begin_write().await?;
    let done = sqlx::query(
        "DELETE FROM case_routes WHERE organization_id = $1 AND type_id = $2 AND position = $3",
    )
    .bind(org)
    .bind(type_id)
    .bind(position)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record_and_commit(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action: "cases.route_remove",
            target_type: "case_type",
            target_id: type_id.to_string(),
            before: Some(serde_json::json!({ "position": position })),
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// (position, question label, option label, department name) of a type's rules, in order.
pub async fn routes(
    app: &App,
    org: i64,
    type_id: i64,
) -> AppResult<Vec<(i64, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT r.position, q.label, o.label, d.name FROM case_routes r \
         JOIN survey_questions q ON q.organization_id = r.organization_id AND q.id = r.question_id \
         JOIN survey_options o ON o.organization_id = r.organization_id AND o.id = r.option_id \
         JOIN departments d ON d.organization_id = r.organization_id AND d.id = r.department_id \
         WHERE r.organization_id = $1 AND r.type_id = $2 ORDER BY r.position",
    )
    .bind(org)
    .bind(type_id)
    .fetch_all(&app.db)
    .await?)
}
