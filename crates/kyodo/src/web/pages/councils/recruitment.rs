//! 委員公募 pages: a call and its application form (public), opening a call from a body's page,
//! the applications with their essays and the selection (HQ).

use super::hq::{BodyForms, members_page};
use crate::councils::GENDERS;
use crate::councils::bodies::{self, Body};
use crate::councils::recruitment::{self, Application, ApplicationForm, Call, CallForm};
use crate::error::{AppError, AppResult};
use crate::files::documents::{self, Document};
use crate::participation::today;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::cache_scope::unchanged;
use crate::web::ctx::Ctx;
use crate::web::extract::{ClientIp, FormData, PathId, Upload};
use crate::web::notice::see_other;
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

fn period(t: crate::i18n::Tr, c: &Call) -> String {
    crate::web::format::date_range(t, &c.opens_on, &c.closes_on)
}

#[derive(Template)]
#[template(path = "councils/call.html")]
struct CallPage<'a> {
    s: Shell<'a>,
    b: Body,
    c: Call,
    period: String,
    open: bool,
    genders: Vec<(&'static str, String)>,
    form: ApplicationForm,
}

async fn page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    form: Option<ApplicationForm>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let t = ctx.tr();
    let c = recruitment::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let b = bodies::get(&st.app.db, org, c.body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = CallPage {
        s: Shell::new(ctx, "cn.call_title").with_errors(errs),
        period: period(t, &c),
        open: c.is_open(&today().format("%Y-%m-%d").to_string()),
        genders: GENDERS
            .iter()
            .map(|(g, k)| (*g, t.t(k).to_string()))
            .collect(),
        form: form.unwrap_or_else(|| ApplicationForm {
            gender: "unstated".into(),
            ..ApplicationForm::default()
        }),
        b,
        c,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn show(State(st): State<WebState>, ctx: Ctx, PathId(id): PathId) -> AppResult<Response> {
    page(&st, &ctx, id, None, FieldErrors::default()).await
}

pub async fn apply(
    State(st): State<WebState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    PathId(id): PathId,
    upload: Upload,
) -> AppResult<Response> {
    let field = |k: &str| upload.fields.get(k).cloned().unwrap_or_default();
    let f = ApplicationForm {
        name: field("name"),
        kana: field("kana"),
        gender: field("gender"),
        address: field("address"),
        email: field("email"),
        essay: field("essay"),
    };
    if upload.too_large {
        let mut errs = FieldErrors::default();
        errs.add("essay_file", "attachment.too_large");
        return page(&st, &ctx, id, Some(f), errs).await;
    }
    let file = upload
        .file
        .as_ref()
        .map(|(n, b)| (n.as_str(), b.as_slice()));
    let client = ip.to_string();
    match recruitment::apply(&st.app, ctx.org_id(), id, &f, file, &client).await {
        // An application shows on no public page.
        Ok(()) => Ok(unchanged(see_other(
            &st,
            &format!("/councils/calls/{id}"),
            "cn.applied",
        ))),
        Err(AppError::Invalid(errs)) => page(&st, &ctx, id, Some(f), errs).await,
        Err(e) => Err(e),
    }
}

pub async fn open(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(body): PathId,
    FormData(f): FormData<CallForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    match recruitment::open(&st.app, ctx.org_id(), user, body, &f).await {
        Ok(id) => Ok(see_other(
            &st,
            &format!("/hq/councils/calls/{id}"),
            "cn.call_opened",
        )),
        Err(AppError::Invalid(errs)) => {
            let forms = BodyForms {
                call: Some(f),
                ..BodyForms::default()
            };
            members_page(&st, &ctx, body, forms, errs).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "councils/call_hq.html")]
struct HqPage<'a> {
    s: Shell<'a>,
    b: Body,
    c: Call,
    period: String,
    /// Each application with its gender's label and the essay sent as a file, if any.
    applications: Vec<(Application, String, Vec<Document>)>,
    result: String,
}

async fn hq_page(
    st: &WebState,
    ctx: &Ctx,
    id: i64,
    result: Option<String>,
    errs: FieldErrors,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let t = ctx.tr();
    let c = recruitment::get(&st.app.db, org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let b = bodies::get(&st.app.db, org, c.body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (applications, mut files) = tokio::try_join!(
        recruitment::applications(&st.app.db, org, id),
        documents::of_call_applications(&st.app.db, org, id),
    )?;
    let applications = applications
        .into_iter()
        .map(|a| {
            let g = GENDERS
                .iter()
                .find(|(g, _)| *g == a.gender)
                .map_or_else(String::new, |(_, k)| t.t(k).to_string());
            let (mine, rest) = files.drain(..).partition(|d| d.owner_id == a.id);
            files = rest;
            (a, g, mine)
        })
        .collect();
    let page = HqPage {
        s: Shell::new(ctx, "cn.call_hq_title").with_errors(errs),
        period: period(t, &c),
        result: result.unwrap_or_else(|| c.result.clone()),
        applications,
        b,
        c,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn hq_show(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> AppResult<Response> {
    hq_page(&st, &ctx, id, None, FieldErrors::default()).await
}

/// The ticked applications (`selected` fields) and the result text to publish.
pub async fn decide(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.user_id;
    let selected = crate::web::extract::ticked(&fields, "selected");
    let result = crate::web::extract::first(&fields, "result").to_string();
    match recruitment::decide(&st.app, ctx.org_id(), user, id, &selected, &result).await {
        Ok(_) => Ok(see_other(
            &st,
            &format!("/hq/councils/calls/{id}"),
            "cn.call_decided",
        )),
        Err(AppError::Invalid(errs)) => hq_page(&st, &ctx, id, Some(result), errs).await,
        Err(e) => Err(e),
    }
}
