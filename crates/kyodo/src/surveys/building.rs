//! 調査票の作成 — building surveys (reform HQ): create a draft, add questions and sections with
//! validation. Questions change only while a survey is a draft, so published results always
//! describe the questionnaire that was answered. Opening, closing and copying: `lifecycle`.

use super::store::{self, Kind};
use super::survey_writes::{self, NewQuestion, NewSurvey};
use crate::app::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

pub const AUDIENCES: [&str; 4] = ["public", "citizens", "staff", "codes"];
/// The kinds offered by the builder: the question kinds, and `section` (a heading that starts a page).
pub const KINDS: [&str; 13] = [
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
    "file",
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

pub(super) fn check_survey(errs: &mut FieldErrors, s: &SurveyInput<'_>) -> (String, String, i64) {
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
    let mut tx = app.begin_write().await?;
    let id = survey_writes::insert_survey(
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
    } else if kind == Some(Kind::File) && form.survey.audience != super::lifecycle::FORM_AUDIENCE {
        // A questionnaire's answers are counted and published; files belong to a case.
        errs.add("kind", "survey.file_only_forms");
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
    let mut tx = app.begin_write().await?;
    let (id, _) = survey_writes::insert_question(
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
    let mut tx = app.begin_write().await?;
    let (id, _) = survey_writes::insert_question(
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
