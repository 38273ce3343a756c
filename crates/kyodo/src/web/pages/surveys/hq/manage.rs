//! The reform HQ's survey pages: every survey with its status and counts, creating a survey, the
//! question builder, opening and closing, copying a wave to the next year, invitation codes, and the
//! fast entry of paper questionnaires.

use crate::error::{AppError, AppResult};
use crate::surveys::building::{self, AUDIENCES, SurveyInput};
use crate::surveys::responses::{self, Stored};
use crate::surveys::store::{self, Form, Survey};
use crate::surveys::{answers, paper};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::format::fy;
use crate::web::notice::see_other;
use crate::web::pages::surveys::labels::{audience_key, status_key};
use crate::web::pages::surveys::public::nonce_of;
use crate::web::pages::surveys::questionnaire::{Mode, form_page};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
    let (surveys, counts) = tokio::try_join!(
        store::all(&st.app.db, org),
        crate::surveys::counting::counts(&st.app.db, org)
    )?;
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
        Ok(id) => Ok(see_other(
            &st,
            &format!("/hq/surveys/{id}"),
            "notice.created",
        )),
        Err(AppError::Invalid(errs)) => admin_page(&st, &ctx, f, errs).await,
        Err(e) => Err(e),
    }
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
) -> AppResult<Response> {
    let form = paper_form(&st, &ctx, id).await?;
    let notice = None;
    form_page(
        &ctx,
        &form,
        None,
        &[],
        FieldErrors::default(),
        Mode::Paper,
        notice,
    )
}

pub async fn paper_save(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = paper_form(&st, &ctx, id).await?;
    let nonce = nonce_of(&fields)?;
    // Numbers as printed on the paper become the questionnaire's own answers, then are checked
    // as any submission; a refusal shows the numbers as typed.
    let rows = match paper::to_fields(&form, &fields).and_then(|f| answers::check(&form, &f)) {
        Ok(rows) => rows,
        Err(errs) => return form_page(&ctx, &form, None, &fields, errs, Mode::Paper, None),
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
        Stored::New | Stored::AlreadyAnswered => Ok(see_other(
            &st,
            &format!("/hq/surveys/{id}/paper"),
            "survey.paper_saved",
        )),
        Stored::CodeRefused => Err(AppError::BadRequest("error.bad_form")),
    }
}
