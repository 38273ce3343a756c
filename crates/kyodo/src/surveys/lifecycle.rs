//! A survey's life after building: opening, closing and returning to draft, the answering period
//! and quota, and copying a wave to the next year (same series, questions, sections, options and
//! conditions, so yearly results compare item by item).

use super::building::{SurveyInput, audit_change, check_survey};
use super::store;
use super::survey_writes::{self, NewQuestion, NewSurvey};
use crate::app::App;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

/// The audience of a survey that is a case type's form (窓口), not a survey.
pub const FORM_AUDIENCE: &str = "form";

/// Opens, closes or returns a survey to draft. A survey with answers cannot return to draft.
pub async fn set_status(
    app: &App,
    org: i64,
    actor: i64,
    survey: i64,
    status: &str,
) -> AppResult<()> {
    let s = store::get(&app.db, org, survey)
        .await?
        .ok_or(AppError::NotFound)?;
    if !matches!(status, "draft" | "open" | "closed") {
        return Err(AppError::BadRequest("error.bad_form"));
    }
    // A case type's form (窓口) is answered through the desk, never as a survey: it stays a draft
    // so that its questions can still be edited.
    if s.audience == FORM_AUDIENCE && status != "draft" {
        return Err(AppError::BadRequest("survey.form_stays_draft"));
    }
    let answers = super::counting::count(&app.db, org, survey).await?;
    if status == "draft" && answers > 0 {
        return Err(AppError::BadRequest("survey.has_answers"));
    }
    let mut tx = app.begin_write().await?;
    sqlx::query("UPDATE surveys SET status = $3 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(survey)
        .bind(status)
        .execute(&mut *tx)
        .await?;
    audit_change(
        &mut tx,
        org,
        actor,
        "survey.status",
        survey,
        serde_json::json!({"from": s.status, "to": status}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The answering period (first and last day, inclusive, either may be blank) and the quota.
pub async fn set_limits(
    app: &App,
    org: i64,
    actor: i64,
    survey: i64,
    opens_on: &str,
    closes_on: &str,
    quota: &str,
) -> AppResult<()> {
    store::get(&app.db, org, survey)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let mut date = |field: &str, raw: &str| match raw.trim() {
        "" => None,
        raw => match kyodo_jp::wareki::parse_date(raw) {
            Ok(d) => Some(d.format("%Y-%m-%d").to_string()),
            Err(_) => {
                errs.add(field, "field.bad_date");
                None
            }
        },
    };
    let opens = date("opens_on", opens_on);
    let closes = date("closes_on", closes_on);
    if let (Some(a), Some(b)) = (&opens, &closes)
        && a > b
    {
        errs.add("closes_on", "survey.bad_period");
    }
    let quota = match quota.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                errs.add("quota", "survey.bad_quota");
                None
            }
        },
    };
    errs.into_result()?;
    let mut tx = app.begin_write().await?;
    sqlx::query("UPDATE surveys SET opens_on = $3, closes_on = $4, quota = $5 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(survey)
        .bind(&opens)
        .bind(&closes)
        .bind(quota)
        .execute(&mut *tx)
        .await?;
    audit_change(
        &mut tx,
        org,
        actor,
        "survey.limits",
        survey,
        serde_json::json!({"opens_on": opens, "closes_on": closes, "quota": quota}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Copies a survey as a new draft wave for `fiscal_year` (same series, questions, options and
/// conditions), so yearly results compare item by item.
pub async fn copy_wave(
    app: &App,
    org: i64,
    actor: i64,
    survey: i64,
    fiscal_year: &str,
) -> AppResult<i64> {
    let form = store::form(&app.db, org, survey)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errs = FieldErrors::default();
    let (_, _, year) = check_survey(
        &mut errs,
        &SurveyInput {
            title: &form.survey.title,
            description: "",
            audience: &form.survey.audience,
            fiscal_year,
        },
    );
    errs.into_result()?;
    let series = if form.survey.series.is_empty() {
        format!("s{survey}")
    } else {
        form.survey.series.clone()
    };
    let mut tx = app.begin_write().await?;
    sqlx::query("UPDATE surveys SET series = $3 WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(survey)
        .bind(&series)
        .execute(&mut *tx)
        .await?;
    let title = form.survey.title.replace(
        &kyodo_jp::FiscalYear(form.survey.fiscal_year as i32).label_ja(),
        &kyodo_jp::FiscalYear(year as i32).label_ja(),
    );
    let id = survey_writes::insert_survey(
        &mut tx,
        org,
        &NewSurvey {
            title: &title,
            description: &form.survey.description,
            audience: &form.survey.audience,
            status: "draft",
            fiscal_year: year,
            series: &series,
            is_demo: false,
        },
    )
    .await?;
    // Sections keep their place: each is inserted before the first question that follows it.
    let mut sections = form.sections.iter().peekable();
    // Old option id → new option id, for the conditions.
    let mut mapped: Vec<(i64, i64, i64)> = Vec::new(); // (old option, new question, new option)
    for q in &form.questions {
        while let Some(sec) = sections.next_if(|s| s.position < q.row.position) {
            copy_section(&mut tx, org, id, sec).await?;
        }
        let labels: Vec<&str> = q.options.iter().map(|o| o.label.as_str()).collect();
        let rows: Vec<&str> = q.rows.iter().map(|o| o.label.as_str()).collect();
        let show_if = q
            .row
            .show_if_option_id
            .and_then(|old| mapped.iter().find(|m| m.0 == old))
            .map(|m| (m.1, m.2));
        let (nq, nopts) = survey_writes::insert_question(
            &mut tx,
            org,
            id,
            &NewQuestion {
                kind: q.kind.code(),
                label: &q.row.label,
                help: &q.row.help,
                required: q.required(),
                max_choices: q.row.max_choices,
                attribute: q.row.attribute != 0,
                subject: &q.row.subject,
                plan_node_id: q.row.plan_node_id,
                policy_node_id: q.row.policy_node_id,
                show_if,
                options: &labels,
                rows: &rows,
            },
        )
        .await?;
        mapped.extend(q.options.iter().zip(nopts).map(|(o, n)| (o.id, nq, n)));
    }
    for sec in sections {
        copy_section(&mut tx, org, id, sec).await?;
    }
    audit_change(
        &mut tx,
        org,
        actor,
        "survey.copy",
        id,
        serde_json::json!({"from": survey, "fiscal_year": year}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn copy_section(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    survey: i64,
    sec: &store::Section,
) -> sqlx::Result<()> {
    let q = NewQuestion {
        kind: store::SECTION_KIND,
        label: &sec.title,
        help: &sec.intro,
        ..NewQuestion::default()
    };
    survey_writes::insert_question(tx, org, survey, &q)
        .await
        .map(|_| ())
}
