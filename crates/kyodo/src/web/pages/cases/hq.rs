//! The HQ's setup of the desk (/hq/cases): the kinds of case with a form to add one, and a type's
//! page — its settings, its routing rules, and a link to the survey builder for its questions.

use crate::cases::replies::{self, ReplyTemplate};
use crate::cases::setup::{self, TypeForm};
use crate::cases::store::{self, CaseType};
use crate::error::{AppError, AppResult};
use crate::surveys::store::Kind;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

/// The kinds with the catalogue key of their name.
const KINDS: [(&str, &str); 5] = [
    ("voice", "case.kind_voice"),
    ("application", "case.kind_application"),
    ("private_proposal", "case.kind_private_proposal"),
    ("staff_proposal", "case.kind_staff_proposal"),
    ("approach", "case.kind_approach"),
];

const AUDIENCES: [(&str, &str); 4] = [
    ("public", "case.audience_public"),
    ("signed_in", "case.audience_signed_in"),
    ("staff", "case.audience_staff"),
    ("restricted", "case.audience_restricted"),
];

#[derive(Template)]
#[template(path = "cases/hq_types.html")]
struct TypesPage<'a> {
    s: Shell<'a>,
    types: Vec<(CaseType, &'static str)>,
    form: TypeForm,
    audiences: Vec<(&'static str, &'static str)>,
    kinds: [(&'static str, &'static str); 5],
    departments: Vec<(i64, String)>,
}

fn audience_key(a: &str) -> &'static str {
    AUDIENCES
        .iter()
        .find(|x| x.0 == a)
        .map_or("case.audience_public", |x| x.1)
}

async fn departments(st: &WebState, ctx: &Ctx) -> AppResult<Vec<(i64, String)>> {
    Ok(crate::accounts::departments::list(&st.app.db, ctx.org_id())
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}

async fn types_page(
    st: &WebState,
    ctx: &Ctx,
    form: TypeForm,
    errs: FieldErrors,
) -> AppResult<Response> {
    let types = store::types(&st.app.db, ctx.org_id()).await?;
    let page = TypesPage {
        s: Shell::new(ctx, "case.hq_title").with_errors(errs),
        types: types
            .into_iter()
            .map(|t| {
                let k = audience_key(&t.audience);
                (t, k)
            })
            .collect(),
        form,
        audiences: AUDIENCES.to_vec(),
        kinds: KINDS,
        departments: departments(st, ctx).await?,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn index(State(st): State<WebState>, ctx: Ctx) -> AppResult<Response> {
    let form = TypeForm {
        audience: "public".into(),
        deadline_days: "10".into(),
        ..TypeForm::default()
    };
    types_page(&st, &ctx, form, FieldErrors::default()).await
}

pub async fn create(
    State(st): State<WebState>,
    ctx: Ctx,
    FormData(f): FormData<TypeForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.user_id;
    match setup::create(&st.app, ctx.org_id(), actor, &f).await {
        Ok(id) => Ok(see_other(
            &st,
            &format!("/hq/cases/{id}"),
            "case.type_created",
        )),
        Err(AppError::Invalid(errs)) => types_page(&st, &ctx, f, errs).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "cases/hq_type.html")]
struct TypePage<'a> {
    s: Shell<'a>,
    ty: CaseType,
    form: TypeForm,
    audiences: Vec<(&'static str, &'static str)>,
    kinds: [(&'static str, &'static str); 5],
    departments: Vec<(i64, String)>,
    routes: Vec<(i64, String, String, String)>,
    /// (`question-option`, "question: option") of the form's single choices.
    choices: Vec<(String, String)>,
    /// "N questions" in words.
    form_count: String,
    /// 定型文 of the kind, and the add form as typed.
    templates: Vec<ReplyTemplate>,
    template: TemplateForm,
    /// 様式: the procedure's forms to download, and where to upload one.
    documents: Vec<crate::files::documents::Document>,
    documents_action: String,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    pub template_title: String,
    pub template_body: String,
    /// The template to remove.
    pub template: String,
}

async fn type_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: Option<TypeForm>,
    template: TemplateForm,
    errs: FieldErrors,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let ty = store::case_type(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions = crate::cases::submit::form_of(&st.app, org, &ty).await?;
    let choices = questions
        .questions
        .iter()
        .filter(|q| q.kind == Kind::Single)
        .flat_map(|q| {
            q.options.iter().map(move |o| {
                (
                    format!("{}-{}", q.id(), o.id),
                    format!("{}: {}", q.row.label, o.label),
                )
            })
        })
        .collect();
    let form = form.unwrap_or_else(|| TypeForm {
        code: ty.code.clone(),
        name: ty.name.clone(),
        description: ty.description.clone(),
        audience: ty.audience.clone(),
        department: ty.department_id.map(|d| d.to_string()).unwrap_or_default(),
        deadline_days: ty.deadline_days.to_string(),
        publishable: if ty.publishable {
            "1".into()
        } else {
            String::new()
        },
        kind: ty.kind.clone(),
        eligibility: ty.eligibility.clone(),
        documents_needed: ty.documents_needed.clone(),
        fee: if ty.fee_yen > 0 {
            ty.fee_yen.to_string()
        } else {
            String::new()
        },
        offline_only: if ty.online { String::new() } else { "1".into() },
    });
    let owner = crate::files::documents::Owner::CaseType(id);
    let page = TypePage {
        s: Shell::new(ctx, "case.hq_type_title").with_errors(errs),
        documents: crate::files::documents::of_owner(&st.app.db, org, owner).await?,
        documents_action: format!("/hq/cases/{id}/documents"),
        routes: setup::routes(&st.app, org, id).await?,
        templates: replies::of_type(&st.app.db, org, id).await?,
        template,
        form,
        audiences: AUDIENCES.to_vec(),
        kinds: KINDS,
        departments: departments(st, ctx).await?,
        choices,
        form_count: ctx
            .tr()
            .f("case.hq_form_count", &[&questions.questions.len()]),
        ty,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

/// The type's page with an upload's problems beside its fields.
pub async fn page_with_errors(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    errs: FieldErrors,
) -> AppResult<Response> {
    type_page(st, ctx, id, None, TemplateForm::default(), errs).await
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    type_page(
        &st,
        &ctx,
        id,
        None,
        TemplateForm::default(),
        FieldErrors::default(),
    )
    .await
}

pub async fn update(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<TypeForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.user_id;
    match setup::update(&st.app, ctx.org_id(), actor, id, &f).await {
        Ok(()) => Ok(see_other(&st, &format!("/hq/cases/{id}"), "case.saved")),
        Err(AppError::Invalid(errs)) => {
            type_page(&st, &ctx, id, Some(f), TemplateForm::default(), errs).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RouteForm {
    choice: String,
    route_department: String,
    position: String,
}

pub async fn add_route(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<RouteForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.user_id;
    match setup::add_route(
        &st.app,
        ctx.org_id(),
        actor,
        id,
        &f.choice,
        &f.route_department,
    )
    .await
    {
        Ok(()) => Ok(see_other(&st, &format!("/hq/cases/{id}"), "case.saved")),
        Err(AppError::Invalid(errs)) => {
            type_page(&st, &ctx, id, None, TemplateForm::default(), errs).await
        }
        Err(e) => Err(e),
    }
}

pub async fn remove_route(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<RouteForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.user_id;
    let position = f
        .position
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("error.bad_form"))?;
    setup::remove_route(&st.app, ctx.org_id(), actor, id, position).await?;
    Ok(see_other(&st, &format!("/hq/cases/{id}"), "case.saved"))
}

/// 定型文: add a reply template to the kind.
pub async fn add_template(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<TemplateForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.user_id;
    let added = replies::add(
        &st.app,
        ctx.org_id(),
        actor,
        id,
        &f.template_title,
        &f.template_body,
    )
    .await;
    match added {
        Ok(_) => Ok(see_other(&st, &format!("/hq/cases/{id}"), "case.saved")),
        Err(AppError::Invalid(errs)) => type_page(&st, &ctx, id, None, f, errs).await,
        Err(e) => Err(e),
    }
}

/// 定型文: remove one of the kind's reply templates.
pub async fn remove_template(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(f): FormData<TemplateForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.user_id;
    let template = f
        .template
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("error.bad_form"))?;
    replies::remove(&st.app, ctx.org_id(), actor, id, template).await?;
    Ok(see_other(&st, &format!("/hq/cases/{id}"), "case.saved"))
}
