//! The survey builder (調査票の作成, reform HQ): the questions and sections of a draft, conditions,
//! the answering period and quota, opening and closing, invitation codes, and copying a wave.

use crate::error::{AppError, AppResult};
use crate::surveys::building::{self, KINDS, QuestionInput};
use crate::surveys::lifecycle;
use crate::surveys::store::{self, Form, Kind};
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId};
use crate::web::format::fy;
use crate::web::notice::see_other;
use crate::web::pages::surveys::labels::{audience_key, status_key};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "surveys/builder.html")]
struct BuilderPage<'a> {
    s: Shell<'a>,
    form: Form,
    /// Questions and sections in order.
    listed: Vec<Listed>,
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

/// One row of the builder's list: a numbered question, or a section that starts a page.
struct Listed {
    number: String,
    label: String,
    kind: String,
    detail: String,
    section: bool,
}

/// Questions and sections in their order; questions keep the numbers respondents see.
fn listing(t: crate::i18n::Tr, form: &Form) -> Vec<Listed> {
    let mut out: Vec<(i64, Listed)> = form
        .sections
        .iter()
        .map(|sec| {
            let l = Listed {
                number: String::new(),
                label: sec.title.clone(),
                kind: t.t("survey.section_row").to_string(),
                detail: sec.intro.clone(),
                section: true,
            };
            (sec.position, l)
        })
        .collect();
    for (i, q) in form.questions.iter().enumerate() {
        let mut label = q.row.label.clone();
        if q.required() {
            label.push_str(&format!(" ({})", t.t("form.required")));
        }
        if q.row.attribute != 0 {
            label.push_str(&format!(" ({})", t.t("survey.attribute")));
        }
        let join = |v: &[store::OptionRow]| {
            v.iter()
                .map(|o| o.label.as_str())
                .collect::<Vec<_>>()
                .join(" / ")
        };
        let detail = match (q.rows.is_empty(), q.options.is_empty()) {
            (false, _) => format!("{} × {}", join(&q.rows), join(&q.options)),
            (true, false) => join(&q.options),
            (true, true) => q.row.subject.clone(),
        };
        let l = Listed {
            number: (i + 1).to_string(),
            label,
            kind: t.t(&format!("survey.kind_{}", q.row.kind)).to_string(),
            detail,
            section: false,
        };
        out.push((q.row.position, l));
    }
    out.sort_by_key(|(p, _)| *p);
    out.into_iter().map(|(_, l)| l).collect()
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
    let (responses, nodes, (codes_unused, codes_used)) = tokio::try_join!(
        crate::surveys::counting::count(db, org, id),
        crate::plans::store::upper_nodes(db, org),
        crate::surveys::invitations::code_counts(db, org, id),
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
            .filter(|k| {
                **k != Kind::File.code()
                    || form.survey.audience == crate::surveys::lifecycle::FORM_AUDIENCE
            })
            .map(|k| (*k, t.t(&format!("survey.kind_{k}")).to_string()))
            .collect(),
        conditions,
        listed: listing(t, &form),
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
        codes_unused,
        codes_used,
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
        Ok(_) => Ok(see_other(
            &st,
            &format!("/hq/surveys/{id}#questions"),
            "notice.added",
        )),
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
    lifecycle::set_status(&st.app, ctx.org_id(), user, id, &f.status).await?;
    Ok(see_other(&st, &format!("/hq/surveys/{id}"), "notice.saved"))
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
    match lifecycle::set_limits(
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
        Ok(()) => Ok(see_other(
            &st,
            &format!("/hq/surveys/{id}#limits"),
            "notice.saved",
        )),
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
    match lifecycle::copy_wave(&st.app, ctx.org_id(), user, id, &f.fiscal_year).await {
        Ok(new) => Ok(see_other(
            &st,
            &format!("/hq/surveys/{new}"),
            "notice.created",
        )),
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
            Ok(crate::web::download::download(
                csv,
                "text/csv; charset=utf-8",
                format!("survey-{id}-codes.csv"),
            ))
        }
        Err(AppError::Invalid(errs)) => builder_page(&st, &ctx, id, new_question(), errs).await,
        Err(e) => Err(e),
    }
}
