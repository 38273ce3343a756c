//! 調査票の作成 — building surveys (reform HQ): create, add questions with validation, open and
//! close, copy a wave to the next year, and generate invitation codes. Questions change only while a
//! survey is a draft, so published results always describe the questionnaire that was answered.

use super::store::{self, Kind, NewQuestion, NewSurvey};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

pub const AUDIENCES: [&str; 4] = ["public", "citizens", "staff", "codes"];
/// The kinds offered by the builder: the question kinds, and `section` (a heading that starts a page).
pub const KINDS: [&str; 12] = [
    "single",
    "multi",
    "text",
    "long_text",
    "number",
    "date",
    "scale",
    "pair",
    "matrix_single",
    "matrix_multi",
    "ranking",
    store::SECTION_KIND,
];

pub(super) async fn audit_change(
    tx: &mut sqlx::AnyConnection,
    org: i64,
    actor: i64,
    action: &str,
    survey: i64,
    after: serde_json::Value,
) -> sqlx::Result<()> {
    audit::append(
        tx,
        org,
        &Actor::user(actor),
        Change {
            action,
            target_type: "survey",
            target_id: survey.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await
    .map(|_| ())
}

/// A survey as typed on the new-survey form.
pub struct SurveyInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub audience: &'a str,
    pub fiscal_year: &'a str,
}

fn check_survey(errs: &mut FieldErrors, s: &SurveyInput<'_>) -> (String, String, i64) {
    let title = errs.text("title", s.title, 200);
    let description = errs.long_text("description", s.description, 4000);
    if !AUDIENCES.contains(&s.audience) {
        errs.add("audience", "field.bad_choice");
    }
    let year = match kyodo_jp::FiscalYear::parse(s.fiscal_year.trim()) {
        Some(y) if (1989..=2100).contains(&y.0) => i64::from(y.0),
        _ => {
            errs.add("fiscal_year", "survey.bad_year");
            0
        }
    };
    (title, description, year)
}

/// Creates a draft survey.
pub async fn create(app: &App, org: i64, actor: i64, s: SurveyInput<'_>) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let (title, description, year) = check_survey(&mut errs, &s);
    errs.into_result()?;
    let mut tx = app.db.begin().await?;
    let id = store::insert_survey(
        &mut tx,
        org,
        &NewSurvey {
            title: &title,
            description: &description,
            audience: s.audience,
            status: "draft",
            fiscal_year: year,
            series: "",
            is_demo: false,
        },
    )
    .await?;
    audit_change(
        &mut tx,
        org,
        actor,
        "survey.create",
        id,
        serde_json::json!({"title": title, "audience": s.audience, "fiscal_year": year}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A question as typed on the builder's form.
#[derive(Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct QuestionInput {
    pub kind: String,
    pub label: String,
    pub help: String,
    pub required: String,
    pub max_choices: String,
    pub options: String,
    /// The rows of a matrix question, one per line.
    pub rows: String,
    pub attribute: String,
    pub subject: String,
    pub plan_node_id: String,
    /// A 施策 of the comprehensive plan (行政評価), or empty.
    pub policy_node_id: String,
    /// `question-option` ids of an earlier choice, or empty.
    pub show_if: String,
}

async fn draft(app: &App, org: i64, survey: i64) -> AppResult<store::Form> {
    let form = store::form(&app.db, org, survey)
        .await?
        .ok_or(AppError::NotFound)?;
    if form.survey.status != "draft" {
        return Err(AppError::BadRequest("survey.locked"));
    }
    Ok(form)
}

/// Adds a question to a draft survey; every problem is reported by field.
pub async fn add_question(
    app: &App,
    org: i64,
    actor: i64,
    survey: i64,
    q: &QuestionInput,
) -> AppResult<i64> {
    let form = draft(app, org, survey).await?;
    if q.kind == store::SECTION_KIND {
        return add_section(app, org, actor, survey, q).await;
    }
    let mut errs = FieldErrors::default();
    let kind = Kind::parse(&q.kind);
    if kind.is_none() {
        errs.add("kind", "field.bad_choice");
    }
    let label = errs.text("label", &q.label, 300);
    let help: String = q.help.trim().chars().take(500).collect();
    let options: Vec<String> = q
        .options
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if kind == Some(Kind::Ranking) && options.len() > 10 {
        // Ten items at most: each is a row of rank buttons.
        errs.add("options", "survey.ranking_max");
    } else if kind.is_some_and(Kind::has_options) {
        if options.len() < 2 {
            errs.add("options", "survey.need_options");
        } else if options.len() > 50
            || options
                .iter()
                .any(|o| o.chars().count() > 100 || o.chars().any(char::is_control))
        {
            errs.add("options", "field.too_long");
        }
    }
    let rows: Vec<String> = q
        .rows
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if kind.is_some_and(Kind::is_matrix) {
        if rows.is_empty() {
            errs.add("rows", "survey.need_rows");
        } else if rows.len() > 50
            || rows
                .iter()
                .any(|o| o.chars().count() > 200 || o.chars().any(char::is_control))
        {
            errs.add("rows", "field.too_long");
        }
    }
    let max_choices = match q.max_choices.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n)
                if kind == Some(Kind::Multi) && (1..=options.len().max(1) as i64).contains(&n) =>
            {
                Some(n)
            }
            _ => {
                errs.add("max_choices", "survey.bad_max");
                None
            }
        },
    };
    let subject = q.subject.trim().to_string();
    if kind == Some(Kind::Pair) && subject.is_empty() {
        errs.add("subject", "field.required");
    }
    if subject.chars().count() > 200 {
        errs.add("subject", "field.too_long");
    }
    let plan_node_id = match q.plan_node_id.trim() {
        "" => None,
        raw => {
            let node = raw.parse::<i64>().ok();
            let found = match node {
                Some(n) => crate::plans::store::plan_of_node(&app.db, org, n, false)
                    .await?
                    .is_some(),
                None => false,
            };
            if !found {
                errs.add("plan_node_id", "field.bad_choice");
            }
            node
        }
    };
    let policy_node_id = match q.policy_node_id.trim() {
        "" => None,
        raw => {
            let node = raw.parse::<i64>().ok();
            let measures = crate::evaluation::store::policy_nodes(&app.db, org).await?;
            if !node.is_some_and(|n| measures.iter().any(|m| m.id == n && m.level == "measure")) {
                errs.add("policy_node_id", "field.bad_choice");
            }
            node
        }
    };
    let show_if = match q.show_if.trim().split_once('-') {
        None if q.show_if.trim().is_empty() => None,
        Some((a, b)) => {
            let pair = a.parse::<i64>().ok().zip(b.parse::<i64>().ok());
            let valid = pair.is_some_and(|(cq, co)| {
                form.question(cq).is_some_and(|c| {
                    matches!(c.kind, Kind::Single | Kind::Multi)
                        && c.options.iter().any(|o| o.id == co)
                })
            });
            if !valid {
                errs.add("show_if", "field.bad_choice");
            }
            pair
        }
        None => {
            errs.add("show_if", "field.bad_choice");
            None
        }
    };
    errs.into_result()?;
    let kind = kind.unwrap_or(Kind::Text);
    let option_refs: Vec<&str> = if kind.has_options() {
        options.iter().map(String::as_str).collect()
    } else {
        Vec::new()
    };
    let row_refs: Vec<&str> = if kind.is_matrix() {
        rows.iter().map(String::as_str).collect()
    } else {
        Vec::new()
    };
    let mut tx = app.db.begin().await?;
    let (id, _) = store::insert_question(
        &mut tx,
        org,
        survey,
        &NewQuestion {
            kind: kind.code(),
            label: &label,
            help: &help,
            required: !q.required.is_empty(),
            max_choices,
            attribute: !q.attribute.is_empty() && kind == Kind::Single,
            subject: &subject,
            plan_node_id,
            policy_node_id,
            show_if,
            options: &option_refs,
            rows: &row_refs,
        },
    )
    .await?;
    audit_change(
        &mut tx,
        org,
        actor,
        "survey.add_question",
        survey,
        serde_json::json!({"question": id, "kind": kind.code(), "label": label}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a section heading (見出し), which starts a new page; its introduction is the help text.
async fn add_section(
    app: &App,
    org: i64,
    actor: i64,
    survey: i64,
    q: &QuestionInput,
) -> AppResult<i64> {
    let mut errs = FieldErrors::default();
    let title = errs.text("label", &q.label, 300);
    let intro = errs.long_text("help", &q.help, 1000);
    errs.into_result()?;
    let mut tx = app.db.begin().await?;
    let (id, _) = store::insert_question(
        &mut tx,
        org,
        survey,
        &NewQuestion {
            kind: store::SECTION_KIND,
            label: &title,
            help: &intro,
            ..NewQuestion::default()
        },
    )
    .await?;
    audit_change(
        &mut tx,
        org,
        actor,
        "survey.add_section",
        survey,
        serde_json::json!({"section": id, "title": title}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

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
    let (answers,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM survey_responses WHERE organization_id = $1 AND survey_id = $2",
    )
    .bind(org)
    .bind(survey)
    .fetch_one(&app.db)
    .await?;
    if status == "draft" && answers > 0 {
        return Err(AppError::BadRequest("survey.has_answers"));
    }
    let mut tx = app.db.begin().await?;
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
    let mut tx = app.db.begin().await?;
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
    let mut tx = app.db.begin().await?;
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
    let id = store::insert_survey(
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
        let (nq, nopts) = store::insert_question(
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
    store::insert_question(tx, org, survey, &q)
        .await
        .map(|_| ())
}
