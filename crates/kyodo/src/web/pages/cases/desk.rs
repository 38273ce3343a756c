//! The desk (窓口): the kinds of case this visitor may send, a type's form, and the receipt with
//! the number and access key — shown once, on the page that answers the submission (never put in a
//! link, where it would sit in logs and browser history).

use crate::cases::store::{self, CaseType};
use crate::cases::submit::{self, Contact};
use crate::error::{AppError, AppResult};
use crate::surveys::store::Form;
use crate::validation::FieldErrors;
use crate::web::WebState;
use crate::web::ctx::Ctx;
use crate::web::extract::{FormData, PathId, QueryData};
use crate::web::pages::surveys::form_fields::{QuestionView, question_view};
use crate::web::shell::{Shell, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "cases/desk.html")]
struct DeskPage<'a> {
    s: Shell<'a>,
    /// Each type with its deadline in words.
    types: Vec<(CaseType, String)>,
    /// Sent from a facility's page: (id, name) of the facility the case will be about.
    about: Option<(i64, String)>,
}

/// `?facility=` — the desk and a form opened from a facility's page.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct About {
    pub facility: String,
}

/// The facility named by `?facility=`, if it is one of the organization's (anything else is ignored).
async fn about(st: &WebState, ctx: &Ctx, q: &About) -> AppResult<Option<(i64, String)>> {
    let Ok(id) = q.facility.trim().parse::<i64>() else {
        return Ok(None);
    };
    Ok(
        crate::reservations::facilities::get(&st.app.db, ctx.org_id(), id)
            .await?
            .map(|f| (f.id, f.name)),
    )
}

pub async fn desk(
    State(st): State<WebState>,
    ctx: Ctx,
    QueryData(q): QueryData<About>,
) -> AppResult<Response> {
    let who = ctx.principal.as_deref();
    let types = store::types(&st.app.db, ctx.org_id())
        .await?
        .into_iter()
        .filter(|t| t.open_to(who))
        .map(|t| {
            let rule = ctx.tr().f("case.deadline_rule", &[&t.deadline_days]);
            (t, rule)
        })
        .collect();
    let page = DeskPage {
        s: Shell::new(&ctx, "case.desk_title"),
        types,
        about: about(&st, &ctx, &q).await?,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "cases/form.html")]
struct FormPage<'a> {
    s: Shell<'a>,
    ty: CaseType,
    questions: Vec<QuestionView>,
    contact: Contact,
    guest: bool,
    /// The facility's name when the case is about one (its id travels in `contact.facility`).
    facility_name: String,
}

async fn form_page(
    st: &WebState,
    ctx: &Ctx,
    ty: CaseType,
    form: &Form,
    fields: &[(String, String)],
    contact: Contact,
    errs: FieldErrors,
) -> AppResult<Response> {
    let t = ctx.tr();
    let questions = form
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| question_view(t, form, i, q, fields, false))
        .collect();
    let q = About {
        facility: contact.facility.clone(),
    };
    let facility_name = about(st, ctx, &q).await?.map(|f| f.1).unwrap_or_default();
    let page = FormPage {
        s: Shell::new(ctx, "case.form_title").with_errors(errs),
        ty,
        questions,
        contact,
        guest: ctx.principal.is_none(),
        facility_name,
    };
    Ok((page.s.status(), render(&page)?).into_response())
}

pub async fn form(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    QueryData(q): QueryData<About>,
) -> AppResult<Response> {
    let ty = submit::usable_type(&st.app, ctx.org_id(), id, ctx.principal.as_deref()).await?;
    let form = submit::form_of(&st.app, ctx.org_id(), &ty).await?;
    let contact = Contact {
        facility: about(&st, &ctx, &q)
            .await?
            .map(|f| f.0.to_string())
            .unwrap_or_default(),
        ..Contact::default()
    };
    form_page(&st, &ctx, ty, &form, &[], contact, FieldErrors::default()).await
}

#[derive(Template)]
#[template(path = "cases/receipt.html")]
struct ReceiptPage<'a> {
    s: Shell<'a>,
    ty: CaseType,
    number: String,
    key: String,
    due: String,
    mailed: bool,
}

/// The contact fields come in the same body as the questions' `q…` fields.
fn contact_of(fields: &[(String, String)]) -> Contact {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    Contact {
        name: get("name"),
        email: get("email"),
        address: get("address"),
        latitude: get("latitude"),
        longitude: get("longitude"),
        consent: get("consent"),
        facility: get("facility"),
    }
}

pub async fn send(
    State(st): State<WebState>,
    ctx: Ctx,
    PathId(id): PathId,
    FormData(fields): FormData<Vec<(String, String)>>,
) -> AppResult<Response> {
    let org = ctx.org_id();
    let who = ctx.principal.as_deref();
    let ty = submit::usable_type(&st.app, org, id, who).await?;
    let contact = contact_of(&fields);
    match submit::submit(&st.app, org, &ty, who, &fields, &contact).await {
        Ok(r) => {
            let page = ReceiptPage {
                s: Shell::new(&ctx, "case.receipt_title"),
                number: r.number,
                key: r.access_key,
                due: ctx.tr().date(r.due_on),
                mailed: !contact.email.trim().is_empty(),
                ty,
            };
            Ok(render(&page)?.into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let form = submit::form_of(&st.app, org, &ty).await?;
            form_page(&st, &ctx, ty, &form, &fields, contact, errs).await
        }
        Err(e) => Err(e),
    }
}
