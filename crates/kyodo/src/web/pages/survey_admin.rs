//! The reform HQ's survey pages: every survey with its status and counts, creating a survey, the
//! question builder, opening and closing, copying a wave to the next year, invitation codes, and the
//! fast entry of paper questionnaires.

use super::plans::fy;
use super::surveys::{audience_key, form_page, nonce_of, status_key};
use crate::error::{AppError, AppResult};
use crate::surveys::answers;
use crate::surveys::building::{self, AUDIENCES, KINDS, QuestionInput, SurveyInput};
use crate::surveys::responses::{self, Stored};
use crate::surveys::store::{self, Form, Kind, Survey};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, QueryData};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewSurveyForm {
    title: String,
    description: String,
    audience: String,
    fiscal_year: String,
}

#[derive(Template)]
#[template(path = "surveys/admin.html")]
struct AdminPage<'a> {
    s: Shell<'a>,
    /// (survey, year, status key, audience key, responses)
    surveys: Vec<(Survey, String, &'static str, &'static str, i64)>,
    audiences: Vec<(&'static str, &'static str)>,
    form: NewSurveyForm,
}

async fn admin_page(
    st: &WebState,
    ctx: &Ctx,
    form: NewSurveyForm,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let surveys: Vec<Survey> = sqlx::query_as(
        "SELECT id, title, description, audience, status, fiscal_year, series, opens_on, closes_on, is_demo, quota FROM surveys \
         WHERE organization_id = $1 ORDER BY fiscal_year DESC, id DESC",
    )
    .bind(org)
    .fetch_all(&st.app.db)
    .await?;
    let counts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT survey_id, COUNT(*) FROM survey_responses WHERE organization_id = $1 GROUP BY survey_id",
    )
    .bind(org)
    .fetch_all(&st.app.db)
    .await?;
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AdminPage {
        s: Shell::new(ctx, "survey.admin_title").with_errors(errs),
        surveys: surveys
            .into_iter()
            .map(|s| {
                let n = counts
                    .iter()
                    .find(|c| c.0 == s.id)
                    .map(|c| c.1)
                    .unwrap_or(0);
                (
                    fy(t, s.fiscal_year),
                    status_key(&s.status),
                    audience_key(&s.audience),
                    n,
                    s,
                )
            })
            .map(|(y, st, au, n, s)| (s, y, st, au, n))
            .collect(),
        audiences: AUDIENCES.iter().map(|a| (*a, audience_key(a))).collect(),
        form,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn index(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let form = NewSurveyForm {
        audience: "public".into(),
        ..NewSurveyForm::default()
    };
    admin_page(&st, &ctx, form, FieldErrors::default()).await
}

pub async fn create(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<NewSurveyForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let input = SurveyInput {
        title: &f.title,
        description: &f.description,
        audience: &f.audience,
        fiscal_year: &f.fiscal_year,
    };
    match building::create(&st.app, ctx.org_id(), user, input).await {
        Ok(id) => Ok(Redirect::to(&format!("/hq/surveys/{id}")).into_response()),
        Err(AppError::Invalid(errs)) => admin_page(&st, &ctx, f, errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "surveys/builder.html")]
struct BuilderPage<'a> {
    s: Shell<'a>,
    form: Form,
    year: String,
    status: &'static str,
    audience: &'static str,
    responses: i64,
    kinds: Vec<(&'static str, String)>,
    /// (value `question-option`, label) of every choice of the earlier questions.
    conditions: Vec<(String, String)>,
    /// (node id, number and title) of plan nodes a pair can be bound to.
    nodes: Vec<(i64, String)>,
    /// (id, number and title) of the 施策 a pair can be bound to.
    measures: Vec<(i64, String)>,
    q: QuestionInput,
    codes_unused: i64,
    codes_used: i64,
    /// (field, label key, value, hint key) of the period and quota form
    limits: Vec<(&'static str, &'static str, String, &'static str)>,
}

impl BuilderPage<'_> {
    fn kind_label(&self, code: &str) -> String {
        self.s.t.t(&format!("survey.kind_{code}")).to_string()
    }
}

async fn builder_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    q: QuestionInput,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let org = ctx.org_id();
    let db = &st.app.db;
    let form = store::form(db, org, id).await?.ok_or(AppError::NotFound)?;
    let ((responses,), nodes, codes) = tokio::try_join!(
        sqlx::query_as::<_, (i64,)>(
            "SELECT COUNT(*) FROM survey_responses WHERE organization_id = $1 AND survey_id = $2"
        )
            .bind(org)
            .bind(id)
            .fetch_one(db),
        sqlx::query_as::<_, (i64, String, String)>(
            "SELECT n.id, n.number, n.title FROM plan_nodes n JOIN plans p ON p.organization_id = n.organization_id AND p.id = n.plan_id \
             WHERE n.organization_id = $1 AND n.depth <= 1 ORDER BY p.id, n.number",
        )
        .bind(org)
        .fetch_all(db),
        sqlx::query_as::<_, (i64, i64)>("SELECT used, COUNT(*) FROM survey_codes WHERE organization_id = $1 AND survey_id = $2 GROUP BY used")
            .bind(org)
            .bind(id)
            .fetch_all(db),
    )?;
    let conditions = form
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| matches!(q.kind, Kind::Single | Kind::Multi))
        .flat_map(|(i, q)| {
            q.options.iter().map(move |o| {
                (
                    format!("{}-{}", q.id(), o.id),
                    format!(
                        "{}{}. {} = {}",
                        t.t("survey.q"),
                        i + 1,
                        q.row.label,
                        o.label
                    ),
                )
            })
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = BuilderPage {
        s: Shell::new(ctx, "survey.builder_title").with_errors(errs),
        year: fy(t, form.survey.fiscal_year),
        status: status_key(&form.survey.status),
        audience: audience_key(&form.survey.audience),
        responses,
        kinds: KINDS
            .iter()
            .map(|k| (*k, t.t(&format!("survey.kind_{k}")).to_string()))
            .collect(),
        conditions,
        nodes: nodes
            .into_iter()
            .map(|(id, n, title)| (id, format!("{n} {title}")))
            .collect(),
        measures: crate::evaluation::store::policy_nodes(db, org)
            .await?
            .into_iter()
            .filter(|n| n.level == "measure")
            .map(|n| (n.id, format!("{} {}", n.number, n.title)))
            .collect(),
        q,
        codes_unused: codes.iter().filter(|c| c.0 == 0).map(|c| c.1).sum(),
        codes_used: codes.iter().filter(|c| c.0 != 0).map(|c| c.1).sum(),
        limits: vec![
            (
                "opens_on",
                "survey.opens_on",
                form.survey.opens_on.clone().unwrap_or_default(),
                "survey.period_hint",
            ),
            (
                "closes_on",
                "survey.closes_on",
                form.survey.closes_on.clone().unwrap_or_default(),
                "survey.period_hint",
            ),
            (
                "quota",
                "survey.quota",
                form.survey.quota.map(|q| q.to_string()).unwrap_or_default(),
                "survey.quota_hint",
            ),
        ],
        form,
    };
    Ok((status, render(&page)?).into_response())
}

/// The empty add-question form (single choice preselected).
fn new_question() -> QuestionInput {
    QuestionInput {
        kind: "single".into(),
        ..QuestionInput::default()
    }
}

pub async fn builder(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    builder_page(&st, &ctx, id, new_question(), FieldErrors::default()).await
}

pub async fn add_question(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(q): FormData<QuestionInput>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match building::add_question(&st.app, ctx.org_id(), user, id, &q).await {
        Ok(_) => Ok(Redirect::to(&format!("/hq/surveys/{id}#questions")).into_response()),
        Err(AppError::Invalid(errs)) => builder_page(&st, &ctx, id, q, errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

pub async fn set_status(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<StatusForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    building::set_status(&st.app, ctx.org_id(), user, id, &f.status).await?;
    Ok(Redirect::to(&format!("/hq/surveys/{id}")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LimitsForm {
    opens_on: String,
    closes_on: String,
    quota: String,
}

pub async fn set_limits(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<LimitsForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match building::set_limits(
        &st.app,
        ctx.org_id(),
        user,
        id,
        &f.opens_on,
        &f.closes_on,
        &f.quota,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/hq/surveys/{id}#limits")).into_response()),
        Err(AppError::Invalid(errs)) => builder_page(&st, &ctx, id, new_question(), errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CopyForm {
    fiscal_year: String,
}

pub async fn copy(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<CopyForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match building::copy_wave(&st.app, ctx.org_id(), user, id, &f.fiscal_year).await {
        Ok(new) => Ok(Redirect::to(&format!("/hq/surveys/{new}")).into_response()),
        Err(AppError::Invalid(errs)) => builder_page(&st, &ctx, id, new_question(), errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodesForm {
    count: String,
}

/// Generates invitation codes and hands them over as CSV (the only copy; the database keeps hashes).
pub async fn codes(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<CodesForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match crate::surveys::invitations::generate_codes(&st.app, ctx.org_id(), user, id, &f.count)
        .await
    {
        Ok(codes) => {
            let mut csv = String::from("\u{FEFF}code,url\r\n");
            for c in codes {
                csv.push_str(&format!("{c},/surveys/{id}?code={c}\r\n"));
            }
            Ok(super::plan_admin::download(
                csv,
                "text/csv; charset=utf-8",
                format!("survey-{id}-codes.csv"),
            ))
        }
        Err(AppError::Invalid(errs)) => builder_page(&st, &ctx, id, new_question(), errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PaperQuery {
    saved: String,
}

async fn paper_form(st: &WebState, ctx: &Ctx, id: i64) -> AppResult<Form> {
    store::form(&st.app.db, ctx.org_id(), id)
        .await?
        .filter(|f| f.survey.status != "draft")
        .ok_or(AppError::NotFound)
}

/// 紙の調査票の入力: the questionnaire for keying in paper answers, one after another.
pub async fn paper(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<PaperQuery>,
) -> AppResult<Response> {
    let form = paper_form(&st, &ctx, id).await?;
    let notice = (q.saved == "1").then_some("survey.paper_saved");
    form_page(&ctx, &form, None, &[], FieldErrors::default(), true, notice)
}

pub async fn paper_save(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = paper_form(&st, &ctx, id).await?;
    let nonce = nonce_of(&fields)?;
    let rows = match answers::check(&form, &fields) {
        Ok(rows) => rows,
        Err(errs) => return form_page(&ctx, &form, None, &fields, errs, true, None),
    };
    match responses::submit(
        &st.app,
        ctx.org_id(),
        id,
        "paper",
        responses::Claims {
            receipts: &[&nonce],
            ..Default::default()
        },
        &rows,
    )
    .await?
    {
        Stored::New | Stored::AlreadyAnswered => {
            Ok(Redirect::to(&format!("/hq/surveys/{id}/paper?saved=1")).into_response())
        }
        Stored::CodeRefused => Err(AppError::BadRequest("error.bad_form")),
    }
}
